// The one way a response action runs, for one target or a list: a dry run reports the exact
// request and sends nothing; otherwise each target is read first where the service can say that
// it is already in the state asked for (or that the same action is pending), then sent once. A
// request that may have reached the service is never sent again (the pipeline's
// nonIdempotentWrite access); its record says "outcome unknown". Every target gets a record
// (core/response/types.ts); a list never stops half-way without saying which targets were done.
import { MdcaError, MdcaNotFoundError, MdcaUncertainOutcomeError, MdcaValidationError } from '../errors';
import type { RequestSpec } from '../pipeline';
import { buildUrl } from '../pipeline/url';
import type { OperationExecution, OperationInput, OperationInputValues, OperationOutcome } from '../operations/types';
import type { ResponseActionRecord, ResponseActor, ResponseRequest, ResponseStatus, ResponseTargetKind } from './types';

/** Most targets one run takes: a list of 100 machines already costs one MDE minute's budget. */
export const MAX_RESPONSE_TARGETS = 100;

/** Codes after which every later target would fail the same way: they are skipped, not sent. */
export const STOPPING_CODES: ReadonlySet<string> = new Set(['CANCELLED', 'AUTH_FAILED', 'PERMISSION_MISSING', 'PROXY_FAILED', 'CONFIGURATION_INVALID']);

/** What one target's step adds to its record (the runner fills action, target, credential, time). */
export type RecordFields = Partial<Omit<ResponseActionRecord, 'action' | 'target' | 'targetKind' | 'credential' | 'at' | 'id'>> & { status?: ResponseStatus; outcome?: string };

/** What a read before the request learnt of a target: its service id and name (the request may need the id). */
export interface ResolvedTarget {
  targetId?: string;
  targetName?: string;
  /** The target's current state as read, for `before` (no second read). */
  state?: unknown;
}

export interface ResponseActionSpec {
  /** The operation id, e.g. "user.revokeSessions". */
  action: string;
  targetKind: ResponseTargetKind;
  /** The input holding one target or a list of them. */
  targetsInput: string;
  /** The outcome word of a success, e.g. "isolated". */
  doneOutcome: string;
  /** The comment recorded (and sent, where the action takes one). */
  comment?: (input: OperationInputValues) => string | undefined;
  /**
   * A read that turns the target as given (a UPN) into what the request needs (the object id), done
   * before the request is built, in a dry run too (a read sends no action), so the dry run shows
   * the exact request. A 404 makes the target's record notFound.
   */
  resolve?(exec: OperationExecution, target: string, input: OperationInputValues): Promise<ResolvedTarget>;
  /** The one request of a target: built from the declaration (core/operations/declared-request.ts). */
  request(target: string, input: OperationInputValues, resolved?: ResolvedTarget): RequestSpec;
  /**
   * A read before sending, where the service can tell that nothing needs doing: the record of an
   * unchanged target (nothing is sent), or undefined to go on. May also name the target.
   */
  before?(exec: OperationExecution, target: string, input: OperationInputValues, resolved?: ResolvedTarget): Promise<RecordFields | { proceed: RecordFields } | undefined>;
  /** What a success answer adds (the new action's id and status). */
  done?(data: unknown, target: string, input: OperationInputValues): RecordFields;
  /** A refusal that means "already" (the same action pending): its record, or undefined when it is a failure. */
  conflict?(exec: OperationExecution, error: MdcaError, target: string, input: OperationInputValues): Promise<RecordFields | undefined>;
  /** After a success: wait for the action to finish, when asked to. */
  after?(exec: OperationExecution, record: ResponseActionRecord, input: OperationInputValues): Promise<RecordFields>;
  /**
   * Whether a failure means every later target would fail the same way, so they are skipped
   * (default: the stopping codes). A service whose refusals can be per target (Entra ID answers 403
   * for one admin user and not for the next) narrows it.
   */
  stops?(error: MdcaError): boolean;
}

/** The "Dry Run" option every response action has. */
export const dryRunInput: OperationInput = {
  name: 'dryRun',
  displayName: 'Dry Run',
  type: 'boolean',
  default: false,
  group: 'options',
  description: 'Report exactly what would be sent (method, URL, body) for each target, and send nothing to the service. The credential still signs in, to check its permission.',
};

/** The targets of a run: one value or a list, trimmed, without duplicates, at most MAX_RESPONSE_TARGETS. */
export function targetsOf(input: OperationInputValues, name: string, what: string): string[] {
  const raw = input[name];
  const list = (Array.isArray(raw) ? raw : [raw]).map((v) => (typeof v === 'string' ? v.trim() : v === undefined || v === null ? '' : String(v).trim())).filter((v) => v !== '');
  const unique = [...new Set(list)];
  if (unique.length === 0) throw new MdcaValidationError(name, `No ${what} given.`, `Give one ${what}, or a list of them (comma-separated or an array).`);
  if (unique.length > MAX_RESPONSE_TARGETS) {
    throw new MdcaValidationError(name, `${unique.length} ${what}s given; one run takes at most ${MAX_RESPONSE_TARGETS}.`, `Split the list (e.g. with a Loop / Split node) into runs of ${MAX_RESPONSE_TARGETS} or fewer.`);
  }
  return unique;
}

/** The request as the wire would see it, without headers (the token is never part of a record). */
export function describeRequest(exec: OperationExecution, spec: RequestSpec): ResponseRequest {
  const request: ResponseRequest = { method: spec.method, url: buildUrl(exec.pipeline.baseUrl, spec) };
  if (spec.json !== undefined) request.body = spec.json;
  return request;
}

