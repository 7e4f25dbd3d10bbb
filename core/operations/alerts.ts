// Alerts: list, fetch, the three close calls (ids 100 per call with a per-item
// report, or by filter), read/unread, and the deprecated dismiss/resolve mapped onto the current
// close calls as the docs say the service itself does.
import { MdcaError, MdcaValidationError } from '../errors';
import { FilterObject, validateFilters } from '../filters';
import { API, addFilter, filtersJsonInput, idInput, sortDirectionInput, sortFieldInput } from './common';
import { declaredRequest } from './declared-request';
import type { OperationExecution, OperationImplementation, OperationInput, OperationInputValues, OperationOutcome, PerItemResult } from './types';

export const ALERT_SEVERITIES = [
  { name: 'Low', value: 0 },
  { name: 'Medium', value: 1 },
  { name: 'High', value: 2 },
  { name: 'Informational', value: 3 },
] as const;

export const ALERT_RESOLUTION_STATUSES = [
  { name: 'Open', value: 0 },
  { name: 'Dismissed (legacy)', value: 1 },
  { name: 'Resolved (legacy)', value: 2 },
  { name: 'Closed: False Positive', value: 3 },
  { name: 'Closed: Benign', value: 4 },
  { name: 'Closed: True Positive', value: 5 },
] as const;

const alertFilterInputs: OperationInput[] = [
  { name: 'severity', displayName: 'Severity', type: 'multiOptions', group: 'filters', options: ALERT_SEVERITIES, description: 'Only alerts with these severities.' },
  { name: 'resolutionStatus', displayName: 'Resolution Status', type: 'multiOptions', group: 'filters', options: ALERT_RESOLUTION_STATUSES, description: 'Only alerts with these resolution statuses.' },
  {
    name: 'openState',
    displayName: 'Open or Closed',
    type: 'options',
    group: 'filters',
    options: [
      { name: 'Open Only', value: 'open' },
      { name: 'Closed Only', value: 'closed' },
    ],
    description: 'Only open, or only closed, alerts.',
  },
  {
    name: 'readState',
    displayName: 'Read State',
    type: 'options',
    group: 'filters',
    options: [
      { name: 'Unread Only', value: 'unread' },
      { name: 'Read Only', value: 'read' },
    ],
    description: 'Only unread, or only read, alerts.',
  },
  { name: 'since', displayName: 'Raised After', type: 'dateTime', group: 'filters', description: 'Only alerts raised at or after this time.' },
  { name: 'until', displayName: 'Raised Before', type: 'dateTime', group: 'filters', description: 'Only alerts raised at or before this time.' },
  { name: 'ipAddresses', displayName: 'IP Addresses', type: 'stringList', group: 'filters', description: 'Only alerts related to these IP addresses (comma-separated).' },
  { name: 'appIds', displayName: 'App IDs', type: 'stringList', group: 'filters', description: 'Only alerts related to these cloud app ids, e.g. 11161 for Office 365.' },
  { name: 'policyIds', displayName: 'Policy IDs', type: 'stringList', group: 'filters', description: 'Only alerts raised by these policies.' },
  { name: 'alertIds', displayName: 'Alert IDs', type: 'stringList', format: 'alertId', group: 'filters', description: 'Only these alerts (24-character ids).' },
  filtersJsonInput('{"risk": {"eq": [8, 9, 10]}}'),
];

export function alertTypedFilters(input: OperationInputValues): FilterObject {
  const filters: FilterObject = {};
  addFilter(filters, 'severity', 'eq', input.severity);
  addFilter(filters, 'resolutionStatus', 'eq', input.resolutionStatus);
  if (input.openState) addFilter(filters, 'alertOpen', 'eq', input.openState === 'open');
  if (input.readState) addFilter(filters, 'read', 'eq', input.readState === 'read');
  addFilter(filters, 'date', 'gte', input.since);
  addFilter(filters, 'date', 'lte', input.until);
  addFilter(filters, 'entity.ip', 'eq', input.ipAddresses);
  addFilter(filters, 'entity.service', 'eq', (input.appIds as string[] | undefined)?.map(toAppId));
  addFilter(filters, 'entity.policy', 'eq', input.policyIds);
  addFilter(filters, 'id', 'eq', input.alertIds);
  return filters;
}

function toAppId(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new MdcaValidationError('appIds', `App id "${value.slice(0, 20)}" is not a whole number.`, 'Use numeric app ids such as 11161 (Office 365).');
  return n;
}

const alertIdInput = idInput('alertId', 'Alert ID', 'alertId', 'The 24-character alert id, from a list operation or the portal URL (…/#/alerts/<id>).');

