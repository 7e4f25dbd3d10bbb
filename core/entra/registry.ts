// The Microsoft Entra ID operation registry (users and Identity Protection risky users): pure data
// host generators read, plus executors.
import { riskyUserOperations } from './risky-users';
import type { EntraOperationDefinition, EntraOperationImplementation, EntraResourceName } from './types';
import { userOperations } from './users';

export const entraResourceDefinitions: readonly { name: EntraResourceName; displayName: string; description: string; service: 'entra' }[] = [
  { name: 'user', displayName: 'User', description: 'Entra ID users: get, revoke sign-in sessions, disable and enable the account', service: 'entra' },
  { name: 'riskyUser', displayName: 'Risky User', description: 'Identity Protection user risk: get, confirm compromised, dismiss', service: 'entra' },
];

const implementations: readonly EntraOperationImplementation[] = [...userOperations, ...riskyUserOperations];
const byId = new Map(implementations.map((i) => [i.definition.id, i]));

export const entraOperations: readonly EntraOperationDefinition[] = implementations.map((i) => i.definition);

export function entraOperationsOf(resource: EntraResourceName): EntraOperationDefinition[] {
  return entraOperations.filter((o) => o.resource === resource);
}

export function findEntraOperation(id: string): EntraOperationImplementation | undefined {
  return byId.get(id);
}
