// Defender for Endpoint machine actions (docs/defender-endpoint-api.md, "Machine actions"): get
// one, list them, wait until one is final, and the download link of a collected investigation
// package. The link is a short-lived shared-access URL: it is the output the user asked for, so
// it is returned as it is; no error or log line ever carries it (core/redact.ts removes the
// signature of any such URL from service text).
import { MdcaNotFoundError, MdcaProtocolError } from '../errors';
import type { OperationInput, OperationOutcome } from '../operations/types';
import { ACTION_STEP, waitForAction } from './action-state';
import { DEFAULT_WAIT_MINUTES, waitTimeoutInput } from './actions';
import { MACHINE_ACTION_STATUSES, MACHINE_ACTION_TYPES, optionsOf } from './enums';
import { actionIdInput, pageSizeInput } from './inputs';
import { rawFilterInput } from '../odata-filter';
import { mdeList } from './list';
import { afterClause, eqClauses, MACHINE_ACTION_FILTER_SPEC, validateMachineActionFilter } from './odata';
import { MDE_PERMISSIONS } from './permissions';
import { MACHINE_ACTIONS_PATH, MdeOperationImplementation } from './types';

const READ = MDE_PERMISSIONS.read;

const listInputs: OperationInput[] = [
  { name: 'machineId', displayName: 'Machine ID', type: 'string', group: 'filters', maxLength: 200, description: 'Only actions on this machine (its 40-character id).' },
  { name: 'type', displayName: 'Type', type: 'options', group: 'filters', options: optionsOf(MACHINE_ACTION_TYPES), description: 'Only actions of this type.' },
  { name: 'status', displayName: 'Status', type: 'options', group: 'filters', options: optionsOf(MACHINE_ACTION_STATUSES), description: 'Only actions with this status.' },
  { name: 'createdAfter', displayName: 'Created After', type: 'dateTime', group: 'filters', description: 'Only actions created after this time (creationDateTimeUtc gt).' },
  rawFilterInput(MACHINE_ACTION_FILTER_SPEC.example, Object.keys(MACHINE_ACTION_FILTER_SPEC.fields)),
  pageSizeInput,
];

/**
 * The link of a GetPackageUri answer. The service's own example shows the URL inside escaped
 * quotes ("\"https://…\""), so surrounding quotes are dropped; anything but an https URL is refused.
 */
export function packageUrlOf(data: unknown): string {
  const raw = (data as { value?: unknown } | null)?.value;
  const text = typeof raw === 'string' ? raw.trim().replace(/^"+|"+$/g, '') : '';
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || url.protocol !== 'https:') {
    throw new MdcaProtocolError(
      'Defender for Endpoint answered machineAction.getPackageUri without an https download link in "value".',
      'Check that the Defender for Endpoint API URL is right and that no proxy rewrites the answers.',
      { operation: 'machineAction.getPackageUri' },
    );
  }
  return text;
}

/** When the link stops working, from its `se` (signed expiry) parameter where it has one. */
function expiryOf(url: string): string | undefined {
  const se = new URL(url).searchParams.get('se');
  return se && Number.isFinite(Date.parse(se)) ? new Date(Date.parse(se)).toISOString() : undefined;
}

const getAction: MdeOperationImplementation = {
  definition: {
    service: 'mde',
    resource: 'machineAction',
    operation: 'get',
    id: 'machineAction.get',
    displayName: 'Get',
    action: 'Get a machine action',
    description: 'Fetches one machine action: its type, status (Pending, InProgress, Succeeded, Failed, TimeOut, Cancelled), machine, requestor and comment.',
    permissions: READ,
    access: 'read',
    http: { method: 'GET', path: `${MACHINE_ACTIONS_PATH}/{actionId}` },
    paging: 'none',
    output: 'item',
    inputs: [actionIdInput],
  },
};