const closeTargetInputs: OperationInput[] = [
  {
    name: 'target',
    displayName: 'Alerts To Close',
    type: 'options',
    default: 'ids',
    options: [
      { name: 'By IDs', value: 'ids', description: 'A list of alert ids (sent 100 per call, with a per-alert result)' },
      { name: 'By Filter', value: 'filter', description: 'Every alert that matches a filter' },
    ],
    description: 'Close the listed alerts, or every alert matching a filter.',
  },
  {
    name: 'alertIds',
    displayName: 'Alert IDs',
    type: 'stringList',
    format: 'alertId',
    required: true,
    displayWhen: { input: 'target', values: ['ids'] },
    description: 'Alert ids to close, comma-separated or a list.',
  },
  {
    name: 'filtersJson',
    displayName: 'Filter (JSON)',
    type: 'json',
    format: 'filterJson',
    required: true,
    displayWhen: { input: 'target', values: ['filter'] },
    description: 'MDCA alert filter selecting the alerts to close, e.g. {"severity": {"eq": [0]}, "alertOpen": {"eq": true}}',
  },
];

const feedbackInputs: OperationInput[] = [
  { name: 'comment', displayName: 'Comment', type: 'string', group: 'options', maxLength: 4_000, description: 'Comment stored with the alert.' },
  { name: 'sendFeedback', displayName: 'Send Feedback to Microsoft', type: 'boolean', group: 'options', default: false, description: 'Send the feedback text to Microsoft.' },
  { name: 'feedbackText', displayName: 'Feedback Text', type: 'string', group: 'options', maxLength: 4_000, description: 'Feedback sent to Microsoft when enabled.' },
  { name: 'allowContact', displayName: 'Allow Microsoft to Contact Me', type: 'boolean', group: 'options', default: false, description: 'Whether Microsoft may contact you about this feedback.' },
  { name: 'contactEmail', displayName: 'Contact Email', type: 'string', format: 'email', group: 'options', description: 'Address Microsoft may use.' },
];

function reasonInput(options: { name: string; value: number }[]): OperationInput {
  return { name: 'reasonId', displayName: 'Reason', type: 'options', options, group: 'options', description: 'Why the alert is closed this way.' };
}

interface CloseSpec {
  operation: string;
  displayName: string;
  action: string;
  path: string;
  responseKey: string;
  reasons?: { name: string; value: number }[];
  description: string;
  aliases?: string[];
}

const CLOSE_BATCH = 100; // Microsoft's MCAS module: "this API call only accepts 100 ID's at a time"

function closeOperation(spec: CloseSpec): OperationImplementation {
  const impl: OperationImplementation = {
    definition: {
      resource: 'alert',
      operation: spec.operation,
      id: `alert.${spec.operation}`,
      displayName: spec.displayName,
      action: spec.action,
      description: spec.description,
      permissions: ['Investigation.manage', 'Discovery.manage'],
      access: 'idempotentWrite',
      http: { method: 'POST', path: spec.path },
      paging: 'none',
      output: 'perItem',
      inputs: [...closeTargetInputs, ...(spec.reasons ? [reasonInput(spec.reasons)] : []), ...feedbackInputs],
      aliases: spec.aliases,
    },
    run: (exec, input) => closeAlerts(impl, spec.responseKey, exec, input),
  };
  return impl;
}

/** By filter: one call. By ids: 100 per call, each alert reported as done, not found, failed or skipped. */
async function closeAlerts(impl: OperationImplementation, responseKey: string, exec: OperationExecution, input: OperationInputValues): Promise<OperationOutcome> {
  const extra: Record<string, unknown> = {};
  for (const key of ['comment', 'reasonId', 'sendFeedback', 'feedbackText', 'allowContact', 'contactEmail']) {
    if (input[key] !== undefined) extra[key] = input[key];
  }
  if (input.target === 'filter') {
    const filters = validateFilters('alert', input.filtersJson, 'filtersJson');
    if (Object.keys(filters).length === 0) {
      throw new MdcaValidationError('filtersJson', 'The filter is empty: it would close every alert in the tenant.', 'Give a filter, or close by ids.');
    }
    const response = await exec.pipeline.send<Record<string, unknown>>(declaredRequest(impl, input, { json: { filters, ...extra } }), exec.ctx);
    const count = Number(response.data?.[responseKey] ?? 0);
    return { kind: 'perItem', summary: { closed: count, byFilter: true }, items: [] };
  }
  const ids = [...new Set(input.alertIds as string[])];
  const items: PerItemResult[] = [];
  let closed = 0;
  for (let i = 0; i < ids.length; i += CLOSE_BATCH) {
    const batch = ids.slice(i, i + CLOSE_BATCH);
    try {
      const response = await exec.pipeline.send<Record<string, unknown>>(declaredRequest(impl, input, { json: { filters: { id: { eq: batch } }, ...extra } }), exec.ctx);
      const notFound = new Set((Array.isArray(response.data?.alertsNotFound) ? response.data.alertsNotFound : []).map(String));
      closed += Number(response.data?.[responseKey] ?? batch.length - notFound.size);
      for (const id of batch) {
        items.push(notFound.has(id) ? { id, status: 'notFound', message: 'No alert with this id in the tenant.' } : { id, status: 'done' });
      }
    } catch (error) {
      // Report what was done and what was not; the rest of the batches are not attempted
      // when the run was cancelled, otherwise each batch gets its own chance.
      const failure = error instanceof MdcaError ? error : undefined;
      for (const id of batch) items.push({ id, status: 'failed', message: failure?.message ?? 'Failed.', errorCode: failure?.code });
      if (failure?.code === 'CANCELLED' || failure?.code === 'AUTH_FAILED' || failure?.code === 'PERMISSION_MISSING' || failure?.code === 'PROXY_FAILED') {
        for (const id of ids.slice(i + CLOSE_BATCH)) items.push({ id, status: 'skipped', message: `Not attempted: ${failure.code}.`, errorCode: failure.code });
        break;
      }
    }
  }
  const failed = items.filter((r) => r.status === 'failed' || r.status === 'skipped').length;
  return {
    kind: 'perItem',
    summary: { requested: ids.length, closed, notFound: items.filter((r) => r.status === 'notFound').length, failed },
    items,
  };
}

