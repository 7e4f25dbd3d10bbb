// Defender XDR incidents: list with OData $filter/$top/$skip, get, update, add a comment.
import { MdcaValidationError } from '../errors';
import { skipPages } from '../odata-skip-paging';
import { declaredRequest } from '../operations/declared-request';
import type { OperationInput, OperationInputValues, Page } from '../operations/types';
import { combineFilters, INCIDENT_STATUSES, typedIncidentClauses, validateIncidentFilter } from './odata';
import { XDR_PERMISSIONS } from './permissions';
import type { XdrOperationExecution, XdrOperationImplementation } from './types';

export const INCIDENTS_PATH = '/api/incidents';
/** `$top` ≤ 100 (the service's documented maximum). */
export const INCIDENT_PAGE_SIZE = 100;

export const INCIDENT_CLASSIFICATIONS = ['TruePositive', 'InformationalExpectedActivity', 'FalsePositive'] as const;
export type IncidentClassification = (typeof INCIDENT_CLASSIFICATIONS)[number];

/**
 * Allowed determinations per classification (Microsoft's "update incident" page), with the names
 * of the incident resource page accepted as well (CompromisedUser, ConfirmedUserActivity,
 * InsufficientData). The update
 * page's "determination only with TruePositive" contradicts its own per-classification lists; the
 * lists win. Values are sent as given.
 */
export const INCIDENT_DETERMINATIONS: Record<IncidentClassification, readonly string[]> = {
  TruePositive: ['MultiStagedAttack', 'MaliciousUserActivity', 'CompromisedAccount', 'CompromisedUser', 'Malware', 'Phishing', 'UnwantedSoftware', 'Other'],
  InformationalExpectedActivity: ['SecurityTesting', 'LineOfBusinessApplication', 'ConfirmedActivity', 'ConfirmedUserActivity', 'Other'],
  FalsePositive: ['Clean', 'NoEnoughDataToValidate', 'InsufficientData', 'Other'],
};
const ALL_DETERMINATIONS = [...new Set(Object.values(INCIDENT_DETERMINATIONS).flat())];

const CLASSIFICATION_LABELS: Record<IncidentClassification, string> = { TruePositive: 'True Positive', InformationalExpectedActivity: 'Informational, Expected Activity', FalsePositive: 'False Positive' };

const statusOptions = INCIDENT_STATUSES.map((s) => ({ name: s.replace(/([a-z])([A-Z])/g, '$1 $2'), value: s }));

const incidentIdInput: OperationInput = {
  name: 'incidentId',
  displayName: 'Incident ID',
  type: 'number',
  required: true,
  min: 1,
  max: Number.MAX_SAFE_INTEGER,
  description: 'The numeric incident id, from a list operation or the portal URL (…/incidents/<id>).',
};

const commentInput: OperationInput = {
  name: 'comment',
  displayName: 'Comment',
  type: 'string',
  maxLength: 4_000,
  description: 'A comment added to the incident (appended; sent once, never retried blindly).',
};

const listInputs: OperationInput[] = [
  { name: 'lastUpdatedAfter', displayName: 'Updated After', type: 'dateTime', group: 'filters', description: 'Only incidents last updated at or after this time (lastUpdateTime ge).' },
  { name: 'lastUpdatedBefore', displayName: 'Updated Before', type: 'dateTime', group: 'filters', description: 'Only incidents last updated at or before this time (lastUpdateTime le).' },
  { name: 'createdAfter', displayName: 'Created After', type: 'dateTime', group: 'filters', description: 'Only incidents created at or after this time (createdTime ge).' },
  { name: 'createdBefore', displayName: 'Created Before', type: 'dateTime', group: 'filters', description: 'Only incidents created at or before this time (createdTime le).' },
  { name: 'status', displayName: 'Status', type: 'options', group: 'filters', options: statusOptions, description: 'Only incidents with this status.' },
  { name: 'assignedTo', displayName: 'Assigned To', type: 'string', group: 'filters', maxLength: 300, description: 'Only incidents assigned to this user (e.g. secop@contoso.com).' },
  {
    name: 'filter',
    displayName: 'Raw Filter (OData)',
    type: 'string',
    group: 'filters',
    maxLength: 2_000,
    placeholder: "lastUpdateTime ge 2026-01-31T00:00:00Z and status eq 'Active'",
    description: 'OData $filter on lastUpdateTime, createdTime, status or assignedTo (eq, ne, gt, ge, lt, le; and/or), ANDed with the fields above.',
  },
  {
    name: 'containsAlertId',
    displayName: 'Contains Alert ID',
    type: 'string',
    group: 'filters',
    maxLength: 200,
    description: 'Only incidents with this alert: an XDR alert id, or an MDCA alert id (matched against providerAlertId and the "ca"-prefixed alertId). Filtered after listing, so combine it with a time filter.',
  },
];

