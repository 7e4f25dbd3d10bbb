// The Defender for Endpoint operation registry: pure data host generators read, plus executors.
import { machineResponseActions } from './actions';
import { machineActionOperations } from './machine-actions';
import { machineOperations } from './machines';
import type { MdeOperationDefinition, MdeOperationImplementation, MdeResourceName } from './types';

export const mdeResourceDefinitions: readonly { name: MdeResourceName; displayName: string; description: string; service: 'mde' }[] = [
  { name: 'machine', displayName: 'Machine', description: 'Defender for Endpoint machines: find, read and contain them (isolate, scan, collect, restrict)', service: 'mde' },
  { name: 'machineAction', displayName: 'Machine Action', description: 'Response actions Defender for Endpoint runs on machines: their status, the wait until they finish, the investigation package link', service: 'mde' },
];

const implementations: readonly MdeOperationImplementation[] = [...machineOperations, ...machineResponseActions, ...machineActionOperations];
const byId = new Map(implementations.map((i) => [i.definition.id, i]));

export const mdeOperations: readonly MdeOperationDefinition[] = implementations.map((i) => i.definition);

export function mdeOperationsOf(resource: MdeResourceName): MdeOperationDefinition[] {
  return mdeOperations.filter((o) => o.resource === resource);
}

export function findMdeOperation(id: string): MdeOperationImplementation | undefined {
  return byId.get(id);
}
