// The Microsoft Graph security operation registry: pure data host generators read, plus executors.
import { alertOperations } from './alerts';
import { graphHuntingOperations } from './hunting';
import { graphIncidentOperations } from './incidents';
import { getByMdcaAlertId } from './mdca-link';
import type { GraphOperationDefinition, GraphOperationImplementation, GraphResourceName } from './types';

export const graphResourceDefinitions: readonly { name: GraphResourceName; displayName: string; description: string; service: 'graph' }[] = [
  { name: 'alert', displayName: 'Alert', description: 'Graph security alerts (alerts_v2) of every Defender product, Defender for Cloud Apps included', service: 'graph' },
  { name: 'incident', displayName: 'Incident', description: 'Graph security incidents (correlated alerts)', service: 'graph' },
  { name: 'huntingQuery', displayName: 'Hunting Query', description: 'KQL queries over Defender hunting tables through Graph', service: 'graph' },
];

const implementations: readonly GraphOperationImplementation[] = [...alertOperations, getByMdcaAlertId, ...graphIncidentOperations, ...graphHuntingOperations];
const byId = new Map(implementations.map((i) => [i.definition.id, i]));

export const graphOperations: readonly GraphOperationDefinition[] = implementations.map((i) => i.definition);

export function graphOperationsOf(resource: GraphResourceName): GraphOperationDefinition[] {
  return graphOperations.filter((o) => o.resource === resource);
}

export function findGraphOperation(id: string): GraphOperationImplementation | undefined {
  return byId.get(id);
}
