// The Microsoft Entra ID client: the one ServiceClient (core/service-client.ts) bound to the Entra
// descriptor (core/services/entra.ts).
import { ServiceClient, ServiceClientConfig, unlockedOperations, UnlockedOperation } from '../service-client';
import { ENTRA_SERVICE } from '../services/entra';
import type { EntraPermissionName, EntraTokenInsight } from './permissions';
import { entraOperations } from './registry';
import type { EntraOperationDefinition } from './types';

export class EntraClient extends ServiceClient<EntraOperationDefinition, EntraTokenInsight> {
  constructor(config: ServiceClientConfig) {
    super(ENTRA_SERVICE, config);
  }
}

/** Operations a set of Entra permissions unlocks. */
export function unlockedEntraOperations(permissions: readonly EntraPermissionName[]): UnlockedOperation[] {
  return unlockedOperations(entraOperations, { kind: 'application', permissions });
}
