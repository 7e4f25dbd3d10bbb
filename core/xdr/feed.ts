// Change feed of Defender XDR incidents for triggers, on the shared cursor engine
// (core/feed-engine.ts). `incidentChanges` polls by lastUpdateTime and keys items by
// `incidentId:lastUpdateTime`, so a new incident and every later update are each delivered once.
// `newIncidents` polls by createdTime and keys by incidentId. The service lists newest first with
// no order option, so the engine reads the whole window (bounded by maxScanPerPoll) before taking
// the oldest items.
import type { RunOptions } from '../client';
import { MdcaValidationError } from '../errors';
import { toEpochMs } from '../validation';
import { FeedCursor, FeedOptionsOf, FeedPoll, FeedSource, pollCursorFeed, validateFeedWindow } from '../feed-engine';
import type { XdrClient } from './client';
import type { AnyOperationDefinition, OperationInput } from '../operations/types';
import { findXdrOperation } from './registry';

export type XdrFeedKind = 'incidentChanges' | 'newIncidents';

export type XdrFeedCursor = FeedCursor<XdrFeedKind>;

/** Filters are incident.getAll inputs (status, assignedTo, filter, containsAlertId); at most 5,000 records (50 calls: the per-minute budget) read per poll by default. */
export type XdrFeedOptions = FeedOptionsOf<XdrFeedKind>;

export type XdrPollResult = FeedPoll<XdrFeedKind>;

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
export const XDR_FEED_KINDS = Object.keys(FEEDS) as XdrFeedKind[];
/** The list operation every incident feed reads. */
export const XDR_FEED_OPERATION = 'incident.getAll';
/** incident.getAll inputs the feed sets itself (its time window). */
export const XDR_FEED_OWNED_INPUTS: readonly string[] = ['lastUpdatedAfter', 'lastUpdatedBefore', 'createdAfter', 'createdBefore'];
const FEED_FILTERS = new Set(['status', 'assignedTo', 'filter', 'containsAlertId']);

/** incident.getAll without the inputs the feed sets itself: what a watch node offers as filters. */
export function xdrFeedListDefinition(): AnyOperationDefinition | undefined {
  const impl = findXdrOperation(XDR_FEED_OPERATION);
  return impl && { ...impl.definition, inputs: impl.definition.inputs.filter((i) => !XDR_FEED_OWNED_INPUTS.includes(i.name)) };
}

/** The filters a trigger offers for the incident feeds. */
export function xdrFeedFilterInputs(): OperationInput[] {
  return (findXdrOperation(XDR_FEED_OPERATION)?.definition.inputs ?? []).filter((i) => i.group === 'filters' && FEED_FILTERS.has(i.name));
}

export function validateXdrFeedOptions(options: XdrFeedOptions) {
  if (!FEEDS[options.kind]) throw new MdcaValidationError('event', `Unknown event "${String(options.kind)}".`, 'Choose incidentChanges or newIncidents.');
  const window = validateFeedWindow(options, { defaultMaxPerPoll: 200, maxStartHours: 24 * 30 });
  const filters = options.filters ?? {};
  for (const key of Object.keys(filters)) {
    if (!FEED_FILTERS.has(key)) throw new MdcaValidationError(key, `"${key.slice(0, 40)}" cannot be used in an incident trigger (the trigger owns the time window).`, `Use ${[...FEED_FILTERS].join(', ')}.`);
  }
  return { ...window, kind: options.kind, filters, maxScanPerPoll: options.maxScanPerPoll ?? 5_000 };
}

export async function pollXdrIncidentFeed(client: XdrClient, options: XdrFeedOptions, cursor: XdrFeedCursor | undefined, now: number, run: RunOptions = {}): Promise<XdrPollResult> {
  const o = validateXdrFeedOptions(options);
  const feed = FEEDS[o.kind];
  const source: FeedSource = {
    pages: (from) => client.pages(XDR_FEED_OPERATION, { ...o.filters, [feed.timeInput]: from }, { ...run, maxItems: o.maxScanPerPoll }),
    timeOf: feed.timeOf,
    keyOf: feed.keyOf,
  };
  return pollCursorFeed(source, o.kind, o, cursor, now);
}

/**
 * Playbook helper: the incident(s) holding an MDCA alert (by MDCA alert `_id`), looked up among
 * incidents updated since `sinceMs` (an alert joins an incident when it is raised, which updates
 * the incident).
 */
export async function findIncidentsForAlert(client: XdrClient, alertId: string, sinceMs: number, run: RunOptions = {}): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const page of client.pages(XDR_FEED_OPERATION, { containsAlertId: alertId, lastUpdatedAfter: sinceMs }, { maxItems: 10, ...run })) {
    out.push(...(page.items as Record<string, unknown>[]));
  }
  return out;
}
