// What Defender for Endpoint says about a machine's actions, for the response actions: the
// actions of one machine (to see one of the same type still running, or that the machine is
// already isolated), and the wait until one action is final (core/response/wait.ts, each read
// paced by the client's pipeline). Reads are declared steps of the action that makes them.
import { MdcaError } from '../errors';
import { odataString } from '../odata-filter';
import { declaredRequest } from '../operations/declared-request';
import type { OperationExecution } from '../operations/types';
import { waitUntilFinal, WaitResult } from '../response/wait';
import { FINAL_ACTION_STATUSES } from './enums';
import type { MdeOperationImplementation } from './types';

export interface MachineAction {
  id?: string;
  type?: string;
  scope?: string | null;
  status?: string;
  machineId?: string;
  computerDnsName?: string;
  requestorComment?: string;
  creationDateTimeUtc?: string;
  lastUpdateDateTimeUtc?: string;
  [key: string]: unknown;
}

/** Actions read per machine: the service lists newest first is not documented, so they are sorted here. */
const ACTIONS_READ = 100;

/** The step every response action and the waiter declare: read one machine's actions. */
export const ACTIONS_STEP = 'machineActions';
/** The step that reads one action by id. */
export const ACTION_STEP = 'machineAction';

const created = (a: MachineAction): number => Date.parse(a.creationDateTimeUtc ?? '') || 0;

/** The machine's actions (of one type, if given), newest first. */
export async function actionsOf(exec: OperationExecution, impl: MdeOperationImplementation, machineId: string, type?: string): Promise<MachineAction[]> {
  const filter = [`machineId eq ${odataString(machineId)}`, ...(type ? [`type eq ${odataString(type)}`] : [])].join(' and ');
  const spec = declaredRequest(impl, {}, { step: ACTIONS_STEP, query: { $filter: filter, $top: ACTIONS_READ } });
  const data = (await exec.pipeline.send<{ value?: unknown }>(spec, exec.ctx)).data;
  const value = Array.isArray(data?.value) ? (data.value as MachineAction[]) : [];
  return [...value].sort((a, b) => created(b) - created(a));
}

export async function actionById(exec: OperationExecution, impl: MdeOperationImplementation, actionId: string): Promise<MachineAction> {
  return (await exec.pipeline.send<MachineAction>(declaredRequest(impl, { actionId }, { step: ACTION_STEP }), exec.ctx)).data;
}

/** Reads the action until its status is final or the time is up, telling each status on the way. */
export async function waitForAction(exec: OperationExecution, impl: MdeOperationImplementation, actionId: string, timeoutMs: number): Promise<WaitResult<MachineAction>> {
  return waitUntilFinal<MachineAction>({
    exec,
    read: () => actionById(exec, impl, actionId),
    isFinal: (action) => FINAL_ACTION_STATUSES.has(String(action.status)),
    timeoutMs,
    onProgress: (action, elapsedMs) => exec.ctx.onEvent?.({ type: 'waiting', operation: impl.definition.id, actionId, status: String(action.status ?? 'unknown'), elapsedMs }),
  });
}

/** A refusal that means "this action is already running on the machine" (docs/defender-endpoint-api.md, "Duplicates"). */
export function isAlreadyRunning(error: MdcaError): boolean {
  if (error.status !== 400) return false;
  return error.details.serviceCode === 'ActiveRequestAlreadyExists' || /already in progress/i.test(error.details.serviceMessage ?? '');
}

/** The outcome word of a final status other than Succeeded. */
export const FAILED_OUTCOMES: Readonly<Record<string, string>> = { Failed: 'actionFailed', TimeOut: 'actionTimedOut', Cancelled: 'actionCancelled' };
