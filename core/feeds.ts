// Change feeds for triggers: new alerts, changed (closed/resolved) alerts and new activities,
// each delivered exactly once per workflow or flow, across restarts.
//
// Cursor = watermark (largest timestamp delivered) + the ids delivered inside the look-back
// window. Each poll lists everything from `watermark - lookBack` upwards, oldest first, drops ids
// already delivered, and returns at most `maxPerPoll` items: the oldest ones, so whatever is left
// over is newer than the new watermark and found by the next poll. Records indexed late (with an
// older timestamp) are still inside the look-back window and are found (T2.6). A poll either
// returns its items with the advanced cursor or throws with the cursor untouched, so a failed poll
// delivers nothing twice and loses nothing; the host stores the cursor only with the items.
import type { MdcaClient, RunOptions } from './client';
import { MdcaValidationError } from './errors';
import type { FilterObject } from './filters';
import { recordId } from './paging';
import { toEpochMs } from './validation';

export type FeedKind = 'newAlerts' | 'changedAlerts' | 'newActivities';

export interface FeedCursor {
  version: 1;
  kind: FeedKind;
  /** Largest record time delivered (epoch ms). */
  watermark: number;
  /** Delivered keys with their record time, pruned to the look-back window. */
  seen: [string, number][];
}

export interface FeedOptions {
  kind: FeedKind;
  /** Filter inputs of the underlying list operation (alert.getAll / activity.getAll), e.g. {severity: [2]}. */
  filters?: Record<string, unknown>;
  /** How far back each poll looks for records indexed late. Default 5 minutes. */
  lookBackMs?: number;
  /** First run: deliver from now on (default), or include the last N hours. */
  startFrom?: { mode: 'now' } | { mode: 'hoursAgo'; hours: number };
  /** Most items one poll returns; the rest follow on the next polls. Default 500. */
  maxPerPoll?: number;
  /** Records read per poll at most (guards a huge look-back window). Default 20 000. */
  maxScanPerPoll?: number;
}

export interface PollResult {
  items: unknown[];
  cursor: FeedCursor;
  /** More items are waiting (the per-poll cap was reached). */
  more: boolean;
}

const MAX_SEEN = 100_000;

const FEEDS: Record<FeedKind, { operation: string; timeField: string; filterField: string; timeOf: (record: Record<string, unknown>) => number | undefined; keyOf: (record: Record<string, unknown>) => string | undefined }> = {
  newAlerts: {
    operation: 'alert.getAll',
    timeField: 'date',
    filterField: 'date',
    timeOf: (r) => toEpochMs(r.timestamp),
    keyOf: (r) => recordId(r),
  },
  changedAlerts: {
    // Alerts carry no modification time; closing sets resolveTime (§6.2), filterable as resolutionDate.
    operation: 'alert.getAll',
    timeField: 'resolutionDate',
    filterField: 'resolutionDate',
    timeOf: (r) => toEpochMs(r.resolveTime),
    keyOf: (r) => {
      const id = recordId(r);
      return id === undefined ? undefined : `${id}:${String(r.resolutionStatusValue)}`;
    },
  },
  newActivities: {
    operation: 'activity.getAll',
    timeField: 'date',
    filterField: 'date',
    timeOf: (r) => toEpochMs(r.timestamp),
    keyOf: (r) => recordId(r),
  },
};

export function validateFeedOptions(options: FeedOptions): Required<Omit<FeedOptions, 'filters'>> & { filters: Record<string, unknown> } {
  if (!FEEDS[options.kind]) throw new MdcaValidationError('event', `Unknown event "${String(options.kind)}".`, 'Choose newAlerts, changedAlerts or newActivities.');
  const lookBackMs = options.lookBackMs ?? 5 * 60_000;
  if (!Number.isFinite(lookBackMs) || lookBackMs < 0 || lookBackMs > 7 * 24 * 3_600_000) {
    throw new MdcaValidationError('lookBackMinutes', 'The look-back window must be between 0 minutes and 7 days.', 'The default of 5 minutes suits most tenants.');
  }
  const maxPerPoll = options.maxPerPoll ?? 500;
  if (!Number.isInteger(maxPerPoll) || maxPerPoll < 1 || maxPerPoll > 10_000) {
    throw new MdcaValidationError('maxPerPoll', '"Max Items per Poll" must be a whole number from 1 to 10,000.', 'The default is 500.');
  }
  const startFrom = options.startFrom ?? { mode: 'now' };
  if (startFrom.mode === 'hoursAgo' && (!Number.isFinite(startFrom.hours) || startFrom.hours <= 0 || startFrom.hours > 24 * 365)) {
    throw new MdcaValidationError('startHoursAgo', '"Start From Hours Ago" must be between 1 hour and 1 year.', 'For example 24.');
  }
  return { kind: options.kind, filters: options.filters ?? {}, lookBackMs, maxPerPoll, startFrom, maxScanPerPoll: options.maxScanPerPoll ?? 20_000 };
}

