// Change feed of Defender XDR incidents for triggers, with the cursor semantics of
// core/feeds.ts: watermark (largest time delivered) + keys delivered inside the look-back
// window; each poll lists from `watermark - lookBack`, drops delivered keys, returns the oldest
// `maxPerPoll` items; a poll returns items with the advanced cursor or throws with the cursor
// untouched (all-or-nothing), so the host stores the cursor only with the items.
//
// `incidentChanges` polls by lastUpdateTime and keys items by `incidentId:lastUpdateTime`, so a
// new incident and every later update are each delivered once. `newIncidents` polls by
// createdTime and keys by incidentId. The service lists newest first with no order option, so a
// poll reads the whole window (bounded by maxScanPerPoll) before taking the oldest items.
import type { RunOptions } from '../client';
import { MdcaValidationError } from '../errors';
import { toEpochMs } from '../validation';
import type { XdrClient } from './client';

export type XdrFeedKind = 'incidentChanges' | 'newIncidents';

export interface XdrFeedCursor {
  version: 1;
  kind: XdrFeedKind;
  watermark: number;
  seen: [string, number][];
}

export interface XdrFeedOptions {
  kind: XdrFeedKind;
  /** Extra filter inputs of incident.getAll: status, assignedTo, filter (raw OData), containsAlertId. */
  filters?: Record<string, unknown>;
  /** Default 5 minutes. */
  lookBackMs?: number;
  startFrom?: { mode: 'now' } | { mode: 'hoursAgo'; hours: number };
  /** Default 200. */
  maxPerPoll?: number;
  /** Default 5,000 (50 calls: the per-minute budget). */
  maxScanPerPoll?: number;
}

export interface XdrPollResult {
  items: Record<string, unknown>[];
  cursor: XdrFeedCursor;
  more: boolean;
}

const MAX_SEEN = 100_000;
const FEEDS: Record<XdrFeedKind, { timeInput: string; timeOf: (r: Record<string, unknown>) => number | undefined; keyOf: (r: Record<string, unknown>) => string | undefined }> = {
  incidentChanges: {
    timeInput: 'lastUpdatedAfter',
    timeOf: (r) => toEpochMs(r.lastUpdateTime),
    keyOf: (r) => (r.incidentId === undefined || r.incidentId === null ? undefined : `${String(r.incidentId)}:${String(r.lastUpdateTime)}`),
  },
  newIncidents: {
    timeInput: 'createdAfter',
    timeOf: (r) => toEpochMs(r.createdTime),
    keyOf: (r) => (r.incidentId === undefined || r.incidentId === null ? undefined : String(r.incidentId)),
  },
};
const FEED_FILTERS = new Set(['status', 'assignedTo', 'filter', 'containsAlertId']);

export function validateXdrFeedOptions(options: XdrFeedOptions) {
  if (!FEEDS[options.kind]) throw new MdcaValidationError('event', `Unknown event "${String(options.kind)}".`, 'Choose incidentChanges or newIncidents.');
  const lookBackMs = options.lookBackMs ?? 5 * 60_000;
  if (!Number.isFinite(lookBackMs) || lookBackMs < 0 || lookBackMs > 7 * 24 * 3_600_000) {
    throw new MdcaValidationError('lookBackMinutes', 'The look-back window must be between 0 minutes and 7 days.', 'The default of 5 minutes suits most tenants.');
  }
  const maxPerPoll = options.maxPerPoll ?? 200;
  if (!Number.isInteger(maxPerPoll) || maxPerPoll < 1 || maxPerPoll > 10_000) {
    throw new MdcaValidationError('maxPerPoll', '"Max Items per Poll" must be a whole number from 1 to 10,000.', 'The default is 200.');
  }
  const startFrom = options.startFrom ?? { mode: 'now' as const };
  if (startFrom.mode === 'hoursAgo' && (!Number.isFinite(startFrom.hours) || startFrom.hours <= 0 || startFrom.hours > 24 * 30)) {
    throw new MdcaValidationError('startHoursAgo', '"Start From Hours Ago" must be between 1 hour and 30 days.', 'For example 24.');
  }
  const filters = options.filters ?? {};
  for (const key of Object.keys(filters)) {
    if (!FEED_FILTERS.has(key)) throw new MdcaValidationError(key, `"${key.slice(0, 40)}" cannot be used in an incident trigger (the trigger owns the time window).`, `Use ${[...FEED_FILTERS].join(', ')}.`);
  }
  return { kind: options.kind, filters, lookBackMs, maxPerPoll, startFrom, maxScanPerPoll: options.maxScanPerPoll ?? 5_000 };
}

