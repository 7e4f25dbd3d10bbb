// The cursor engine behind every change feed (MDCA alerts and activities, Defender XDR
// incidents), so "exactly once, across restarts" is implemented once.
//
// Cursor = watermark (largest record time delivered) + the keys delivered inside the look-back
// window. Each poll reads from `watermark - lookBack` upwards, drops keys already delivered,
// and returns at most `maxPerPoll` items: the oldest ones, so whatever is left over is newer than
// the new watermark and is found by the next poll. Records indexed late (with an older time) are
// still inside the look-back window and are delivered then. A poll either returns its items with
// the advanced cursor or throws with the cursor untouched: the host stores the cursor only with
// the items.
//
// A source that lists newest first and cuts a read at its declared scan limit (`scanLimit`, the
// Graph feeds: core/graph/feed.ts) has returned the newest part of the window only: the engine then
// reads again below the oldest record it got (`until`), until a read is complete, so the oldest
// records are never skipped.
import { MdcaValidationError } from './errors';

export interface FeedCursor<K extends string = string> {
  version: 1;
  kind: K;
  /** Largest record time delivered (epoch ms). */
  watermark: number;
  /** Delivered keys with their record time, pruned to the look-back window. */
  seen: [string, number][];
}

export type FeedStart = { mode: 'now' } | { mode: 'hoursAgo'; hours: number };

export interface FeedWindowOptions {
  /** How far back each poll looks for records indexed late. Default 5 minutes. */
  lookBackMs?: number;
  /** First run: deliver from now on (default), or include the last N hours. */
  startFrom?: FeedStart;
  /** Most items one poll returns; the rest follow on the next polls. */
  maxPerPoll?: number;
}

/** What a trigger asks of a feed: which one, its list operation's filter inputs, the scan bound. */
export interface FeedOptionsOf<K extends string> extends FeedWindowOptions {
  kind: K;
  filters?: Record<string, unknown>;
  /** Records read per poll at most (guards a huge look-back window); each feed has its default. */
  maxScanPerPoll?: number;
}

export interface FeedWindow {
  lookBackMs: number;
  startFrom: FeedStart;
  maxPerPoll: number;
}

/** Reads records from a time on; pages oldest first when the service can sort that way. */
export interface FeedSource {
  /** Records with a time at or after `from` and, when given, at or before `until`. */
  pages(from: number, until?: number): AsyncIterable<{ items: unknown[]; hasNext: boolean }>;
  /** The most records one read returns (the source stops there). Needed to read a newest-first window past it. */
  scanLimit?: number;
  timeOf(record: Record<string, unknown>): number | undefined;
  keyOf(record: Record<string, unknown>): string | undefined;
}

export interface FeedPoll<K extends string> {
  /** The delivered records (only records with a key and a time are ever delivered). */
  items: Record<string, unknown>[];
  cursor: FeedCursor<K>;
  /** More items are waiting (the per-poll cap was reached). */
  more: boolean;
}

const MAX_SEEN = 100_000;

export function validateFeedWindow(options: FeedWindowOptions, limits: { defaultMaxPerPoll: number; maxStartHours: number }): FeedWindow {
  const lookBackMs = options.lookBackMs ?? 5 * 60_000;
  if (!Number.isFinite(lookBackMs) || lookBackMs < 0 || lookBackMs > 7 * 24 * 3_600_000) {
    throw new MdcaValidationError('lookBackMinutes', 'The look-back window must be between 0 minutes and 7 days.', 'The default of 5 minutes suits most tenants.');
  }
  const maxPerPoll = options.maxPerPoll ?? limits.defaultMaxPerPoll;
  if (!Number.isInteger(maxPerPoll) || maxPerPoll < 1 || maxPerPoll > 10_000) {
    throw new MdcaValidationError('maxPerPoll', '"Max Items per Poll" must be a whole number from 1 to 10,000.', `The default is ${limits.defaultMaxPerPoll}.`);
  }
  const startFrom = options.startFrom ?? { mode: 'now' };
  if (startFrom.mode === 'hoursAgo' && (!Number.isFinite(startFrom.hours) || startFrom.hours <= 0 || startFrom.hours > limits.maxStartHours)) {
    throw new MdcaValidationError('startHoursAgo', `"Start From Hours Ago" must be between 1 and ${limits.maxStartHours} hours.`, 'For example 24.');
  }
  return { lookBackMs, maxPerPoll, startFrom };
}

interface Candidate {
  record: Record<string, unknown>;
  key: string;
  time: number;
}

