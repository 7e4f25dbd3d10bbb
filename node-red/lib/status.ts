// What a node shows: errors made safe for done(err) and msg.mdcaError, the status texts of client
// events and errors in the user's language, and the one-done-per-message guard.
import type { NodeAPI } from 'node-red';
import { describeError, MdcaError } from '../../core';
import type { ClientEvent } from '../../core/pipeline';
import { MACHINE_ACTION_STATUSES } from '../../core/mde/enums';

/** An Error whose message is safe to show (for done(err) → Catch), plus the summary for msg.mdcaError. */
export function safeError(error: unknown): { error: Error; summary: Record<string, unknown> } {
  const summary = describeError(error);
  const e = new Error(String(summary.message ?? 'Unexpected error'));
  e.name = String(summary.name ?? 'Error');
  (e as Error & { code?: unknown }).code = summary.code;
  e.stack = `${e.name}: ${e.message}`;
  return { error: e, summary };
}

export function isCancelled(error: unknown): boolean {
  return error instanceof MdcaError && error.code === 'CANCELLED';
}

export type Translate = (key: string, subs?: Record<string, unknown>) => string;

/** English fallbacks for the status catalog (each node's locales file carries the same keys). */
export const STATUS_TEXTS: Record<string, string> = {
  requesting: 'requesting…',
  page: 'page __page__ · __count__ items',
  throttled: 'throttled · retry in __seconds__ s',
  retry: 'retry __attempt__ in __seconds__ s',
  done: 'done · __count__ items',
  doneResult: 'done',
  perItem: 'done · __done__ of __total__',
  text: 'done · __fileName__',
  missingPermission: 'missing permission __permission__',
  error: '__code__',
  noConfig: 'no connection configured',
  watching: 'watching · every __seconds__ s',
  polled: '__count__ new · __time__',
  polling: 'polling…',
  signIn: 'sign-in required',
  redisFallback: '__status__ · Redis unreachable: own budget',
  response: '__outcomes__',
  responseDryRun: 'dry run: nothing sent · __count__ would be sent',
  responseUnknown: 'outcome unknown: check before retrying · __outcomes__',
  waiting: 'waiting: __status__ · __seconds__ s',
};

export function translator(RED: NodeAPI, type: string): Translate {
  return (key, subs = {}) => {
    const full = `${type}.status.${key}`;
    let text: string | undefined;
    try {
      text = RED._(full, subs as Record<string, string | number>);
    } catch {
      text = undefined;
    }
    if (!text || text === full) {
      text = STATUS_TEXTS[key] ?? key;
      for (const [k, v] of Object.entries(subs)) text = text.split(`__${k}__`).join(String(v));
    }
    return text;
  };
}

/**
 * While the connection shares its budget through Redis and Redis is unreachable, each process
 * paces on its own (docs/scale-out.md): a green status turns yellow and says so, until Redis is back.
 */
export function withSharingNote<S>(t: Translate, s: S, sharingMode: (() => 'shared' | 'fallback' | 'off') | undefined): S {
  const status = s as StatusLike | undefined;
  if (typeof s !== 'object' || status?.fill !== 'green' || !sharingMode || sharingMode() !== 'fallback') return s;
  return { ...status, fill: 'yellow', text: t('redisFallback', { status: status.text }) } as S;
}

export interface StatusLike {
  fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
  shape?: 'ring' | 'dot';
  text?: string;
}

export function eventStatus(t: Translate, event: ClientEvent, itemsSoFar: number): StatusLike | undefined {
  switch (event.type) {
    case 'request':
      return event.attempt === 0 && itemsSoFar === 0 ? { fill: 'blue', shape: 'dot', text: t('requesting') } : undefined;
    case 'page':
      return { fill: 'blue', shape: 'dot', text: t('page', { page: event.page, count: event.totalItems }) };
    case 'throttled':
      return { fill: 'yellow', shape: 'ring', text: t('throttled', { seconds: Math.ceil(event.delayMs / 1000) }) };
    case 'retry':
      return { fill: 'yellow', shape: 'ring', text: t('retry', { attempt: event.attempt, seconds: Math.ceil(event.delayMs / 1000) }) };
    // A response action sent and waited for (a Defender for Endpoint machine action): its state so far.
    case 'waiting':
      return { fill: 'blue', shape: 'ring', text: t('waiting', { status: shownActionStatus(event.status), seconds: Math.round(event.elapsedMs / 1000) }) };
    default:
      return undefined;
  }
}

const KNOWN_ACTION_STATUSES: ReadonlySet<string> = new Set(MACHINE_ACTION_STATUSES);
const MAX_SHOWN_STATUS = 20;

/**
 * The status word shown while waiting: the service's text is not ours to show (it could carry
 * anything a proxy or a changed API puts there), so only a known machine action status, else "unknown".
 */
export function shownActionStatus(status: unknown): string {
  const word = typeof status === 'string' && KNOWN_ACTION_STATUSES.has(status) ? status : 'unknown';
  return word.slice(0, MAX_SHOWN_STATUS);
}

export function errorStatus(t: Translate, summary: Record<string, unknown>): StatusLike {
  const perms = summary.permissions as string[] | undefined;
  if (summary.code === 'PERMISSION_MISSING' && perms && perms.length) return { fill: 'red', shape: 'ring', text: t('missingPermission', { permission: perms.join(' or ') }) };
  const field = summary.field ? ` · ${String(summary.field)}` : '';
  return { fill: 'red', shape: 'ring', text: `${t('error', { code: String(summary.code ?? 'ERROR') })}${field}` };
}

/** Calls fn once; later calls are ignored (exactly one done per message). */
export function once<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
  let called = false;
  return (...args: A) => {
    if (called) return;
    called = true;
    fn(...args);
  };
}