export async function runResponseAction(spec: ResponseActionSpec, exec: OperationExecution, input: OperationInputValues): Promise<OperationOutcome> {
  const targets = targetsOf(input, spec.targetsInput, spec.targetKind === 'user' ? 'user' : 'machine');
  const credential = await exec.actor();
  const comment = spec.comment?.(input);
  const records: ResponseActionRecord[] = [];
  const errors: MdcaError[] = [];
  let stopping: MdcaError | undefined;
  for (const target of targets) {
    const base = { id: target, action: spec.action, target, targetKind: spec.targetKind, credential, ...(comment !== undefined ? { comment } : {}) };
    const record = (fields: RecordFields & { status: ResponseStatus; outcome: string }): ResponseActionRecord => ({ ...base, ...fields, at: new Date(exec.now()).toISOString() });
    if (stopping) {
      records.push(record({ status: 'skipped', outcome: 'notAttempted', message: `Not attempted: ${stopping.code} on an earlier target.`, errorCode: stopping.code }));
      continue;
    }
    const named: RecordFields = {};
    try {
      records.push(await runOne(spec, exec, input, target, record, named));
    } catch (error) {
      if (!(error instanceof MdcaError)) throw error;
      errors.push(error);
      records.push(failureRecord(error, named, record));
      if (spec.stops ? spec.stops(error) : STOPPING_CODES.has(error.code)) stopping = error;
    }
  }
  const mayHaveActed = records.some((r) => r.status === 'done' || r.status === 'outcomeUnknown' || r.status === 'unchanged' || r.status === 'dryRun');
  // One target, or a list where nothing was sent: the error itself is the report (n8n's error
  // output, Node-RED's Catch). Otherwise the per-target report, so nothing done goes unsaid.
  if (errors.length > 0 && (targets.length === 1 || !mayHaveActed)) throw errors[0];
  return { kind: 'perItem', summary: summaryOf(spec.action, records, input.dryRun === true), items: records };
}

async function runOne(
  spec: ResponseActionSpec,
  exec: OperationExecution,
  input: OperationInputValues,
  target: string,
  record: (fields: RecordFields & { status: ResponseStatus; outcome: string }) => ResponseActionRecord,
  /** Filled with what the read before sending learnt of the target, so a failure record names it too. */
  named: RecordFields,
): Promise<ResponseActionRecord> {
  const resolved = await spec.resolve?.(exec, target, input);
  if (resolved?.targetId !== undefined) named.targetId = resolved.targetId;
  if (resolved?.targetName !== undefined) named.targetName = resolved.targetName;
  const request = spec.request(target, input, resolved);
  if (input.dryRun === true) {
    return record({ status: 'dryRun', outcome: 'wouldSend', ...named, request: describeRequest(exec, request), message: 'Dry run: nothing was sent.' });
  }
  const current = await spec.before?.(exec, target, input, resolved);
  if (current && !('proceed' in current)) return record({ status: 'unchanged', outcome: 'unchanged', ...named, ...current } as RecordFields & { status: ResponseStatus; outcome: string });
  if (current && 'proceed' in current) Object.assign(named, current.proceed);
  let data: unknown;
  try {
    data = (await exec.pipeline.send(request, exec.ctx)).data;
  } catch (error) {
    if (error instanceof MdcaError && !(error instanceof MdcaUncertainOutcomeError) && spec.conflict) {
      const existing = await spec.conflict(exec, error, target, input);
      if (existing) return record({ status: 'unchanged', outcome: 'actionAlreadyPending', ...named, ...existing, request: describeRequest(exec, request) } as RecordFields & { status: ResponseStatus; outcome: string });
    }
    throw error;
  }
  const sent = record({ status: 'done', outcome: spec.doneOutcome, ...named, ...spec.done?.(data, target, input), request: describeRequest(exec, request) } as RecordFields & { status: ResponseStatus; outcome: string });
  if (!spec.after) return sent;
  return { ...sent, ...(await spec.after(exec, sent, input)), at: new Date(exec.now()).toISOString() };
}

function failureRecord(error: MdcaError, named: RecordFields, record: (fields: RecordFields & { status: ResponseStatus; outcome: string }) => ResponseActionRecord): ResponseActionRecord {
  const common = { ...named, message: error.message, errorCode: error.code };
  if (error instanceof MdcaUncertainOutcomeError) {
    return record({ ...common, status: 'outcomeUnknown', outcome: 'outcomeUnknown', message: `${error.message} It was not sent again: check the target's state before trying again.` });
  }
  if (error instanceof MdcaNotFoundError) return record({ ...common, status: 'notFound', outcome: 'notFound' });
  return record({ ...common, status: 'failed', outcome: 'failed' });
}

function summaryOf(action: string, records: readonly ResponseActionRecord[], dryRun: boolean): Record<string, unknown> {
  const count = (status: ResponseStatus): number => records.filter((r) => r.status === status).length;
  return {
    action,
    dryRun,
    requested: records.length,
    done: count('done'),
    unchanged: count('unchanged'),
    wouldSend: count('dryRun'),
    outcomeUnknown: count('outcomeUnknown'),
    notFound: count('notFound'),
    failed: count('failed'),
    skipped: count('skipped'),
  };
}

export type { ResponseActor };
