// Graph security incidents (docs/graph-security-api.md "Incidents"): list with typed filters,
// optionally with their alerts ($expand=alerts), get, update (status, classification with its
// determination, assignedTo, customTags, resolvingComment) and add a comment (appended: never
// sent twice).
import { MdcaValidationError } from '../errors';
import type { OperationInput, OperationInputValues } from '../operations/types';
import { commentInput, commentsOf, COMMENT_ODATA_TYPE, MAX_COMMENT_LENGTH, verdictBody, verdictInputs } from './alerts';
import { mapOutcome, withAlertEvidence } from './evidence';
import { CLASSIFICATIONS, GRAPH_INCIDENT_STATUSES, GRAPH_INCIDENT_WRITABLE_STATUSES, optionsOf, SEVERITIES } from './enums';
import { graphList, pageSizeInput } from './list';
import { rawFilterInput } from '../odata-filter';
import { INCIDENT_FILTER_SPEC, typedGraphClauses, validateGraphIncidentFilter } from './odata';
import { GRAPH_PERMISSIONS } from './permissions';
import { GRAPH_SECURITY_PATH, GraphOperationImplementation } from './types';

export const GRAPH_INCIDENTS_PATH = `${GRAPH_SECURITY_PATH}/incidents`;

const incidentIdInput: OperationInput = {
  name: 'incidentId',
  displayName: 'Incident ID',
  type: 'string',
  required: true,
  maxLength: 20,
  placeholder: '29',
  description: 'The numeric incident id, as Graph returns it ("id") or the portal shows it (…/incidents/<id>).',
};

const expandInput: OperationInput = {
  name: 'expandAlerts',
  displayName: 'Include Alerts',
  type: 'boolean',
  group: 'options',
  description: 'Return each incident with its alerts ($expand=alerts), each with its evidence user and device fields. On a large tenant prefer one incident at a time: with a filter this is known to fail with 500.',
};

const EQ_FIELDS = ['status', 'severity', 'classification', 'assignedTo'] as const;

const listInputs: OperationInput[] = [
  { name: 'status', displayName: 'Status', type: 'options', group: 'filters', options: optionsOf(GRAPH_INCIDENT_STATUSES), description: 'Only incidents with this status.' },
  { name: 'severity', displayName: 'Severity', type: 'options', group: 'filters', options: optionsOf(SEVERITIES), description: 'Only incidents of this severity.' },
  { name: 'classification', displayName: 'Classification', type: 'options', group: 'filters', options: optionsOf(CLASSIFICATIONS), description: 'Only incidents with this classification.' },
  { name: 'assignedTo', displayName: 'Assigned To', type: 'string', group: 'filters', maxLength: 300, description: 'Only incidents assigned to this user (e.g. secop@contoso.com).' },
  { name: 'createdAfter', displayName: 'Created After', type: 'dateTime', group: 'filters', description: 'Only incidents created at or after this time (createdDateTime ge).' },
  { name: 'createdBefore', displayName: 'Created Before', type: 'dateTime', group: 'filters', description: 'Only incidents created at or before this time (createdDateTime le).' },
  { name: 'updatedAfter', displayName: 'Updated After', type: 'dateTime', group: 'filters', description: 'Only incidents last updated at or after this time (lastUpdateDateTime ge).' },
  { name: 'updatedBefore', displayName: 'Updated Before', type: 'dateTime', group: 'filters', description: 'Only incidents last updated at or before this time (lastUpdateDateTime le).' },
  rawFilterInput(INCIDENT_FILTER_SPEC.example, Object.keys(INCIDENT_FILTER_SPEC.fields)),
  expandInput,
  pageSizeInput,
];

const READ = GRAPH_PERMISSIONS.incidentRead;
const WRITE = GRAPH_PERMISSIONS.incidentWrite;
/** Graph incident ids are numeric text ("29"). */
function incidentId(input: OperationInputValues): string {
  const id = String(input.incidentId).trim();
  if (!/^\d{1,19}$/.test(id)) throw new MdcaValidationError('incidentId', `"Incident ID" must be the numeric incident id, not "${id.slice(0, 40)}".`, 'Use the "id" of a listed incident or the number in the portal URL (…/incidents/<id>).');
  return id;
}

const expandQuery = (input: OperationInputValues): Record<string, string> => (input.expandAlerts === true ? { $expand: 'alerts' } : {});

