// The Defender for Endpoint response actions on machines (docs/defender-endpoint-api.md, "Machine
// actions"): isolate and release, antivirus scan, investigation package, restrict and unrestrict
// app execution. Each runs through the one response runner (core/response/run-actions.ts): dry
// run, a read of the machine's actions before sending (the same type still running, or already
// isolated: nothing is sent), a refusal "already in progress" recorded with the running action's
// id, never resent after the request may have arrived, and an optional wait until the action is
// final. Request bodies are case-sensitive: Comment, IsolationType, ScanType.
import { MdcaError, MdcaPermissionError, MdcaValidationError } from '../errors';
import { declaredRequest } from '../operations/declared-request';
import type { OperationExecution, OperationInput, OperationInputValues } from '../operations/types';
import { dryRunInput, RecordFields, runResponseAction, ResponseActionSpec } from '../response/run-actions';
import type { ResponseActionRecord } from '../response/types';
import { ACTION_STEP, ACTIONS_STEP, actionsOf, FAILED_OUTCOMES, isAlreadyRunning, MachineAction, waitForAction } from './action-state';
import { ISOLATION_TYPES, LIVE_ACTION_STATUSES, MachineActionType, optionsOf, SCAN_TYPES } from './enums';
import { checkedMachineId } from './inputs';
import { MDE_PERMISSIONS, MdePermissionName } from './permissions';
import { MACHINE_ACTIONS_PATH, MACHINES_PATH, MdeOperationImplementation } from './types';

export const MAX_COMMENT_LENGTH = 4_000;
export const DEFAULT_WAIT_MINUTES = 10;
export const MAX_WAIT_MINUTES = 60;

const machineIdsInput: OperationInput = {
  name: 'machineIds',
  displayName: 'Machine IDs',
  type: 'stringList',
  required: true,
  placeholder: '1e5bc9d7e413ddd7902c2932e418702b84d0cc07',
  description: 'One machine id (40 hexadecimal characters, e.g. the machineId of Find Machine), or a list of them (comma-separated or an array, at most 100 per run): each gets its own record.',
};

const commentInput: OperationInput = {
  name: 'comment',
  displayName: 'Comment',
  type: 'string',
  required: true,
  maxLength: MAX_COMMENT_LENGTH,
  placeholder: 'Contained by the SOC: incident 4711',
  description: 'Why the action is taken: sent as its Comment (shown in the Action center of the Defender portal) and recorded in the output.',
};

/** The wait options every response action has, and the machine action "Wait for Completion" shares. */
export const waitTimeoutInput = (displayWhen?: OperationInput['displayWhen']): OperationInput => ({
  name: 'waitTimeoutMinutes',
  displayName: 'Wait Timeout (Minutes)',
  type: 'number',
  default: DEFAULT_WAIT_MINUTES,
  min: 1,
  max: MAX_WAIT_MINUTES,
  ...(displayWhen ? { group: 'options' as const, displayWhen } : {}),
  description: `How long to wait for the action to finish (default ${DEFAULT_WAIT_MINUTES}, at most ${MAX_WAIT_MINUTES} minutes). Its status is read after 15 s, 30 s, then every minute, within the tenant's budget; when the time is up the action keeps running and the output says so.`,
});

const waitInputs: OperationInput[] = [
  {
    name: 'waitForCompletion',
    displayName: 'Wait for Completion',
    type: 'boolean',
    default: false,
    group: 'options',
    description: 'Wait until Defender for Endpoint reports the action Succeeded, Failed, TimeOut or Cancelled (an offline machine keeps it Pending). Off: the output has the action id and its first status.',
  },
  waitTimeoutInput({ input: 'waitForCompletion', values: [true] }),
];

interface ActionKind {
  operation: string;
  displayName: string;
  action: string;
  description: string;
  /** The last path segment, as the method's page spells it. */
  path: string;
  type: MachineActionType;
  permissions: readonly MdePermissionName[];
  doneOutcome: string;
  inputs?: OperationInput[];
  body?: (input: OperationInputValues) => Record<string, unknown>;
  /** What this action adds to the read before sending (already isolated; release during an isolate). */
  check?: (actions: readonly MachineAction[], target: string) => RecordFields | undefined;
}

const live = (a: MachineAction): boolean => LIVE_ACTION_STATUSES.has(String(a.status));

function actionFields(action: MachineAction): RecordFields {
  const fields: RecordFields = {};
  if (action.id) fields.actionId = action.id;
  if (action.status) fields.actionStatus = action.status;
  if (action.machineId) fields.targetId = action.machineId;
  if (action.computerDnsName) fields.targetName = action.computerDnsName;
  return fields;
}

/** The last isolation that took effect says whether the machine is isolated now. */
function alreadyIsolated(actions: readonly MachineAction[]): RecordFields | undefined {
  const last = actions.find((a) => (a.type === 'Isolate' || a.type === 'Unisolate') && a.status === 'Succeeded');
  if (last?.type !== 'Isolate') return undefined;
  return { ...actionFields(last), outcome: 'alreadyIsolated', message: `Already isolated (${last.scope ?? 'Full'}) by action ${last.id}: nothing was sent.` };
}