/** Whether an incident holds the alert: XDR alertId, or the MDCA alert id behind it. */
export function incidentHasAlert(incident: unknown, alertId: string): boolean {
  const alerts = (incident as { alerts?: unknown } | null)?.alerts;
  if (!Array.isArray(alerts)) return false;
  const wanted = alertId.trim().toLowerCase();
  return alerts.some((raw) => {
    const a = raw as Record<string, unknown> | null;
    if (!a) return false;
    const ids = [a.alertId, a.providerAlertId, a.mcasAlertId].filter((v) => typeof v === 'string').map((v) => (v as string).toLowerCase());
    return ids.includes(wanted) || ids.includes(`ca${wanted}`);
  });
}

function incidentPages(exec: XdrOperationExecution, input: OperationInputValues, filter: string | undefined, containsAlertId: string | undefined): AsyncGenerator<Page> {
  return skipPages(
    exec.pipeline,
    {
      request: (page) => declaredRequest(listIncidents, input, { query: { $filter: filter, ...page } }),
      pageSize: INCIDENT_PAGE_SIZE,
      serviceName: 'Defender XDR',
      maxItems: exec.maxItems,
      warn: exec.warn,
      idOf: (incident) => (incident as { incidentId?: unknown } | null)?.incidentId,
      keep: containsAlertId ? (incident) => incidentHasAlert(incident, containsAlertId) : undefined,
    },
    exec.ctx,
  );
}

const READ = XDR_PERMISSIONS.incidentRead;
const WRITE = XDR_PERMISSIONS.incidentWrite;

function updateBody(input: OperationInputValues): { body: Record<string, unknown>; hasComment: boolean } {
  const body: Record<string, unknown> = {};
  if (input.status !== undefined) body.status = input.status;
  if (input.assignedTo !== undefined) body.assignedTo = input.assignedTo;
  const classification = input.classification as IncidentClassification | undefined;
  const determination = input.determination as string | undefined;
  if (determination !== undefined) {
    if (!classification) {
      throw new MdcaValidationError('determination', '"Determination" needs a "Classification": the allowed determinations depend on it.', `Set Classification too. ${describePairs()}`);
    }
    if (!INCIDENT_DETERMINATIONS[classification].includes(determination)) {
      throw new MdcaValidationError(
        'determination',
        `"Determination" ${determination} is not allowed with the classification ${classification}.`,
        `With ${classification} use one of: ${INCIDENT_DETERMINATIONS[classification].join(', ')}.`,
      );
    }
  }
  if (classification !== undefined) body.classification = classification;
  if (determination !== undefined) body.determination = determination;
  if (input.tags !== undefined) body.tags = input.tags;
  if (input.clearTags === true) body.tags = [];
  const hasComment = typeof input.comment === 'string' && input.comment !== '';
  if (hasComment) body.comment = input.comment;
  if (Object.keys(body).length === 0) {
    throw new MdcaValidationError('status', 'Nothing to update: give at least one of Status, Assigned To, Classification, Determination, Tags or Comment.', 'Set the fields to change; the others stay as they are.');
  }
  return { body, hasComment };
}

function describePairs(): string {
  return (Object.keys(INCIDENT_DETERMINATIONS) as IncidentClassification[]).map((c) => `${c}: ${INCIDENT_DETERMINATIONS[c].join(', ')}`).join('; ');
}

