// The Microsoft Graph security client: the one ServiceClient (core/service-client.ts) bound to
// the Graph descriptor (core/services/graph.ts).
import { ServiceClient, ServiceClientConfig, unlockedOperations, UnlockedOperation } from '../service-client';
import { GRAPH_SERVICE } from '../services/graph';
import type { GraphPermissionName, GraphTokenInsight } from './permissions';
import { graphOperations } from './registry';
import type { GraphOperationDefinition } from './types';

export class GraphClient extends ServiceClient<GraphOperationDefinition, GraphTokenInsight> {
  constructor(config: ServiceClientConfig) {
    super(GRAPH_SERVICE, config);
  }
}

/** Operations a set of Graph permissions unlocks. */
export function unlockedGraphOperations(permissions: readonly GraphPermissionName[]): UnlockedOperation[] {
  return unlockedOperations(graphOperations, { kind: 'application', permissions });
}
