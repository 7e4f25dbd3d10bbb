// Change feeds of Microsoft Graph security alerts (alerts_v2) and incidents for triggers, on the
// shared cursor engine (core/feed-engine.ts), like the Defender XDR incident feed (core/xdr/feed.ts).
// `graphAlertChanges` / `graphIncidentChanges` poll with lastUpdateDateTime ge the cursor and key
// items by `id:lastUpdateDateTime`, so a new record and every later update are each delivered once.
// `newGraphAlerts` / `newGraphIncidents` poll with createdDateTime ge the cursor and key by id.
// Graph lists newest first with no order option (docs/graph-security-api.md, "Alerts"), so the
// engine reads the whole window (bounded by maxScanPerPoll, reading further down when it is cut
// there) before taking the oldest items.
import type { RunOptions } from '../client';
import { MdcaValidationError } from '../errors';
import { toEpochMs } from '../validation';
import { FeedCursor, FeedOptionsOf, FeedPoll, FeedSource, pollCursorFeed, validateFeedWindow } from '../feed-engine';
import type { AnyOperationDefinition, OperationInput } from '../operations/types';
import type { GraphClient } from './client';
import { GRAPH_MAX_PAGE_SIZE } from './list';
import { findGraphOperation } from './registry';

export type GraphAlertFeedKind = 'graphAlertChanges' | 'newGraphAlerts';
export type GraphIncidentFeedKind = 'graphIncidentChanges' | 'newGraphIncidents';
export type GraphFeedKind = GraphAlertFeedKind | GraphIncidentFeedKind;

export type GraphFeedCursor = FeedCursor<GraphFeedKind>;

/** Filters are the list operation's filter inputs; at most 5,000 records (5 calls of 1,000) read per poll by default. */
export type GraphFeedOptions = FeedOptionsOf<GraphFeedKind>;

export type GraphPollResult = FeedPoll<GraphFeedKind>;

/** The client a feed reads through: the GraphClient, or any ServiceClient bound to the Graph descriptor. */
export type GraphFeedClient = Pick<GraphClient, 'pages'>;

const present = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

/** What a feed of one Graph list reads: the list operation, the inputs it owns, the filters it offers. */
interface GraphFeedFamily {
  operation: string;
  /** "alert" / "incident", in messages. */
  noun: string;
  owned: readonly string[];
  filters: ReadonlySet<string>;
}

const ALERTS: GraphFeedFamily = {
  operation: 'alert.getAll',
  noun: 'alert',
  owned: ['createdAfter', 'createdBefore', 'updatedAfter', 'updatedBefore', 'top'],
  filters: new Set(['status', 'severity', 'serviceSource', 'detectionSource', 'classification', 'assignedTo', 'filter']),
};

// $expand=alerts with a $filter is known to fail with 500 on large tenants (core/graph/incidents.ts),
// and the feed always filters on time: the incidents come without their alerts.
const INCIDENTS: GraphFeedFamily = {
  operation: 'incident.getAll',
  noun: 'incident',
  owned: ['createdAfter', 'createdBefore', 'updatedAfter', 'updatedBefore', 'top', 'expandAlerts'],
  filters: new Set(['status', 'severity', 'classification', 'assignedTo', 'filter']),
};

interface GraphFeedSpec {
  family: GraphFeedFamily;
  timeInput: string;
  timeOf: (r: Record<string, unknown>) => number | undefined;
  keyOf: (r: Record<string, unknown>) => string | undefined;
}

const changes = (family: GraphFeedFamily): GraphFeedSpec => ({
  family,
  timeInput: 'updatedAfter',
  timeOf: (r) => toEpochMs(r.lastUpdateDateTime),
  keyOf: (r) => (present(r.id) ? `${String(r.id)}:${String(r.lastUpdateDateTime)}` : undefined),
});
const created = (family: GraphFeedFamily): GraphFeedSpec => ({
  family,
  timeInput: 'createdAfter',
  timeOf: (r) => toEpochMs(r.createdDateTime),
  keyOf: (r) => (present(r.id) ? String(r.id) : undefined),
});

