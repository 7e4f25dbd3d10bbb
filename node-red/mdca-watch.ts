// Node-RED node "mdca-watch": new alerts, changed alerts or new activities, one message per new
// record, exactly once across restarts (node-red/lib/watch-node.ts, core/feeds.ts).
import type { NodeAPI } from 'node-red';
import { FEED_KINDS, feedListDefinition, FeedKind, pollFeed } from '../core/feeds';
import { registerWatchNode } from './lib/watch-node';

export = function register(RED: NodeAPI): void {
  registerWatchNode<FeedKind>(RED, {
    type: 'mdca-watch',
    kinds: FEED_KINDS,
    cursorKey: 'mdcaCursor',
    defaultMaxPerPoll: 500,
    filterDefinition: feedListDefinition,
    poll: (config, options, cursor, now, run) => pollFeed(config.getClient(), options, cursor, now, run),
  });
};