const listActions: MdeOperationImplementation = {
  definition: {
    service: 'mde',
    resource: 'machineAction',
    operation: 'getAll',
    id: 'machineAction.getAll',
    displayName: 'Get Many',
    action: 'Get many machine actions',
    description: 'Lists machine actions, filtered by machine, type and status, paged with $top and $skip.',
    permissions: READ,
    access: 'read',
    http: { method: 'GET', path: MACHINE_ACTIONS_PATH },
    paging: 'skipLimit',
    output: 'items',
    inputs: listInputs,
  },
  run(exec, input) {
    const raw = typeof input.filter === 'string' && input.filter !== '' ? validateMachineActionFilter(input.filter) : undefined;
    const clauses = [...eqClauses(input, ['machineId', 'type', 'status']), ...afterClause('creationDateTimeUtc', input.createdAfter as number | undefined)];
    return mdeList(listActions, exec, input, clauses, raw);
  },
};

const getPackageUri: MdeOperationImplementation = {
  definition: {
    service: 'mde',
    resource: 'machineAction',
    operation: 'getPackageUri',
    id: 'machineAction.getPackageUri',
    displayName: 'Get Package Download Link',
    action: 'Get the download link of an investigation package',
    description:
      'Gives the download link (downloadUrl) of the package a Collect Investigation Package action collected, once that action Succeeded. The link works for a short time only (expiresAt where it says) and lets whoever holds it download the package: use it at once and do not store it. Defender for Endpoint allows 2 calls per minute and 120 per hour.',
    permissions: MDE_PERMISSIONS.packageUri,
    access: 'read',
    http: { method: 'GET', path: `${MACHINE_ACTIONS_PATH}/{actionId}/GetPackageUri` },
    paging: 'none',
    output: 'result',
    inputs: [actionIdInput],
  },
  answer(data, input): OperationOutcome {
    const downloadUrl = packageUrlOf(data);
    const expiresAt = expiryOf(downloadUrl);
    return { kind: 'result', result: { actionId: input.actionId, downloadUrl, ...(expiresAt ? { expiresAt } : {}) } };
  },
  failure(error) {
    if (!(error instanceof MdcaNotFoundError)) return undefined;
    return new MdcaNotFoundError(
      'No investigation package to download (404): the machine action is unknown, is not a Collect Investigation Package action, or has not Succeeded yet.',
      'Wait for the collection (Machine Action > Wait for Completion with its id) and ask again; the package is ready once its status is Succeeded.',
      error.details,
    );
  },
};

const waitForCompletion: MdeOperationImplementation = {
  definition: {
    service: 'mde',
    resource: 'machineAction',
    operation: 'waitForCompletion',
    id: 'machineAction.waitForCompletion',
    displayName: 'Wait for Completion',
    action: 'Wait for a machine action to finish',
    description: 'Reads a machine action until it is Succeeded, Failed, TimeOut or Cancelled, or the timeout is up (the action keeps running then: timedOut is true). Reads at 15 s, 30 s, then every minute, within the tenant\'s budget.',
    permissions: READ,
    access: 'read',
    http: { method: 'GET', path: `${MACHINE_ACTIONS_PATH}/{actionId}` },
    steps: { [ACTION_STEP]: { method: 'GET', path: `${MACHINE_ACTIONS_PATH}/{actionId}`, access: 'read' } },
    paging: 'none',
    output: 'result',
    inputs: [actionIdInput, waitTimeoutInput()],
  },
  async run(exec, input) {
    const actionId = String(input.actionId);
    const minutes = (input.waitTimeoutMinutes as number | undefined) ?? DEFAULT_WAIT_MINUTES;
    const { value, timedOut, elapsedMs } = await waitForAction(exec, waitForCompletion, actionId, minutes * 60_000);
    return { kind: 'result', result: { actionId, status: value.status ?? null, final: !timedOut, timedOut, elapsedMs, action: value } };
  },
};

export const machineActionOperations: MdeOperationImplementation[] = [getAction, listActions, getPackageUri, waitForCompletion];