const FEEDS: Record<GraphFeedKind, GraphFeedSpec> = {
  graphAlertChanges: changes(ALERTS),
  newGraphAlerts: created(ALERTS),
  graphIncidentChanges: changes(INCIDENTS),
  newGraphIncidents: created(INCIDENTS),
};
/** Every Graph feed, alerts first (the order of the hosts' Event choices). */
export const GRAPH_FEED_KINDS = Object.keys(FEEDS) as GraphFeedKind[];
export const GRAPH_ALERT_FEED_KINDS: readonly GraphAlertFeedKind[] = ['graphAlertChanges', 'newGraphAlerts'];
export const GRAPH_INCIDENT_FEED_KINDS: readonly GraphIncidentFeedKind[] = ['graphIncidentChanges', 'newGraphIncidents'];
/** The list operation the alert feeds read. */
export const GRAPH_FEED_OPERATION = ALERTS.operation;
/** The list operation the incident feeds read. */
export const GRAPH_INCIDENT_FEED_OPERATION = INCIDENTS.operation;
/** alert.getAll inputs the alert feeds set themselves: their time window and the page size. */
export const GRAPH_FEED_OWNED_INPUTS: readonly string[] = ALERTS.owned;
/** incident.getAll inputs the incident feeds set themselves: their time window, the page size, no $expand. */
export const GRAPH_INCIDENT_FEED_OWNED_INPUTS: readonly string[] = INCIDENTS.owned;

const DEFAULT_KIND: GraphFeedKind = 'graphAlertChanges';

/** The list operation a feed reads. */
export function graphFeedOperation(kind: GraphFeedKind): string {
  return (FEEDS[kind] ?? FEEDS[DEFAULT_KIND]).family.operation;
}

/** A feed's list operation without the inputs the feed sets itself: what a watch node offers as filters. */
export function graphFeedListDefinition(kind: GraphFeedKind = DEFAULT_KIND): AnyOperationDefinition | undefined {
  const family = (FEEDS[kind] ?? FEEDS[DEFAULT_KIND]).family;
  const impl = findGraphOperation(family.operation);
  return impl && { ...impl.definition, inputs: impl.definition.inputs.filter((i) => !family.owned.includes(i.name)) };
}

/** The filters a trigger offers for a feed (the alert feeds' by default). */
export function graphFeedFilterInputs(kind: GraphFeedKind = DEFAULT_KIND): OperationInput[] {
  const family = (FEEDS[kind] ?? FEEDS[DEFAULT_KIND]).family;
  return (findGraphOperation(family.operation)?.definition.inputs ?? []).filter((i) => i.group === 'filters' && family.filters.has(i.name));
}

export function validateGraphFeedOptions(options: GraphFeedOptions) {
  const feed = FEEDS[options.kind];
  if (!feed) throw new MdcaValidationError('event', `Unknown event "${String(options.kind).slice(0, 40)}".`, `Choose ${GRAPH_FEED_KINDS.join(', ')}.`);
  // The same 30-day bound as the Defender XDR incident feed (core/xdr/feed.ts).
  const window = validateFeedWindow(options, { defaultMaxPerPoll: 200, maxStartHours: 24 * 30 });
  const filters = options.filters ?? {};
  for (const key of Object.keys(filters)) {
    if (!feed.family.filters.has(key)) {
      throw new MdcaValidationError(key, `"${key.slice(0, 40)}" cannot be used in a Graph ${feed.family.noun} trigger (the trigger owns the time window and the page size).`, `Use ${[...feed.family.filters].join(', ')}.`);
    }
  }
  return { ...window, kind: options.kind, filters, maxScanPerPoll: options.maxScanPerPoll ?? 5_000 };
}

/** One poll of a Graph feed (alerts or incidents). */
export async function pollGraphFeed(client: GraphFeedClient, options: GraphFeedOptions, cursor: GraphFeedCursor | undefined, now: number, run: RunOptions = {}): Promise<GraphPollResult> {
  const o = validateGraphFeedOptions(options);
  const feed = FEEDS[o.kind];
  const beforeInput = feed.timeInput === 'updatedAfter' ? 'updatedBefore' : 'createdBefore';
  const source: FeedSource = {
    pages: (from, until) =>
      client.pages(feed.family.operation, { ...o.filters, [feed.timeInput]: from, ...(until === undefined ? {} : { [beforeInput]: until }), top: GRAPH_MAX_PAGE_SIZE }, { ...run, maxItems: o.maxScanPerPoll }),
    scanLimit: o.maxScanPerPoll,
    timeOf: feed.timeOf,
    keyOf: feed.keyOf,
  };
  return pollCursorFeed(source, o.kind, o, cursor, now);
}

/** The alert feeds' poll under its first name (saved code and the hosts' imports keep working). */
export const pollGraphAlertFeed = pollGraphFeed;
