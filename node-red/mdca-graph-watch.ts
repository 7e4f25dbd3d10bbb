// Node-RED node "mdca-graph-watch": new Microsoft Graph security alerts or incidents, or every new
// and updated one, one message per change, exactly once across restarts (node-red/lib/watch-node.ts,
// core/graph/feed.ts). Its cursor has its own context key (`graphCursor`); the cursor names its feed,
// so switching the event starts that feed afresh.
import type { NodeAPI } from 'node-red';
import { GRAPH_FEED_KINDS, GraphFeedKind, graphFeedListDefinition, pollGraphFeed } from '../core/graph/feed';
import { registerWatchNode } from './lib/watch-node';

export = function register(RED: NodeAPI): void {
  registerWatchNode<GraphFeedKind>(RED, {
    type: 'mdca-graph-watch',
    kinds: GRAPH_FEED_KINDS,
    cursorKey: 'graphCursor',
    defaultMaxPerPoll: 200,
    filterDefinition: graphFeedListDefinition,
    poll: (config, options, cursor, now, run) => pollGraphFeed(config.getGraphClient(), options, cursor, now, run),
    messageMeta: { service: 'graph' },
  });
};