type Resolved = ReturnType<typeof validateXdrFeedOptions>;

async function readWindow(client: XdrClient, o: Resolved, from: number, run: RunOptions) {
  const feed = FEEDS[o.kind];
  const out: { record: Record<string, unknown>; key: string; time: number }[] = [];
  const keys = new Set<string>();
  for await (const page of client.pages('incident.getAll', { ...o.filters, [feed.timeInput]: from }, { ...run, maxItems: o.maxScanPerPoll })) {
    for (const item of page.items) {
      const record = item as Record<string, unknown>;
      const key = feed.keyOf(record);
      const time = feed.timeOf(record);
      // Paging newest first while incidents change can show one twice: keep it once.
      if (key === undefined || time === undefined || keys.has(key)) continue;
      keys.add(key);
      out.push({ record, key, time });
    }
  }
  return out;
}

export async function pollXdrIncidentFeed(client: XdrClient, options: XdrFeedOptions, cursor: XdrFeedCursor | undefined, now: number, run: RunOptions = {}): Promise<XdrPollResult> {
  const o = validateXdrFeedOptions(options);
  if (!cursor || cursor.version !== 1 || cursor.kind !== o.kind) {
    if (o.startFrom.mode === 'hoursAgo') {
      const start = now - o.startFrom.hours * 3_600_000;
      return pollXdrIncidentFeed(client, o, { version: 1, kind: o.kind, watermark: start + o.lookBackMs, seen: [] }, now, run);
    }
    // From now: remember what exists inside the look-back window without delivering it.
    const existing = await readWindow(client, o, now - o.lookBackMs, run);
    const seen = new Map(existing.map((e) => [e.key, e.time] as [string, number]));
    return { items: [], cursor: { version: 1, kind: o.kind, watermark: now, seen: prune(seen, now - o.lookBackMs) }, more: false };
  }
  const seen = new Map(cursor.seen);
  const fresh = (await readWindow(client, o, Math.max(0, cursor.watermark - o.lookBackMs), run)).filter((e) => !seen.has(e.key));
  fresh.sort((a, b) => a.time - b.time || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const delivered = fresh.slice(0, o.maxPerPoll);
  let watermark = cursor.watermark;
  for (const d of delivered) {
    seen.set(d.key, d.time);
    watermark = Math.max(watermark, d.time);
  }
  return {
    items: delivered.map((d) => d.record),
    cursor: { version: 1, kind: o.kind, watermark, seen: prune(seen, watermark - o.lookBackMs) },
    more: fresh.length > delivered.length,
  };
}

function prune(seen: Map<string, number>, oldest: number): [string, number][] {
  const kept = [...seen.entries()].filter(([, time]) => time >= oldest);
  kept.sort((a, b) => a[1] - b[1]);
  return kept.length > MAX_SEEN ? kept.slice(kept.length - MAX_SEEN) : kept;
}

/**
 * Playbook helper: the incident(s) holding an MDCA alert (by MDCA alert `_id`), looked up among
 * incidents updated since `sinceMs` (an alert joins an incident when it is raised, which updates
 * the incident).
 */
export async function findIncidentsForAlert(client: XdrClient, alertId: string, sinceMs: number, run: RunOptions = {}): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const page of client.pages('incident.getAll', { containsAlertId: alertId, lastUpdatedAfter: sinceMs }, { maxItems: 10, ...run })) {
    out.push(...(page.items as Record<string, unknown>[]));
  }
  return out;
}