function isolateStillRunning(actions: readonly MachineAction[], target: string): undefined {
  const isolate = actions.find((a) => a.type === 'Isolate' && live(a));
  if (!isolate) return undefined;
  throw new MdcaValidationError(
    'machineIds',
    `Not released: an Isolate action (${isolate.id}) is still ${isolate.status} on machine ${target}; releasing now could leave the machine isolated once that action runs. Nothing was sent.`,
    'Wait for the isolate action to finish (Machine Action > Wait for Completion with its id), then release the machine.',
  );
}

async function before(exec: OperationExecution, impl: MdeOperationImplementation, kind: ActionKind, target: string): Promise<RecordFields | { proceed: RecordFields } | undefined> {
  let actions: MachineAction[];
  try {
    actions = await actionsOf(exec, impl, target);
  } catch (error) {
    if (!(error instanceof MdcaPermissionError)) throw error;
    return { proceed: { message: 'Sent without checking for a running action first: the credential may not read machine actions (Machine.Read.All for apps, Machine.Read for users).' } };
  }
  const pending = actions.find((a) => a.type === kind.type && live(a));
  if (pending) return { ...actionFields(pending), outcome: 'actionAlreadyPending', message: `A ${kind.type} action (${pending.id}) is already ${pending.status} on this machine: nothing was sent.` };
  const checked = kind.check?.(actions, target);
  if (checked) return checked;
  const named = actions.find((a) => a.computerDnsName);
  return { proceed: named?.computerDnsName ? { targetName: named.computerDnsName } : {} };
}

async function conflict(exec: OperationExecution, impl: MdeOperationImplementation, kind: ActionKind, error: MdcaError, target: string): Promise<RecordFields | undefined> {
  if (!isAlreadyRunning(error)) return undefined;
  const said = `Defender for Endpoint refused a second ${kind.type}: one is already in progress on this machine.`;
  try {
    const running = (await actionsOf(exec, impl, target, kind.type)).find(live);
    return running ? { ...actionFields(running), message: `${said} Its id is ${running.id}.` } : { message: `${said} No running action was listed; look it up in the Action center.` };
  } catch (lookup) {
    if (!(lookup instanceof MdcaError)) throw lookup;
    return { message: `${said} Looking it up failed (${lookup.code}).` };
  }
}

/** After a success: wait until the action is final, when asked to. A failed wait never hides that the action was sent. */
async function after(exec: OperationExecution, impl: MdeOperationImplementation, record: ResponseActionRecord, input: OperationInputValues): Promise<RecordFields> {
  if (input.waitForCompletion !== true || !record.actionId) return {};
  const minutes = (input.waitTimeoutMinutes as number | undefined) ?? DEFAULT_WAIT_MINUTES;
  try {
    const { value, timedOut } = await waitForAction(exec, impl, record.actionId, minutes * 60_000);
    const status = String(value.status ?? 'unknown');
    if (timedOut) {
      return { actionStatus: status, message: `Still ${status} after ${minutes} minutes of waiting; the action keeps running on the service. Follow it up with Machine Action > Get or Wait for Completion (id ${record.actionId}).` };
    }
    const failed = FAILED_OUTCOMES[status];
    if (failed) return { status: 'failed', outcome: failed, actionStatus: status, message: `The ${String(value.type ?? 'machine')} action ${record.actionId} ended ${status} on the service.` };
    return { actionStatus: status };
  } catch (error) {
    // Whatever stopped the wait, the record of the action already sent must reach the output.
    if (!(error instanceof MdcaError)) return { message: `The action was sent (id ${record.actionId}); waiting for it stopped on an unexpected answer. Follow it up with Machine Action > Get.` };
    return { message: `The action was sent (id ${record.actionId}); waiting for it stopped: ${error.message}`, errorCode: error.code };
  }
}