// OData $top/$skip pages, and a containsAlertId filter applied after each page: its own pager.
const listIncidents: XdrOperationImplementation = {
  definition: {
    service: 'xdr',
    resource: 'incident',
    operation: 'getAll',
    id: 'incident.getAll',
    displayName: 'Get Many',
    action: 'Get many incidents',
    description: 'Lists Defender XDR incidents, most recently updated first, 100 per call with $skip paging.',
    permissions: READ,
    access: 'read',
    http: { method: 'GET', path: INCIDENTS_PATH },
    paging: 'skipLimit',
    output: 'items',
    inputs: listInputs,
  },
  run(exec, input) {
    const raw = typeof input.filter === 'string' && input.filter !== '' ? validateIncidentFilter(input.filter) : undefined;
    const typed = typedIncidentClauses({
      lastUpdatedAfter: input.lastUpdatedAfter as number | undefined,
      lastUpdatedBefore: input.lastUpdatedBefore as number | undefined,
      createdAfter: input.createdAfter as number | undefined,
      createdBefore: input.createdBefore as number | undefined,
      status: input.status as string | undefined,
      assignedTo: input.assignedTo as string | undefined,
    });
    const filter = combineFilters(typed, raw);
    return { kind: 'pages', pages: incidentPages(exec, input, filter, input.containsAlertId as string | undefined) };
  },
};

export const incidentOperations: XdrOperationImplementation[] = [
  listIncidents,
  {
    definition: {
      service: 'xdr',
      resource: 'incident',
      operation: 'get',
      id: 'incident.get',
      displayName: 'Get',
      action: 'Get an incident',
      description: 'Fetches one incident with its alerts, devices and entities.',
      permissions: READ,
      access: 'read',
      http: { method: 'GET', path: `${INCIDENTS_PATH}/{incidentId}` },
      paging: 'none',
      output: 'item',
      inputs: [incidentIdInput],
    },
  },
  {
    definition: {
      service: 'xdr',
      resource: 'incident',
      operation: 'update',
      id: 'incident.update',
      displayName: 'Update',
      action: 'Update an incident',
      description: 'Changes status, assignment, classification and determination, tags, or adds a comment (PATCH: only the given fields change).',
      permissions: WRITE,
      access: 'idempotentWrite',
      http: { method: 'PATCH', path: `${INCIDENTS_PATH}/{incidentId}` },
      paging: 'none',
      output: 'item',
      inputs: [
        incidentIdInput,
        { name: 'status', displayName: 'Status', type: 'options', options: statusOptions, description: 'New status.' },
        { name: 'assignedTo', displayName: 'Assigned To', type: 'string', maxLength: 300, description: 'User the incident is assigned to (e.g. secop@contoso.com).' },
        {
          name: 'classification',
          displayName: 'Classification',
          type: 'options',
          options: INCIDENT_CLASSIFICATIONS.map((value) => ({ name: CLASSIFICATION_LABELS[value], value })),
          description: 'How the incident is classified; the allowed determinations depend on it.',
        },
        {
          name: 'determination',
          displayName: 'Determination',
          type: 'options',
          options: ALL_DETERMINATIONS.map((d) => ({ name: d.replace(/([a-z])([A-Z])/g, '$1 $2'), value: d })),
          description: `Needs a Classification. ${describePairs()}.`,
        },
        { name: 'tags', displayName: 'Tags', type: 'stringList', description: 'The incident tags (replaces the whole list).' },
        { name: 'clearTags', displayName: 'Remove All Tags', type: 'boolean', group: 'options', description: 'Send an empty tag list.' },
        commentInput,
      ],
    },
    request: {
      body: (input) => updateBody(input).body,
      // The same PATCH twice leaves the same incident, except a comment, which is appended:
      // with a comment a lost answer is reported as "outcome unknown" instead of resending.
      access: (input) => (updateBody(input).hasComment ? 'nonIdempotentWrite' : 'idempotentWrite'),
      priority: 'interactive',
    },
  },
  {
    // The same documented PATCH as update with "comment" alone: the playbook step that only
    // records what was done. A comment is appended, so it is never sent twice.
    definition: {
      service: 'xdr',
      resource: 'incident',
      operation: 'addComment',
      id: 'incident.addComment',
      displayName: 'Add Comment',
      action: 'Add a comment to an incident',
      description: 'Appends a comment to the incident (PATCH with only "comment"; nothing else changes) and returns the updated incident.',
      permissions: WRITE,
      access: 'nonIdempotentWrite',
      http: { method: 'PATCH', path: `${INCIDENTS_PATH}/{incidentId}` },
      paging: 'none',
      output: 'item',
      inputs: [incidentIdInput, { ...commentInput, required: true }],
    },
    request: { body: (input) => ({ comment: input.comment }), priority: 'interactive' },
  },
];
