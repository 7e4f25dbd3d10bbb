// The one operation registry. n8n properties and Node-RED editor options are generated from it,
// and tests fail when either UI drifts from it.
import { activityOperations } from './activities';
import { alertOperations } from './alerts';
import { discoveryOperations } from './discovery';
import { entityOperations } from './entities';
import { fileOperations } from './files';
import { ipRangeOperations } from './ip-ranges';
import type { OperationDefinition, OperationImplementation, ResourceName } from './types';

export * from './types';
export { declaredRequest, declaredAccess, templatePattern } from './declared-request';
export { executeOperation } from './executor';

export const resourceDefinitions: readonly { name: ResourceName; displayName: string; description: string }[] = [
  { name: 'alert', displayName: 'Alert', description: 'Alerts raised by MDCA policies and detections' },
  { name: 'activity', displayName: 'Activity', description: 'User and admin activities in connected cloud apps' },
  { name: 'entity', displayName: 'Entity', description: 'Users and accounts' },
  { name: 'ipRange', displayName: 'IP Range', description: 'IP address ranges (subnets) used to enrich activities' },
  { name: 'discovery', displayName: 'Cloud Discovery', description: 'Continuous reports, log upload and block scripts' },
  { name: 'file', displayName: 'File', description: 'Files seen by app connectors' },
];

const implementations: readonly OperationImplementation[] = [
  ...alertOperations,
  ...activityOperations,
  ...entityOperations,
  ...ipRangeOperations,
  ...discoveryOperations,
  ...fileOperations,
];

const byId = new Map<string, OperationImplementation>();
for (const impl of implementations) {
  byId.set(impl.definition.id, impl);
  for (const alias of impl.definition.aliases ?? []) byId.set(`${impl.definition.resource}.${alias}`, impl);
}

export const operations: readonly OperationDefinition[] = implementations.map((i) => i.definition);

export function operationsOf(resource: ResourceName): OperationDefinition[] {
  return operations.filter((o) => o.resource === resource);
}

/** Finds an operation by id ("alert.closeBenign") or a deprecated alias ("alert.dismiss"). */
export function findOperation(id: string): OperationImplementation | undefined {
  return byId.get(id);
}
