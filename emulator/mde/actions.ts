// Machine actions over emulated time. No timers: an action's status follows from its creation
// time, the lifecycle it was created with (durations and the machine's overrides, fixed at
// creation) and a cancellation, whenever it is looked at.
//   default:  Pending (pendingMs) → InProgress (inProgressMs) → Succeeded, or the forced final status
//   offline:  Pending until offlineTimeoutMs, then TimeOut
//   cancel:   Cancelled from then on (only while Pending or InProgress)
import { randomUUID } from 'crypto';
import { JsonObject } from '../jwt';
import { mdeTime } from './machines';

/** The action path segment (as the docs spell it) → the MachineAction `type`. */
export const ACTION_TYPES = {
  isolate: 'Isolate',
  unisolate: 'Unisolate',
  runAntiVirusScan: 'RunAntiVirusScan',
  collectInvestigationPackage: 'CollectInvestigationPackage',
  restrictCodeExecution: 'RestrictCodeExecution',
  unrestrictCodeExecution: 'UnrestrictCodeExecution',
} as const;
export type ActionPath = keyof typeof ACTION_TYPES;
export type ActionType = (typeof ACTION_TYPES)[ActionPath];

/** The permission each action needs (application role and delegated scope share the name). */
export const ACTION_PERMISSIONS: Record<ActionType, string> = {
  Isolate: 'Machine.Isolate',
  Unisolate: 'Machine.Isolate',
  RunAntiVirusScan: 'Machine.Scan',
  CollectInvestigationPackage: 'Machine.CollectForensics',
  RestrictCodeExecution: 'Machine.RestrictExecution',
  UnrestrictCodeExecution: 'Machine.RestrictExecution',
};

export const ACTION_STATUSES = ['Pending', 'InProgress', 'Succeeded', 'Failed', 'TimeOut', 'Cancelled'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export type FinalStatus = 'Succeeded' | 'Failed' | 'TimeOut' | 'Cancelled';
export const isLive = (status: ActionStatus): boolean => status === 'Pending' || status === 'InProgress';

export interface Lifecycle {
  /** How long a new action stays Pending (default 20 s). */
  pendingMs: number;
  /** How long it then stays InProgress before its final status (default 60 s). */
  inProgressMs: number;
  /** How long an action on an offline machine stays Pending before TimeOut (default 30 min). */
  offlineTimeoutMs: number;
}
export const DEFAULT_LIFECYCLE: Lifecycle = { pendingMs: 20_000, inProgressMs: 60_000, offlineTimeoutMs: 30 * 60_000 };

/** Per-machine test switches, applied to actions created while they are set. */
export interface MachineOverride {
  /** The device does not check in: its actions stay Pending, then time out. */
  offline?: boolean;
  /** The final status of its actions instead of Succeeded (Failed, TimeOut or Cancelled). */
  forceStatus?: FinalStatus;
}

export interface StoredAction {
  id: string;
  type: ActionType;
  scope: string | null;
  machineId: string;
  computerDnsName: string;
  requestor: string;
  requestorComment: string;
  createdMs: number;
  plan: { pendingMs: number; inProgressMs: number; offline: boolean; offlineTimeoutMs: number; final: FinalStatus };
  cancel?: { atMs: number; by: string; comment: string | null };
  /** Its effect on the machine was applied (state.ts settle). */
  applied: boolean;
}

export function newAction(fields: Omit<StoredAction, 'id' | 'plan' | 'applied'>, lifecycle: Lifecycle, override: MachineOverride | undefined): StoredAction {
  return {
    id: randomUUID(),
    ...fields,
    plan: { pendingMs: lifecycle.pendingMs, inProgressMs: lifecycle.inProgressMs, offline: override?.offline === true, offlineTimeoutMs: lifecycle.offlineTimeoutMs, final: override?.forceStatus ?? 'Succeeded' },
    applied: false,
  };
}

/** The status at `now` and when it began. */
export function statusAt(action: StoredAction, now: number): { status: ActionStatus; sinceMs: number } {
  const { createdMs, plan } = action;
  if (action.cancel && action.cancel.atMs <= now) return { status: 'Cancelled', sinceMs: action.cancel.atMs };
  if (plan.offline) return now < createdMs + plan.offlineTimeoutMs ? { status: 'Pending', sinceMs: createdMs } : { status: 'TimeOut', sinceMs: createdMs + plan.offlineTimeoutMs };
  const started = createdMs + plan.pendingMs;
  const finished = started + plan.inProgressMs;
  if (now < started) return { status: 'Pending', sinceMs: createdMs };
  if (now < finished) return { status: 'InProgress', sinceMs: started };
  return { status: plan.final, sinceMs: finished };
}

/** The MachineAction resource as the API answers it. */
export function actionView(action: StoredAction, now: number): JsonObject {
  const { status, sinceMs } = statusAt(action, now);
  const cancelled = status === 'Cancelled' && action.cancel;
  return {
    id: action.id,
    type: action.type,
    title: null,
    requestor: action.requestor,
    requestorComment: action.requestorComment,
    status,
    machineId: action.machineId,
    computerDnsName: action.computerDnsName,
    creationDateTimeUtc: mdeTime(action.createdMs),
    lastUpdateDateTimeUtc: mdeTime(sinceMs),
    cancellationRequestor: cancelled ? action.cancel!.by : null,
    cancellationComment: cancelled ? action.cancel!.comment : null,
    cancellationDateTimeUtc: cancelled ? mdeTime(action.cancel!.atMs) : null,
    errorHResult: status === 'Failed' ? -2147467259 : 0,
    scope: action.scope,
    externalId: null,
    requestSource: 'PublicApi',
    relatedFileInfo: null,
    commands: [],
    troubleshootInfo: null,
  };
}
