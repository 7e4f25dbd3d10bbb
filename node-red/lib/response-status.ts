// What a response action's node shows (isolate a machine, revoke a user's sessions…): the records
// of core/response as msg.payload, and a status in plain words that says what happened to the
// targets ("isolated 1, already pending 1", "dry run: nothing sent", "outcome unknown: check before
// retrying"). A status never holds more than outcome words and counts: no target, no secret.
import type { ResponseActionRecord } from '../../core/response';
import type { PerItemResult } from '../../core/operations/types';
import type { StatusLike, Translate } from './status';

/** Whether a per-item report is one of response actions (its items are ResponseActionRecords). */
export function isResponseReport(items: readonly PerItemResult[]): items is ResponseActionRecord[] {
  return items.length > 0 && items.every((i) => typeof (i as Partial<ResponseActionRecord>).action === 'string' && typeof (i as Partial<ResponseActionRecord>).targetKind === 'string');
}

/**
 * The payload of a response action: the record itself for one target, the per-item report
 * `{summary, items}` for a list (every target has its record there).
 */
export function responsePayload(summary: Record<string, unknown>, records: readonly ResponseActionRecord[]): unknown {
  return records.length === 1 ? records[0] : { summary, items: records };
}

/** Outcome words whose plain form is shorter than the split camelCase one. */
const SHORT_WORDS: Record<string, string> = {
  actionAlreadyPending: 'already pending',
  notAttempted: 'not attempted',
};

/** "alreadyIsolated" → "already isolated". */
export function outcomeWords(outcome: string): string {
  return SHORT_WORDS[outcome] ?? outcome.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/** Each outcome with its count, in the order the targets were given: "isolated 1, already pending 1". */
function outcomeCounts(records: readonly ResponseActionRecord[]): string {
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
  return [...counts].map(([outcome, n]) => `${outcomeWords(outcome)} ${n}`).join(', ');
}

/**
 * The node's status after a response action: red when the outcome of a target is unknown (the
 * request may have reached the service: check before retrying) or a target failed, yellow when a
 * target was not found or not attempted, grey for a dry run, green when every target is done or
 * unchanged.
 */
export function responseStatus(t: Translate, records: readonly ResponseActionRecord[]): StatusLike {
  const counts = outcomeCounts(records);
  if (records.some((r) => r.status === 'outcomeUnknown')) return { fill: 'red', shape: 'dot', text: t('responseUnknown', { outcomes: counts }) };
  if (records.every((r) => r.status === 'dryRun')) return { fill: 'grey', shape: 'dot', text: t('responseDryRun', { count: records.length }) };
  const text = t('response', { outcomes: counts });
  if (records.some((r) => r.status === 'failed')) return { fill: 'red', shape: 'ring', text };
  const ok = records.every((r) => r.status === 'done' || r.status === 'unchanged');
  return { fill: ok ? 'green' : 'yellow', shape: 'dot', text };
}