const listIncidents: GraphOperationImplementation = {
  definition: {
    service: 'graph',
    resource: 'incident',
    operation: 'getAll',
    id: 'incident.getAll',
    displayName: 'Get Many',
    action: 'Get many incidents',
    description: 'Lists Microsoft Graph security incidents, newest first, following @odata.nextLink; optionally with their alerts.',
    permissions: READ,
    access: 'read',
    http: { method: 'GET', path: GRAPH_INCIDENTS_PATH },
    paging: 'nextLink',
    output: 'items',
    inputs: listInputs,
  },
  run(exec, input) {
    const raw = typeof input.filter === 'string' && input.filter !== '' ? validateGraphIncidentFilter(input.filter) : undefined;
    return mapOutcome(graphList(listIncidents, exec, input, { clauses: typedGraphClauses(input, EQ_FIELDS), raw, extra: expandQuery(input) }), withAlertEvidence);
  },
};

function updateBody(input: OperationInputValues): Record<string, unknown> {
  const body: Record<string, unknown> = { ...verdictBody(input, 'incident') };
  if (input.status !== undefined) body.status = input.status;
  if (input.assignedTo !== undefined) body.assignedTo = input.assignedTo;
  if (input.customTags !== undefined) body.customTags = input.customTags;
  if (input.clearCustomTags === true) body.customTags = [];
  if (typeof input.resolvingComment === 'string' && input.resolvingComment !== '') body.resolvingComment = input.resolvingComment;
  if (Object.keys(body).length === 0) {
    throw new MdcaValidationError('status', 'Nothing to update: give at least one of Status, Classification, Determination, Assigned To, Custom Tags or Resolving Comment.', 'Set the fields to change; the others stay as they are.');
  }
  return body;
}

export const graphIncidentOperations: GraphOperationImplementation[] = [
  listIncidents,
  {
    definition: {
      service: 'graph',
      resource: 'incident',
      operation: 'get',
      id: 'incident.get',
      displayName: 'Get',
      action: 'Get an incident',
      description: 'Fetches one Graph security incident, optionally with its alerts.',
      permissions: READ,
      access: 'read',
      http: { method: 'GET', path: `${GRAPH_INCIDENTS_PATH}/{incidentId}?$expand={expand}` },
      paging: 'none',
      output: 'item',
      inputs: [incidentIdInput, { ...expandInput, description: 'Return the incident with its alerts ($expand=alerts).' }],
    },
    request: { pathValues: (input) => ({ incidentId: incidentId(input), expand: expandQuery(input).$expand }), priority: 'interactive' },
    answer: (data) => ({ kind: 'item', item: withAlertEvidence(data) }),
  },
  {
    definition: {
      service: 'graph',
      resource: 'incident',
      operation: 'update',
      id: 'incident.update',
      displayName: 'Update',
      action: 'Update an incident',
      description: 'Changes status, classification and determination, the assignee, custom tags or the resolving comment (PATCH: only the given fields change) and returns the incident.',
      permissions: WRITE,
      access: 'idempotentWrite',
      http: { method: 'PATCH', path: `${GRAPH_INCIDENTS_PATH}/{incidentId}` },
      paging: 'none',
      output: 'item',
      inputs: [
        incidentIdInput,
        { name: 'status', displayName: 'Status', type: 'options', options: optionsOf(GRAPH_INCIDENT_WRITABLE_STATUSES), description: 'New status.' },
        ...verdictInputs(),
        { name: 'assignedTo', displayName: 'Assigned To', type: 'string', maxLength: 300, description: 'Who owns the incident (e.g. secop@contoso.com).' },
        { name: 'customTags', displayName: 'Custom Tags', type: 'stringList', description: 'The incident’s custom tags (replaces the whole list).' },
        { name: 'clearCustomTags', displayName: 'Remove All Custom Tags', type: 'boolean', group: 'options', description: 'Send an empty custom tag list.' },
        { name: 'resolvingComment', displayName: 'Resolving Comment', type: 'string', maxLength: MAX_COMMENT_LENGTH, description: 'Why the incident is resolved (a property set, not an appended comment).' },
      ],
    },
    request: { body: updateBody, pathValues: (input) => ({ incidentId: incidentId(input) }), priority: 'interactive' },
  },
  {
    definition: {
      service: 'graph',
      resource: 'incident',
      operation: 'addComment',
      id: 'incident.addComment',
      displayName: 'Add Comment',
      action: 'Add a comment to an incident',
      description: 'Appends a comment to the incident and returns all of its comments.',
      permissions: WRITE,
      access: 'nonIdempotentWrite',
      http: { method: 'POST', path: `${GRAPH_INCIDENTS_PATH}/{incidentId}/comments` },
      paging: 'none',
      output: 'result',
      inputs: [incidentIdInput, commentInput('incident')],
    },
    request: { body: (input) => ({ '@odata.type': COMMENT_ODATA_TYPE, comment: input.comment }), pathValues: (input) => ({ incidentId: incidentId(input) }), priority: 'interactive' },
    answer: (data, input) => ({ kind: 'result', result: { incidentId: input.incidentId, comments: commentsOf(data) } }),
  },
];
