export type { ResponseActionRecord, ResponseActor, ResponseRequest, ResponseStatus, ResponseTargetKind } from './types';
export { actorOf } from './actor';
export { dryRunInput, describeRequest, MAX_RESPONSE_TARGETS, runResponseAction, STOPPING_CODES, targetsOf } from './run-actions';
export type { RecordFields, ResolvedTarget, ResponseActionSpec } from './run-actions';
export { WAIT_INTERVALS_MS, waitUntilFinal } from './wait';
export type { WaitOptions, WaitResult } from './wait';
