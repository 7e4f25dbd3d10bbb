// From a Defender for Cloud Apps alert id to its Graph alert and incident
// (docs/graph-security-api.md, "From an MDCA alert to Graph"). Graph names the MDCA alert id
// `providerAlertId` but documents no filter on it, so the alert is first read by the id Defender
// gives MDCA alerts ("ca" + the MDCA id); only when that is not found is the list asked with
// serviceSource and providerAlertId, and every answer is checked against the id before use.
import { MdcaError, MdcaNotFoundError, MdcaPermissionError } from '../errors';
import { odataString } from '../odata-filter';
import { declaredRequest } from '../operations/declared-request';
import type { OperationExecution, OperationInputValues, OperationOutcome } from '../operations/types';
import { ALERTS_PATH, EVIDENCE_OUTPUT_NOTE } from './alerts';
import { withEvidenceFields } from './evidence';
import { GRAPH_INCIDENTS_PATH } from './incidents';
import { GRAPH_PERMISSIONS } from './permissions';
import type { GraphOperationImplementation } from './types';

/** The Graph id prefix of Defender for Cloud Apps alerts. */
export const MDCA_GRAPH_ID_PREFIX = 'ca';
const MDCA_SOURCE = 'microsoftDefenderForCloudApps';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNotFound = (e: unknown): boolean => e instanceof MdcaError && e.code === 'NOT_FOUND';
const isAlertOf = (alert: unknown, mdcaAlertId: string): alert is Json => isObject(alert) && String(alert.providerAlertId ?? '').toLowerCase() === mdcaAlertId.toLowerCase();

async function byPrefixedId(impl: GraphOperationImplementation, exec: OperationExecution, input: OperationInputValues, id: string): Promise<Json | undefined> {
  try {
    const { data } = await exec.pipeline.send(declaredRequest(impl, input), exec.ctx);
    return isAlertOf(data, id) ? data : undefined;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function byProviderAlertId(impl: GraphOperationImplementation, exec: OperationExecution, input: OperationInputValues, id: string): Promise<Json | undefined> {
  const $filter = `serviceSource eq ${odataString(MDCA_SOURCE)} and providerAlertId eq ${odataString(id)}`;
  const { data } = await exec.pipeline.send(declaredRequest(impl, input, { step: 'search', query: { $filter, $top: 10 } }), exec.ctx);
  const value = isObject(data) && Array.isArray(data.value) ? data.value : [];
  return value.find((a): a is Json => isAlertOf(a, id));
}

async function incidentOf(impl: GraphOperationImplementation, exec: OperationExecution, alert: Json): Promise<unknown> {
  const incidentId = alert.incidentId;
  if (incidentId === null || incidentId === undefined || incidentId === '') return null;
  try {
    return (await exec.pipeline.send(declaredRequest(impl, { incidentId: String(incidentId) }, { step: 'incident' }), exec.ctx)).data;
  } catch (error) {
    if (error instanceof MdcaError && error.code === 'PERMISSION_MISSING') {
      throw new MdcaPermissionError(
        `The alert was found, but reading its incident ${String(incidentId).slice(0, 20)} was refused.`,
        `Grant the Microsoft Graph permission ${GRAPH_PERMISSIONS.incidentRead.join(' or ')} (with admin consent), or turn off "Include Incident".`,
        { ...error.details, field: 'includeIncident', permissions: [...GRAPH_PERMISSIONS.incidentRead] },
      );
    }
    if (!isNotFound(error)) throw error;
    exec.warn(`The alert names incident ${String(incidentId).slice(0, 20)}, which Graph did not find (merged or deleted); "incident" is null.`);
    return null;
  }
}

async function run(exec: OperationExecution, input: OperationInputValues): Promise<OperationOutcome> {
  // MDCA ids are hex object ids, which MDCA and Graph write in lower case.
  const id = String(input.mdcaAlertId).trim().toLowerCase();
  const values = { ...input, mdcaAlertId: id };
  const alert = (await byPrefixedId(getByMdcaAlertId, exec, values, id)) ?? (await byProviderAlertId(getByMdcaAlertId, exec, values, id));
  if (!alert) {
    throw new MdcaNotFoundError(
      `No Microsoft Graph alert has providerAlertId "${id}" (the "MDCA Alert ID").`,
      'Check that it is the id of a Defender for Cloud Apps alert of this tenant (24 hex characters, from the MDCA alert list or the portal URL …/#/alerts/<id>), that the credential signs in to the same tenant, and that the alert is recent enough for Microsoft Graph to keep it.',
      { field: 'mdcaAlertId', operation: getByMdcaAlertId.definition.id },
    );
  }
  const item = withEvidenceFields(alert) as Json;
  if (input.includeIncident !== false) item.incident = await incidentOf(getByMdcaAlertId, exec, alert);
  return { kind: 'item', item };
}

export const getByMdcaAlertId: GraphOperationImplementation = {
  definition: {
    service: 'graph',
    resource: 'alert',
    operation: 'getByMdcaAlertId',
    id: 'alert.getByMdcaAlertId',
    displayName: 'Get by MDCA Alert ID',
    action: 'Get the Graph alert of a Defender for Cloud Apps alert',
    description: `Finds the Graph alert whose providerAlertId is a Defender for Cloud Apps alert id and returns it with its incident ("incident", which needs SecurityIncident.Read.All too). ${EVIDENCE_OUTPUT_NOTE}`,
    permissions: GRAPH_PERMISSIONS.alertRead,
    access: 'read',
    http: { method: 'GET', path: `${ALERTS_PATH}/${MDCA_GRAPH_ID_PREFIX}{mdcaAlertId}` },
    steps: {
      search: { method: 'GET', path: ALERTS_PATH, access: 'read' },
      incident: { method: 'GET', path: `${GRAPH_INCIDENTS_PATH}/{incidentId}`, access: 'read' },
    },
    callText: `GET ${ALERTS_PATH}/ca{mdcaAlertId}; if not found GET ${ALERTS_PATH}?$filter=serviceSource eq 'microsoftDefenderForCloudApps' and providerAlertId eq '{mdcaAlertId}'; then GET ${GRAPH_INCIDENTS_PATH}/{incidentId}`,
    paging: 'none',
    output: 'item',
    inputs: [
      {
        name: 'mdcaAlertId',
        displayName: 'MDCA Alert ID',
        type: 'string',
        // The same 24-hex check as the MDCA alert id inputs, without the n8n MDCA alert picker
        // that format 'alertId' brings (a Graph credential cannot list MDCA alerts).
        format: 'objectId',
        required: true,
        placeholder: '5f3b2a1c9d8e7f6a5b4c3d2e',
        description: 'The 24-character Defender for Cloud Apps alert id (from an MDCA alert list or trigger, or the portal URL …/#/alerts/<id>).',
      },
      { name: 'includeIncident', displayName: 'Include Incident', type: 'boolean', default: true, group: 'options', description: 'Also fetch the alert’s incident into "incident" (null when the alert has none).' },
    ],
  },
  run,
};