function markOperation(operation: 'markRead' | 'markUnread', suffix: 'read' | 'unread'): OperationImplementation {
  return {
    definition: {
      resource: 'alert',
      operation,
      id: `alert.${operation}`,
      displayName: operation === 'markRead' ? 'Mark as Read' : 'Mark as Unread',
      action: operation === 'markRead' ? 'Mark an alert as read' : 'Mark an alert as unread',
      description: `Marks one alert as ${suffix}.`,
      permissions: ['Investigation.read', 'Investigation.manage', 'Discovery.read', 'Discovery.manage'],
      access: 'idempotentWrite',
      http: { method: 'POST', path: `${API}/alerts/{alertId}/${suffix}/` },
      paging: 'none',
      output: 'result',
      inputs: [alertIdInput],
    },
    request: { expect: 'none' },
    answer: (_, input) => ({ kind: 'result', result: { alertId: input.alertId, read: suffix === 'read' } }),
  };
}

export const alertOperations: OperationImplementation[] = [
  {
    definition: {
      resource: 'alert',
      operation: 'getAll',
      id: 'alert.getAll',
      displayName: 'Get Many',
      action: 'Get many alerts',
      description: 'Lists alerts matching the filters, newest first by default.',
      permissions: ['Investigation.read', 'Investigation.manage', 'Discovery.read', 'Discovery.manage'],
      access: 'read',
      http: { method: 'POST', path: `${API}/alerts/` },
      paging: 'skipLimit',
      output: 'items',
      inputs: [...alertFilterInputs, sortFieldInput(['date', 'severity']), sortDirectionInput()],
    },
    list: { filters: alertTypedFilters },
  },
  {
    definition: {
      resource: 'alert',
      operation: 'get',
      id: 'alert.get',
      displayName: 'Get',
      action: 'Get an alert',
      description: 'Fetches one alert by id.',
      permissions: ['Investigation.read', 'Investigation.manage', 'Discovery.read', 'Discovery.manage'],
      access: 'read',
      http: { method: 'GET', path: `${API}/alerts/{alertId}/` },
      paging: 'none',
      output: 'item',
      inputs: [alertIdInput],
    },
  },
  closeOperation({
    operation: 'closeBenign',
    displayName: 'Close as Benign',
    action: 'Close alerts as benign',
    path: `${API}/alerts/close_benign/`,
    responseKey: 'closed_benign',
    description: 'Closes alerts whose activity was suspicious but authorized (for example a penetration test).',
    reasons: [
      { name: 'Actual Severity Is Lower', value: 2 },
      { name: 'Other', value: 4 },
      { name: 'Confirmed With End User', value: 5 },
      { name: 'Triggered by Test', value: 6 },
    ],
  }),
  closeOperation({
    operation: 'closeFalsePositive',
    displayName: 'Close as False Positive',
    action: 'Close alerts as false positive',
    path: `${API}/alerts/close_false_positive/`,
    responseKey: 'closed_false_positive',
    description: 'Closes alerts that were raised in error. The deprecated "dismiss" calls map here.',
    reasons: [
      { name: 'Not of Interest', value: 0 },
      { name: 'Too Many Similar Alerts', value: 1 },
      { name: 'Alert Is Not Accurate', value: 3 },
      { name: 'Other', value: 4 },
    ],
    aliases: ['dismiss', 'dismissBulk'],
  }),
  closeOperation({
    operation: 'closeTruePositive',
    displayName: 'Close as True Positive',
    action: 'Close alerts as true positive',
    path: `${API}/alerts/close_true_positive/`,
    responseKey: 'closed_true_positive',
    description: 'Closes alerts that were confirmed as real incidents. The deprecated "resolve" call maps here.',
    aliases: ['resolve'],
  }),
  markOperation('markRead', 'read'),
  markOperation('markUnread', 'unread'),
];