function responseAction(kind: ActionKind): MdeOperationImplementation {
  const impl: MdeOperationImplementation = {
    definition: {
      service: 'mde',
      resource: 'machine',
      operation: kind.operation,
      id: `machine.${kind.operation}`,
      displayName: kind.displayName,
      action: kind.action,
      description: `${kind.description} Nothing is sent when an action of this type is already running on the machine (outcome actionAlreadyPending, with its id); never resent once it may have reached the service.`,
      permissions: kind.permissions,
      access: 'nonIdempotentWrite',
      http: { method: 'POST', path: `${MACHINES_PATH}/{machineId}/${kind.path}` },
      steps: {
        [ACTIONS_STEP]: { method: 'GET', path: MACHINE_ACTIONS_PATH, access: 'read' },
        [ACTION_STEP]: { method: 'GET', path: `${MACHINE_ACTIONS_PATH}/{actionId}`, access: 'read' },
      },
      callText: `POST ${MACHINES_PATH}/{id}/${kind.path}`,
      paging: 'none',
      output: 'perItem',
      inputs: [machineIdsInput, commentInput, ...(kind.inputs ?? []), ...waitInputs, dryRunInput],
    },
    request: { body: (input) => ({ Comment: input.comment, ...kind.body?.(input) }), priority: 'interactive' },
    run: (exec, input) => runResponseAction(spec, exec, input),
  };
  const spec: ResponseActionSpec = {
    action: impl.definition.id,
    targetKind: 'machine',
    targetsInput: 'machineIds',
    doneOutcome: kind.doneOutcome,
    comment: (input) => input.comment as string | undefined,
    request: (target, input) => declaredRequest(impl, { ...input, machineId: checkedMachineId(target) }),
    // The reads filter on the id as the POST sends it (lower case), so "already pending" is seen whatever case was typed.
    before: (exec, target) => before(exec, impl, kind, checkedMachineId(target)),
    done: (data) => actionFields((data ?? {}) as MachineAction),
    conflict: (exec, error, target) => conflict(exec, impl, kind, error, checkedMachineId(target)),
    after: (exec, record, input) => after(exec, impl, record, input),
  };
  return impl;
}

export const machineResponseActions: MdeOperationImplementation[] = [
  responseAction({
    operation: 'isolate',
    displayName: 'Isolate',
    action: 'Isolate a machine',
    description: 'Isolates machines from the network (Full, or Selective: Outlook, Teams and Skype keep working); the Defender for Endpoint service connection stays. Nothing is sent when the machine is already isolated (outcome alreadyIsolated).',
    path: 'isolate',
    type: 'Isolate',
    permissions: MDE_PERMISSIONS.isolate,
    doneOutcome: 'isolated',
    inputs: [{ name: 'isolationType', displayName: 'Isolation Type', type: 'options', default: 'Full', options: optionsOf(ISOLATION_TYPES), description: 'Full: only the Defender for Endpoint service connection stays. Selective (Windows 10 1709+ and Windows 11): Outlook, Teams and Skype for Business keep working.' }],
    body: (input) => ({ IsolationType: input.isolationType ?? 'Full' }),
    check: (actions) => alreadyIsolated(actions),
  }),
  responseAction({
    operation: 'release',
    displayName: 'Release From Isolation',
    action: 'Release a machine from isolation',
    description: 'Releases machines from isolation (unisolate). Refused, with nothing sent, while an Isolate action on the machine is still Pending or InProgress, so the release cannot be overtaken by it.',
    path: 'unisolate',
    type: 'Unisolate',
    permissions: MDE_PERMISSIONS.isolate,
    doneOutcome: 'released',
    check: (actions, target) => isolateStillRunning(actions, target),
  }),
  responseAction({
    operation: 'runAntivirusScan',
    displayName: 'Run Antivirus Scan',
    action: 'Run an antivirus scan on a machine',
    description: 'Starts a Microsoft Defender Antivirus scan (Quick or Full) on machines (Windows 10 1709+ and Windows 11; also in passive mode).',
    path: 'runAntiVirusScan',
    type: 'RunAntiVirusScan',
    permissions: MDE_PERMISSIONS.scan,
    doneOutcome: 'scanStarted',
    inputs: [{ name: 'scanType', displayName: 'Scan Type', type: 'options', default: 'Quick', options: optionsOf(SCAN_TYPES), description: 'Quick scans the places malware usually sits; Full scans every file and can take hours.' }],
    body: (input) => ({ ScanType: input.scanType ?? 'Quick' }),
  }),
  responseAction({
    operation: 'collectInvestigationPackage',
    displayName: 'Collect Investigation Package',
    action: 'Collect an investigation package from a machine',
    description: 'Collects the forensic investigation package of machines; once the action Succeeded, Machine Action > Get Package Download Link gives its download link. A signed-in user needs the Alerts investigation role.',
    path: 'collectInvestigationPackage',
    type: 'CollectInvestigationPackage',
    permissions: MDE_PERMISSIONS.collect,
    doneOutcome: 'collectionStarted',
  }),
  responseAction({
    operation: 'restrictAppExecution',
    displayName: 'Restrict App Execution',
    action: 'Restrict app execution on a machine',
    description: 'Lets only Microsoft-signed applications run on machines (Windows 10 1709+ and Windows 11, Microsoft Defender Antivirus required).',
    path: 'restrictCodeExecution',
    type: 'RestrictCodeExecution',
    permissions: MDE_PERMISSIONS.restrict,
    doneOutcome: 'restricted',
  }),
  responseAction({
    operation: 'unrestrictAppExecution',
    displayName: 'Remove App Restriction',
    action: 'Remove the app execution restriction of a machine',
    description: 'Lifts the app execution restriction of machines (unrestrictCodeExecution).',
    path: 'unrestrictCodeExecution',
    type: 'UnrestrictCodeExecution',
    permissions: MDE_PERMISSIONS.restrict,
    doneOutcome: 'unrestricted',
  }),
];
