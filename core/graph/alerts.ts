// Graph security alerts (alerts_v2, docs/graph-security-api.md "Alerts"): list with typed filters
// and nextLink paging, get, update (status, classification with its determination, assignedTo),
// and add a comment, which is appended and so never sent twice.
import { MdcaValidationError } from '../errors';
import type { OperationInput, OperationInputValues } from '../operations/types';
import {
  ALERT_STATUSES, ALERT_WRITABLE_STATUSES, ALL_DETERMINATIONS, CLASSIFICATIONS, DETECTION_SOURCES, DETERMINATION_PAIRS, determinationFor, optionsOf, pairAllowed,
  SERVICE_SOURCES, SEVERITIES, WRITABLE_CLASSIFICATIONS, WritableClassification,
} from './enums';
import { alertAnswer, mapOutcome, withEvidenceFields } from './evidence';
import { graphList, pageSizeInput } from './list';
import { rawFilterInput } from '../odata-filter';
import { ALERT_FILTER_SPEC, typedGraphClauses, validateAlertFilter } from './odata';
import { GRAPH_PERMISSIONS } from './permissions';
import { GRAPH_SECURITY_PATH, GraphOperationImplementation } from './types';

export const ALERTS_PATH = `${GRAPH_SECURITY_PATH}/alerts_v2`;

/** What every alert output adds (core/graph/evidence.ts), said once in each alert operation's description. */
export const EVIDENCE_OUTPUT_NOTE = 'Each alert also carries evidenceUserPrincipalName, evidenceUserObjectId, evidenceMdeDeviceId, evidenceDeviceDnsName and the lists evidenceUsers and evidenceDevices, read from its evidence.';

/** The `@odata.type` both comment pages show in their request body. */
export const COMMENT_ODATA_TYPE = 'microsoft.graph.security.alertComment';
export const MAX_COMMENT_LENGTH = 4_000;

const alertIdInput: OperationInput = {
  name: 'alertId',
  displayName: 'Alert ID',
  type: 'string',
  required: true,
  maxLength: 200,
  placeholder: 'da637551227677560813_-961444813',
  description: 'The Graph alert id (the "id" of a listed alert; for an MDCA alert it differs from the MDCA alert id, which is its providerAlertId).',
};

export const commentInput = (what: string): OperationInput => ({
  name: 'comment',
  displayName: 'Comment',
  type: 'string',
  required: true,
  maxLength: MAX_COMMENT_LENGTH,
  description: `The comment added to the ${what} (appended; sent once, never retried blindly).`,
});

/** The classification and determination inputs of an update, with the pairs in the description. */
export function verdictInputs(): OperationInput[] {
  return [
    { name: 'classification', displayName: 'Classification', type: 'options', options: optionsOf(WRITABLE_CLASSIFICATIONS), description: 'How it is classified; the allowed determinations depend on it.' },
    { name: 'determination', displayName: 'Determination', type: 'options', options: optionsOf(ALL_DETERMINATIONS), description: `Needs a Classification. ${describePairs()}.` },
  ];
}

export function describePairs(): string {
  return WRITABLE_CLASSIFICATIONS.map((c) => `${c}: ${DETERMINATION_PAIRS[c].join(', ')}`).join('; ');
}

/**
 * The classification and determination of an update body, checked as a pair before sending; the
 * determination in the spelling of the method's own page.
 */
export function verdictBody(input: OperationInputValues, page: 'alert' | 'incident'): Record<string, string> {
  const classification = input.classification as WritableClassification | undefined;
  const determination = input.determination as string | undefined;
  const body: Record<string, string> = {};
  if (determination !== undefined) {
    if (!classification) throw new MdcaValidationError('determination', '"Determination" needs a "Classification": the allowed determinations depend on it.', `Set Classification too. ${describePairs()}.`);
    if (!pairAllowed(classification, determination)) {
      throw new MdcaValidationError(
        'determination',
        `"Determination" ${determination} is not allowed with the classification ${classification}.`,
        `With ${classification} use one of: ${DETERMINATION_PAIRS[classification].join(', ')} (apt and securityPersonnel are deprecated).`,
      );
    }
    body.determination = determinationFor(determination, page);
  }
  if (classification !== undefined) body.classification = classification;
  return body;
}

const EQ_FIELDS = ['status', 'severity', 'serviceSource', 'classification', 'assignedTo'] as const;

const listInputs: OperationInput[] = [
  { name: 'status', displayName: 'Status', type: 'options', group: 'filters', options: optionsOf(ALERT_STATUSES), description: 'Only alerts with this status.' },
  { name: 'severity', displayName: 'Severity', type: 'options', group: 'filters', options: optionsOf(SEVERITIES), description: 'Only alerts of this severity.' },
  { name: 'serviceSource', displayName: 'Service Source', type: 'options', group: 'filters', options: optionsOf(SERVICE_SOURCES), description: 'Only alerts from this product, e.g. Microsoft Defender for Cloud Apps.' },
  {
    name: 'detectionSource',
    displayName: 'Detection Source',
    type: 'options',
    group: 'filters',
    options: optionsOf(DETECTION_SOURCES),
    description: 'Only alerts from this detection technology. Graph does not filter on it: the pages are filtered after they arrive, so combine it with a time filter.',
  },
  { name: 'classification', displayName: 'Classification', type: 'options', group: 'filters', options: optionsOf(CLASSIFICATIONS), description: 'Only alerts with this classification.' },
  { name: 'assignedTo', displayName: 'Assigned To', type: 'string', group: 'filters', maxLength: 300, description: 'Only alerts assigned to this user (e.g. secop@contoso.com).' },
  { name: 'createdAfter', displayName: 'Created After', type: 'dateTime', group: 'filters', description: 'Only alerts created at or after this time (createdDateTime ge).' },
  { name: 'createdBefore', displayName: 'Created Before', type: 'dateTime', group: 'filters', description: 'Only alerts created at or before this time (createdDateTime le).' },
  { name: 'updatedAfter', displayName: 'Updated After', type: 'dateTime', group: 'filters', description: 'Only alerts last updated at or after this time (lastUpdateDateTime ge).' },
  { name: 'updatedBefore', displayName: 'Updated Before', type: 'dateTime', group: 'filters', description: 'Only alerts last updated at or before this time (lastUpdateDateTime le).' },
  rawFilterInput(ALERT_FILTER_SPEC.example, Object.keys(ALERT_FILTER_SPEC.fields)),
  pageSizeInput,
];

