// The XDR operation registry: pure data host generators add as extra resources, plus executors.
import { huntingOperations } from './hunting';
import { incidentOperations } from './incidents';
import type { XdrOperationDefinition, XdrOperationImplementation, XdrResourceName } from './types';

export const xdrResourceDefinitions: readonly { name: XdrResourceName; displayName: string; description: string; service: 'xdr' }[] = [
  { name: 'incident', displayName: 'Incident', description: 'Defender XDR incidents (correlated alerts from MDCA, MDE, MDO, MDI)', service: 'xdr' },
  { name: 'advancedHunting', displayName: 'Advanced Hunting', description: 'KQL queries over Defender XDR hunting tables', service: 'xdr' },
];

const implementations: readonly XdrOperationImplementation[] = [...incidentOperations, ...huntingOperations];
const byId = new Map(implementations.map((i) => [i.definition.id, i]));

export const xdrOperations: readonly XdrOperationDefinition[] = implementations.map((i) => i.definition);

export function xdrOperationsOf(resource: XdrResourceName): XdrOperationDefinition[] {
  return xdrOperations.filter((o) => o.resource === resource);
}

export function findXdrOperation(id: string): XdrOperationImplementation | undefined {
  return byId.get(id);
}
