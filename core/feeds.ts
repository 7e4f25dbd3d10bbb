// Change feeds for triggers: new alerts, changed (closed/resolved) alerts and new activities,
// each delivered exactly once per workflow or flow, across restarts. The cursor semantics live in
// feed-engine.ts; this file says which list operation, time field and key each feed uses.
import type { MdcaClient, RunOptions } from './client';
import { MdcaValidationError } from './errors';
import { FeedCursor as EngineCursor, FeedOptionsOf, FeedPoll, FeedSource, pollCursorFeed, validateFeedWindow } from './feed-engine';
import type { FilterObject } from './filters';
import { findOperation } from './operations';
import type { AnyOperationDefinition, OperationInput } from './operations/types';
import { recordId } from './paging';
import { toEpochMs } from './validation';

export type FeedKind = 'newAlerts' | 'changedAlerts' | 'newActivities';

export type FeedCursor = EngineCursor<FeedKind>;

/** Filters are alert.getAll / activity.getAll inputs, e.g. {severity: [2]}; at most 20 000 records read per poll by default. */
export type FeedOptions = FeedOptionsOf<FeedKind>;

export type PollResult = FeedPoll<FeedKind>;

const FEEDS: Record<FeedKind, { operation: string; timeField: string; filterField: string; timeOf: (record: Record<string, unknown>) => number | undefined; keyOf: (record: Record<string, unknown>) => string | undefined }> = {
  newAlerts: {
    operation: 'alert.getAll',
    timeField: 'date',
    filterField: 'date',
    timeOf: (r) => toEpochMs(r.timestamp),
    keyOf: (r) => recordId(r),
  },
  changedAlerts: {
    // Alerts carry no modification time; closing sets resolveTime, filterable as resolutionDate.
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

export const FEED_KINDS = Object.keys(FEEDS) as FeedKind[];

/** The list operation a feed reads. */
export function feedOperation(kind: FeedKind): string {
  return FEEDS[kind].operation;
}

/** Inputs of the feeds' list operations that a feed sets itself (time window, order, paging mode). */
export const FEED_OWNED_INPUTS: readonly string[] = ['since', 'until', 'sortField', 'sortDirection', 'scanMode', 'scanPageSize'];

/** The filters a trigger offers for a feed's list operation. */
export function feedFilterInputs(operationId: string): OperationInput[] {
  return (findOperation(operationId)?.definition.inputs ?? []).filter((i) => i.group === 'filters' && !FEED_OWNED_INPUTS.includes(i.name));
}

/** A feed's list operation without the inputs the feed sets itself: what a watch node offers as filters. */
export function feedListDefinition(kind: FeedKind): AnyOperationDefinition | undefined {
  const impl = findOperation(feedOperation(kind));
  return impl && { ...impl.definition, inputs: impl.definition.inputs.filter((i) => !FEED_OWNED_INPUTS.includes(i.name)) };
}

export function validateFeedOptions(options: FeedOptions) {
  if (!FEEDS[options.kind]) throw new MdcaValidationError('event', `Unknown event "${String(options.kind)}".`, 'Choose newAlerts, changedAlerts or newActivities.');
  const window = validateFeedWindow(options, { defaultMaxPerPoll: 500, maxStartHours: 24 * 365 });
  return { ...window, kind: options.kind, filters: options.filters ?? {}, maxScanPerPoll: options.maxScanPerPoll ?? 20_000 };
}

/**
 * One poll. `cursor` is what the previous poll returned (undefined on the first run). `now` is
 * the host's clock, used only to place the first-run start.
 */
export async function pollFeed(client: MdcaClient, options: FeedOptions, cursor: FeedCursor | undefined, now: number, run: RunOptions = {}): Promise<PollResult> {
  const o = validateFeedOptions(options);
  const feed = FEEDS[o.kind];
  const source: FeedSource = {
    pages: (from) => client.pages(feed.operation, withTimeFilter(o.filters, feed.filterField, from), { ...run, maxItems: o.maxScanPerPoll }),
    timeOf: feed.timeOf,
    keyOf: feed.keyOf,
  };
  return pollCursorFeed(source, o.kind, o, cursor, now);
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
