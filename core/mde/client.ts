// The Defender for Endpoint client: the one ServiceClient (core/service-client.ts) bound to the
// MDE descriptor (core/services/mde.ts).
import { ServiceClient, ServiceClientConfig, unlockedOperations, UnlockedOperation } from '../service-client';
import { MDE_SERVICE } from '../services/mde';
import type { MdePermissionName, MdeTokenInsight } from './permissions';
import { mdeOperations } from './registry';
import type { MdeOperationDefinition } from './types';

export class MdeClient extends ServiceClient<MdeOperationDefinition, MdeTokenInsight> {
  constructor(config: ServiceClientConfig) {
    super(MDE_SERVICE, config);
  }
}

/** Operations a set of MDE permissions unlocks. */
export function unlockedMdeOperations(permissions: readonly MdePermissionName[], kind: 'application' | 'delegated' = 'application'): UnlockedOperation[] {
  return unlockedOperations(mdeOperations, { kind, permissions });
}
