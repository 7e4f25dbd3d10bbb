// Node-RED node "mdca-watch": new alerts, changed alerts or new activities, one message per new
// record, exactly once across restarts (node-red/lib/watch-node.ts, core/feeds.ts).
import type { NodeAPI } from 'node-red';
import { FeedKind, pollFeed } from '../core/feeds';
import { findOperation } from '../core/operations';
import { registerWatchNode } from './lib/watch-node';

const FEED_OPERATION: Record<FeedKind, string> = { newAlerts: 'alert.getAll', changedAlerts: 'alert.getAll', newActivities: 'activity.getAll' };
/** Inputs of the list operations that the feed owns (time window, order, paging mode). */
const NOT_FILTERS = new Set(['since', 'until', 'sortField', 'sortDirection', 'scanMode', 'scanPageSize']);

export = function register(RED: NodeAPI): void {
  registerWatchNode<FeedKind>(RED, {
    type: 'mdca-watch',
    kinds: ['newAlerts', 'changedAlerts', 'newActivities'],
    cursorKey: 'mdcaCursor',
    defaultMaxPerPoll: 500,
    filterDefinition(kind) {
      const impl = findOperation(FEED_OPERATION[kind]);
      return impl ? { ...impl.definition, inputs: impl.definition.inputs.filter((i) => !NOT_FILTERS.has(i.name)) } : undefined;
    },
    poll: (config, options, cursor, now, run) => pollFeed(config.getClient(), options, cursor, now, run),
  });
};