/**
 * One poll. `cursor` is what the previous poll returned (undefined on the first run). `now` is
 * the host's clock, used only to place the first-run start.
 */
export async function pollFeed(client: MdcaClient, options: FeedOptions, cursor: FeedCursor | undefined, now: number, run: RunOptions = {}): Promise<PollResult> {
  const o = validateFeedOptions(options);
  const feed = FEEDS[o.kind];
  if (!cursor || cursor.version !== 1 || cursor.kind !== o.kind) {
    return firstRun(client, o, now, run);
  }
  const from = Math.max(0, cursor.watermark - o.lookBackMs);
  const seen = new Map(cursor.seen);
  const fresh: { record: Record<string, unknown>; key: string; time: number }[] = [];
  let ascending = true;
  let lastTime = -Infinity;
  let stoppedEarly = false;
  for await (const page of client.pages(feed.operation, withTimeFilter(o.filters, feed.filterField, from), { ...run, maxItems: o.maxScanPerPoll, skipPermissionCheck: run.skipPermissionCheck })) {
    for (const item of page.items) {
      const record = item as Record<string, unknown>;
      const key = feed.keyOf(record);
      const time = feed.timeOf(record);
      if (key === undefined || time === undefined) continue;
      if (time < lastTime) ascending = false;
      lastTime = Math.max(lastTime, time);
      if (seen.has(key)) continue;
      fresh.push({ record, key, time });
    }
    // With the server honouring oldest-first, everything after the cap is newer: stop early.
    if (ascending && fresh.length >= o.maxPerPoll && page.hasNext) {
      stoppedEarly = true;
      break;
    }
  }
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
    more: fresh.length > delivered.length || stoppedEarly,
  };
}

async function firstRun(client: MdcaClient, o: ReturnType<typeof validateFeedOptions>, now: number, run: RunOptions): Promise<PollResult> {
  const feed = FEEDS[o.kind];
  if (o.startFrom.mode === 'hoursAgo') {
    const start = now - o.startFrom.hours * 3_600_000;
    // Deliver the backlog through the normal path, oldest first, capped per poll.
    return pollFeed(client, o, { version: 1, kind: o.kind, watermark: start + o.lookBackMs, seen: [] }, now, run);
  }
  // "From now": remember what already exists inside the look-back window without delivering it,
  // so the next poll returns only records that appear from now on (late ones included).
  const from = now - o.lookBackMs;
  const seen = new Map<string, number>();
  for await (const page of client.pages(feed.operation, withTimeFilter(o.filters, feed.filterField, from), { ...run, maxItems: o.maxScanPerPoll })) {
    for (const item of page.items) {
      const record = item as Record<string, unknown>;
      const key = feed.keyOf(record);
      const time = feed.timeOf(record);
      if (key !== undefined && time !== undefined) seen.set(key, time);
    }
  }
  return { items: [], cursor: { version: 1, kind: o.kind, watermark: now, seen: prune(seen, now - o.lookBackMs) }, more: false };
}

function withTimeFilter(filters: Record<string, unknown>, field: string, from: number): Record<string, unknown> {
  const raw = parseRaw(filters.filtersJson);
  const merged: FilterObject = { ...raw, [field]: { ...(raw[field] ?? {}), gte: from } };
  const typed = { ...filters };
  // The feed owns the time window and the order.
  delete typed.since;
  delete typed.until;
  return { ...typed, filtersJson: merged, sortField: field === 'resolutionDate' ? undefined : 'date', sortDirection: 'asc' };
}

function parseRaw(value: unknown): FilterObject {
  if (value === undefined || value === null || value === '') return {};
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as FilterObject;
    } catch {
      throw new MdcaValidationError('filtersJson', 'Raw Filters (JSON) is not valid JSON.', 'Write an object like {"severity": {"eq": [2]}}.');
    }
  }
  return value as FilterObject;
}

function prune(seen: Map<string, number>, oldest: number): [string, number][] {
  const kept = [...seen.entries()].filter(([, time]) => time >= oldest);
  kept.sort((a, b) => a[1] - b[1]);
  return kept.length > MAX_SEEN ? kept.slice(kept.length - MAX_SEEN) : kept;
}
