// Change feed of Microsoft Graph security alerts (alerts_v2) for triggers, on the shared cursor
// engine (core/feed-engine.ts), like the Defender XDR incident feed (core/xdr/feed.ts).
// `graphAlertChanges` polls with lastUpdateDateTime ge the cursor and keys items by
// `id:lastUpdateDateTime`, so a new alert and every later update are each delivered once.
// `newGraphAlerts` polls with createdDateTime ge the cursor and keys by id. Graph lists newest
// first with no order option (docs/graph-security-api.md, "Alerts"), so the engine reads the
// whole window (bounded by maxScanPerPoll) before taking the oldest items.
import type { RunOptions } from '../client';
import { MdcaValidationError } from '../errors';
import { toEpochMs } from '../validation';
import { FeedCursor, FeedOptionsOf, FeedPoll, FeedSource, pollCursorFeed, validateFeedWindow } from '../feed-engine';
import type { AnyOperationDefinition, OperationInput } from '../operations/types';
import type { GraphClient } from './client';
import { GRAPH_MAX_PAGE_SIZE } from './list';
import { findGraphOperation } from './registry';

export type GraphFeedKind = 'graphAlertChanges' | 'newGraphAlerts';

export type GraphFeedCursor = FeedCursor<GraphFeedKind>;

/** Filters are alert.getAll filter inputs; at most 5,000 records (5 calls of 1,000) read per poll by default. */
export type GraphFeedOptions = FeedOptionsOf<GraphFeedKind>;

export type GraphPollResult = FeedPoll<GraphFeedKind>;

/** The client a feed reads through: the GraphClient, or any ServiceClient bound to the Graph descriptor. */
export type GraphFeedClient = Pick<GraphClient, 'pages'>;

const present = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

const FEEDS: Record<GraphFeedKind, { timeInput: string; timeOf: (r: Record<string, unknown>) => number | undefined; keyOf: (r: Record<string, unknown>) => string | undefined }> = {
  graphAlertChanges: {
    timeInput: 'updatedAfter',
    timeOf: (r) => toEpochMs(r.lastUpdateDateTime),
    keyOf: (r) => (present(r.id) ? `${String(r.id)}:${String(r.lastUpdateDateTime)}` : undefined),
  },
  newGraphAlerts: {
    timeInput: 'createdAfter',
    timeOf: (r) => toEpochMs(r.createdDateTime),
    keyOf: (r) => (present(r.id) ? String(r.id) : undefined),
  },
};
export const GRAPH_FEED_KINDS = Object.keys(FEEDS) as GraphFeedKind[];
/** The list operation every Graph alert feed reads. */
export const GRAPH_FEED_OPERATION = 'alert.getAll';
/** alert.getAll inputs the feed sets itself: its time window and the page size. */
export const GRAPH_FEED_OWNED_INPUTS: readonly string[] = ['createdAfter', 'createdBefore', 'updatedAfter', 'updatedBefore', 'top'];
const FEED_FILTERS = new Set(['status', 'severity', 'serviceSource', 'detectionSource', 'classification', 'assignedTo', 'filter']);

/** alert.getAll without the inputs the feed sets itself: what a watch node offers as filters. */
export function graphFeedListDefinition(): AnyOperationDefinition | undefined {
  const impl = findGraphOperation(GRAPH_FEED_OPERATION);
  return impl && { ...impl.definition, inputs: impl.definition.inputs.filter((i) => !GRAPH_FEED_OWNED_INPUTS.includes(i.name)) };
}

/** The filters a trigger offers for the alert feeds. */
export function graphFeedFilterInputs(): OperationInput[] {
  return (findGraphOperation(GRAPH_FEED_OPERATION)?.definition.inputs ?? []).filter((i) => i.group === 'filters' && FEED_FILTERS.has(i.name));
}

export function validateGraphFeedOptions(options: GraphFeedOptions) {
  if (!FEEDS[options.kind]) throw new MdcaValidationError('event', `Unknown event "${String(options.kind).slice(0, 40)}".`, `Choose ${GRAPH_FEED_KINDS.join(' or ')}.`);
  // The same 30-day bound as the Defender XDR incident feed (core/xdr/feed.ts).
  const window = validateFeedWindow(options, { defaultMaxPerPoll: 200, maxStartHours: 24 * 30 });
  const filters = options.filters ?? {};
  for (const key of Object.keys(filters)) {
    if (!FEED_FILTERS.has(key)) throw new MdcaValidationError(key, `"${key.slice(0, 40)}" cannot be used in a Graph alert trigger (the trigger owns the time window and the page size).`, `Use ${[...FEED_FILTERS].join(', ')}.`);
  }
  return { ...window, kind: options.kind, filters, maxScanPerPoll: options.maxScanPerPoll ?? 5_000 };
}

export async function pollGraphAlertFeed(client: GraphFeedClient, options: GraphFeedOptions, cursor: GraphFeedCursor | undefined, now: number, run: RunOptions = {}): Promise<GraphPollResult> {
  const o = validateGraphFeedOptions(options);
  const feed = FEEDS[o.kind];
  const source: FeedSource = {
    pages: (from) => client.pages(GRAPH_FEED_OPERATION, { ...o.filters, [feed.timeInput]: from, top: GRAPH_MAX_PAGE_SIZE }, { ...run, maxItems: o.maxScanPerPoll }),
    timeOf: feed.timeOf,
    keyOf: feed.keyOf,
  };
  return pollCursorFeed(source, o.kind, o, cursor, now);
}
