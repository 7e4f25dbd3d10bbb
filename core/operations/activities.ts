// Activities: list with filters and sort, scan mode for big pulls (large pages with a
// nextQueryFilters cursor), fetch by id, and feedback (both body styles are accepted by the service).
import type { FilterObject } from '../filters';
import { API, addFilter, filtersJsonInput, idInput, sortDirectionInput, sortFieldInput } from './common';
import type { OperationImplementation, OperationInput, OperationInputValues } from './types';

const INVESTIGATION = ['Investigation.read', 'Investigation.manage'] as const;

const activityFilterInputs: OperationInput[] = [
  { name: 'since', displayName: 'After', type: 'dateTime', group: 'filters', description: 'Only activities that happened at or after this time.' },
  { name: 'until', displayName: 'Before', type: 'dateTime', group: 'filters', description: 'Only activities that happened at or before this time.' },
  { name: 'appIds', displayName: 'App IDs', type: 'stringList', group: 'filters', description: 'Only these cloud apps (numeric ids, e.g. 11161 Office 365, 20893 Exchange Online).' },
  { name: 'usernames', displayName: 'User Names', type: 'stringList', group: 'filters', description: 'Only activities performed by these users (user principal names).' },
  { name: 'ipAddresses', displayName: 'IP Addresses', type: 'stringList', group: 'filters', description: 'Only activities from these IP addresses.' },
  { name: 'countries', displayName: 'Country Codes', type: 'stringList', group: 'filters', description: 'Only activities from these countries (two-letter codes, e.g. US, DE).' },
  { name: 'alertId', displayName: 'Related Alert ID', type: 'string', format: 'alertId', group: 'filters', description: 'Only the activities of this alert.' },
  { name: 'adminEvents', displayName: 'Admin Activities Only', type: 'boolean', group: 'filters', description: 'Only administrative activities.' },
  filtersJsonInput('{"activity.eventActionType": {"eq": ["EVENT_CATEGORY_LOGIN"]}}'),
];

export function activityTypedFilters(input: OperationInputValues): FilterObject {
  const filters: FilterObject = {};
  addFilter(filters, 'date', 'gte', input.since);
  addFilter(filters, 'date', 'lte', input.until);
  addFilter(filters, 'service', 'eq', (input.appIds as string[] | undefined)?.map(Number));
  addFilter(filters, 'user.username', 'eq', input.usernames);
  addFilter(filters, 'ip.address', 'eq', input.ipAddresses);
  addFilter(filters, 'location.country', 'eq', input.countries);
  addFilter(filters, 'activity.alertId', 'eq', input.alertId);
  if (input.adminEvents === true) addFilter(filters, 'activity.type', 'eq', true);
  return filters;
}

function feedbackBody(input: OperationInputValues): Record<string, unknown> {
  // Both the documented field name and the example's field names are sent: the docs
  // disagree with themselves and the service accepts both.
  const body: Record<string, unknown> = { feedback: input.feedback, feedbackValue: String(input.feedback) };
  for (const key of ['feedbackText', 'allowContact', 'contactEmail']) if (input[key] !== undefined) body[key] = input[key];
  return body;
}

const activityIdInput = idInput('activityId', 'Activity ID', 'activityId', 'The activity id, <tenantId>_<appId>_<eventId>, from a list operation.');

export const activityOperations: OperationImplementation[] = [
  {
    definition: {
      resource: 'activity',
      operation: 'getAll',
      id: 'activity.getAll',
      displayName: 'Get Many',
      action: 'Get many activities',
      description: 'Lists activities matching the filters. Turn on scan mode for pulls of more than 5,000 activities.',
      permissions: INVESTIGATION,
      access: 'read',
      http: { method: 'POST', path: `${API}/activities/` },
      paging: 'skipLimit',
      output: 'items',
      inputs: [
        ...activityFilterInputs,
        sortFieldInput(['date', 'created']),
        sortDirectionInput(),
        {
          name: 'scanMode',
          displayName: 'Scan Mode (Large Pulls)',
          type: 'boolean',
          group: 'options',
          default: false,
          description: 'Page with MDCA scan mode (nextQueryFilters): every activity exactly once, beyond the 5,000-record skip limit.',
        },
        {
          name: 'scanPageSize',
          displayName: 'Scan Page Size',
          type: 'number',
          group: 'options',
          default: 500,
          min: 100,
          max: 5_000,
          displayWhen: { input: 'scanMode', values: [true] },
          description: 'Activities per scan page (MDCA accepts 500-5,000; 100 for tenants that cap pages).',
        },
      ],
    },
    list: {
      filters: activityTypedFilters,
      scan: (input) => (input.scanMode === true ? { limit: Number(input.scanPageSize ?? 500) } : undefined),
    },
  },
  {
    definition: {
      resource: 'activity',
      operation: 'get',
      id: 'activity.get',
      displayName: 'Get',
      action: 'Get an activity',
      description: 'Fetches one activity by id.',
      permissions: INVESTIGATION,
      access: 'read',
      http: { method: 'GET', path: `${API}/activities/{activityId}/` },
      paging: 'none',
      output: 'item',
      inputs: [activityIdInput],
    },
  },
  {
    definition: {
      resource: 'activity',
      operation: 'sendFeedback',
      id: 'activity.sendFeedback',
      displayName: 'Send Feedback',
      action: 'Send feedback on an activity',
      description: 'Tells Microsoft whether an activity was relevant.',
      permissions: INVESTIGATION,
      access: 'idempotentWrite',
      http: { method: 'POST', path: `${API}/activities/{activityId}/feedback` },
      paging: 'none',
      output: 'result',
      inputs: [
        activityIdInput,
        {
          name: 'feedback',
          displayName: 'Feedback',
          type: 'options',
          required: true,
          default: 0,
          options: [
            { name: 'Irrelevant', value: 0 },
            { name: 'Relevant', value: 1 },
          ],
          description: 'Whether the activity was relevant.',
        },
        { name: 'feedbackText', displayName: 'Feedback Text', type: 'string', maxLength: 4_000, group: 'options', description: 'Free text sent with the feedback.' },
        { name: 'allowContact', displayName: 'Allow Microsoft to Contact Me', type: 'boolean', default: false, group: 'options', description: 'Whether Microsoft may contact you.' },
        { name: 'contactEmail', displayName: 'Contact Email', type: 'string', format: 'email', group: 'options', description: 'Address Microsoft may use.' },
      ],
    },
    request: { body: feedbackBody },
    answer: (data, input) => ({ kind: 'result', result: { activityId: input.activityId, feedback: input.feedback, response: data } }),
  },
];