export async function pollCursorFeed<K extends string>(source: FeedSource, kind: K, window: FeedWindow, cursor: FeedCursor<K> | undefined, now: number): Promise<FeedPoll<K>> {
  if (!cursor || cursor.version !== 1 || cursor.kind !== kind) {
    if (window.startFrom.mode === 'hoursAgo') {
      // Deliver the backlog through the normal path, oldest first, capped per poll.
      const start = now - window.startFrom.hours * 3_600_000;
      return pollCursorFeed(source, kind, window, { version: 1, kind, watermark: start + window.lookBackMs, seen: [] }, now);
    }
    // "From now": remember what already exists inside the look-back window without delivering
    // it, so later polls return only records that appear from now on (late ones included).
    const { fresh } = await read(source, now - window.lookBackMs, new Map(), Infinity);
    const seen = new Map(fresh.map((c) => [c.key, c.time] as [string, number]));
    return { items: [], cursor: { version: 1, kind, watermark: now, seen: prune(seen, now - window.lookBackMs) }, more: false };
  }
  const seen = new Map(cursor.seen);
  const { fresh, stoppedEarly } = await read(source, Math.max(0, cursor.watermark - window.lookBackMs), seen, window.maxPerPoll);
  sortCandidates(fresh);
  const delivered = fresh.slice(0, window.maxPerPoll);
  let watermark = cursor.watermark;
  for (const d of delivered) {
    seen.set(d.key, d.time);
    watermark = Math.max(watermark, d.time);
  }
  return {
    items: delivered.map((d) => d.record),
    cursor: { version: 1, kind, watermark, seen: prune(seen, watermark - window.lookBackMs) },
    more: fresh.length > delivered.length || stoppedEarly,
  };
}

/**
 * The window's fresh records: all of them, or (after a newest-first descent) at least the oldest
 * `cap`. Each further read of a descent is older than the ones before, so keeping the oldest `cap`
 * after each read is exact; `stoppedEarly` says that newer fresh records were left for later polls.
 */
async function read(source: FeedSource, from: number, seen: Map<string, number>, cap: number): Promise<{ fresh: Candidate[]; stoppedEarly: boolean }> {
  let until: number | undefined;
  let kept: Candidate[] = [];
  const keys = new Set<string>();
  let dropped = false;
  for (;;) {
    const chunk = await readOnce(source, from, until, seen, cap);
    for (const c of chunk.fresh) {
      if (keys.has(c.key)) continue;
      keys.add(c.key);
      kept.push(c);
    }
    // A newest-first read cut at the scan limit missed the oldest part of the window: read below
    // it (+1 ms: the service may keep sub-millisecond times). Stop when a read makes no progress.
    const lower = chunk.cut && !chunk.ascending && chunk.oldest > from ? chunk.oldest + 1 : undefined;
    if (lower === undefined || (until !== undefined && lower >= until)) return { fresh: kept, stoppedEarly: chunk.stoppedEarly || dropped };
    if (kept.length > cap) {
      kept = sortCandidates(kept).slice(0, cap);
      dropped = true;
    }
    until = lower;
  }
}

function sortCandidates(candidates: Candidate[]): Candidate[] {
  return candidates.sort((a, b) => a.time - b.time || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

async function readOnce(
  source: FeedSource,
  from: number,
  until: number | undefined,
  seen: Map<string, number>,
  cap: number,
): Promise<{ fresh: Candidate[]; stoppedEarly: boolean; cut: boolean; ascending: boolean; oldest: number }> {
  const fresh: Candidate[] = [];
  const keys = new Set<string>();
  let ascending = true;
  let lastTime = -Infinity;
  let oldest = Infinity;
  let count = 0;
  for await (const page of source.pages(from, until)) {
    count += page.items.length;
    for (const item of page.items) {
      const record = item as Record<string, unknown>;
      const key = source.keyOf(record);
      const time = source.timeOf(record);
      if (key === undefined || time === undefined) continue;
      if (time < lastTime) ascending = false;
      lastTime = Math.max(lastTime, time);
      oldest = Math.min(oldest, time);
      // Paging while records change can show one twice: keep it once.
      if (seen.has(key) || keys.has(key)) continue;
      keys.add(key);
      fresh.push({ record, key, time });
    }
    // When the service honours oldest-first, everything after the cap is newer: stop early.
    if (ascending && fresh.length >= cap && page.hasNext) return { fresh, stoppedEarly: true, cut: false, ascending, oldest };
  }
  return { fresh, stoppedEarly: false, cut: source.scanLimit !== undefined && count >= source.scanLimit, ascending, oldest };
}

function prune(seen: Map<string, number>, oldest: number): [string, number][] {
  const kept = [...seen.entries()].filter(([, time]) => time >= oldest);
  kept.sort((a, b) => a[1] - b[1]);
  return kept.length > MAX_SEEN ? kept.slice(kept.length - MAX_SEEN) : kept;
}