const READ = GRAPH_PERMISSIONS.alertRead;
const WRITE = GRAPH_PERMISSIONS.alertWrite;

const listAlerts: GraphOperationImplementation = {
  definition: {
    service: 'graph',
    resource: 'alert',
    operation: 'getAll',
    id: 'alert.getAll',
    displayName: 'Get Many',
    action: 'Get many alerts',
    description: `Lists Microsoft Graph security alerts (alerts_v2) of every Defender product, newest first, following @odata.nextLink. ${EVIDENCE_OUTPUT_NOTE}`,
    permissions: READ,
    access: 'read',
    http: { method: 'GET', path: ALERTS_PATH },
    paging: 'nextLink',
    output: 'items',
    inputs: listInputs,
  },
  run(exec, input) {
    const raw = typeof input.filter === 'string' && input.filter !== '' ? validateAlertFilter(input.filter) : undefined;
    const detection = input.detectionSource as string | undefined;
    const keep = detection ? (item: unknown) => String((item as { detectionSource?: unknown } | null)?.detectionSource ?? '').toLowerCase() === detection.toLowerCase() : undefined;
    return mapOutcome(graphList(listAlerts, exec, input, { clauses: typedGraphClauses(input, EQ_FIELDS), raw, keep }), withEvidenceFields);
  },
};

function updateBody(input: OperationInputValues): Record<string, unknown> {
  const body: Record<string, unknown> = { ...verdictBody(input, 'alert') };
  if (input.status !== undefined) body.status = input.status;
  if (input.assignedTo !== undefined) body.assignedTo = input.assignedTo;
  if (Object.keys(body).length === 0) {
    throw new MdcaValidationError('status', 'Nothing to update: give at least one of Status, Classification, Determination or Assigned To.', 'Set the fields to change; the others stay as they are.');
  }
  return body;
}

export const alertOperations: GraphOperationImplementation[] = [
  listAlerts,
  {
    definition: {
      service: 'graph',
      resource: 'alert',
      operation: 'get',
      id: 'alert.get',
      displayName: 'Get',
      action: 'Get an alert',
      description: `Fetches one Graph security alert with its evidence and comments. ${EVIDENCE_OUTPUT_NOTE}`,
      permissions: READ,
      access: 'read',
      http: { method: 'GET', path: `${ALERTS_PATH}/{alertId}` },
      paging: 'none',
      output: 'item',
      inputs: [alertIdInput],
    },
    answer: alertAnswer,
  },
  {
    definition: {
      service: 'graph',
      resource: 'alert',
      operation: 'update',
      id: 'alert.update',
      displayName: 'Update',
      action: 'Update an alert',
      description: 'Changes status, classification and determination, or the assignee (PATCH: only the given fields change) and returns the updated alert.',
      permissions: WRITE,
      access: 'idempotentWrite',
      http: { method: 'PATCH', path: `${ALERTS_PATH}/{alertId}` },
      paging: 'none',
      output: 'item',
      inputs: [
        alertIdInput,
        { name: 'status', displayName: 'Status', type: 'options', options: optionsOf(ALERT_WRITABLE_STATUSES), description: 'New status.' },
        ...verdictInputs(),
        { name: 'assignedTo', displayName: 'Assigned To', type: 'string', maxLength: 300, description: 'Who owns the alert (free text, e.g. secop@contoso.com).' },
      ],
    },
    request: { body: updateBody, priority: 'interactive' },
    answer: alertAnswer,
  },
  {
    definition: {
      service: 'graph',
      resource: 'alert',
      operation: 'addComment',
      id: 'alert.addComment',
      displayName: 'Add Comment',
      action: 'Add a comment to an alert',
      description: 'Appends a comment to the alert and returns all of its comments.',
      permissions: WRITE,
      access: 'nonIdempotentWrite',
      http: { method: 'POST', path: `${ALERTS_PATH}/{alertId}/comments` },
      paging: 'none',
      output: 'result',
      inputs: [alertIdInput, commentInput('alert')],
    },
    request: { body: (input) => ({ '@odata.type': COMMENT_ODATA_TYPE, comment: input.comment }), priority: 'interactive' },
    answer: (data, input) => ({ kind: 'result', result: { alertId: input.alertId, comments: commentsOf(data) } }),
  },
];

/** The comment list of a comments answer ({"value": [...]}). */
export function commentsOf(data: unknown): unknown[] {
  const value = (data as { value?: unknown } | null)?.value;
  return Array.isArray(value) ? value : [];
}
