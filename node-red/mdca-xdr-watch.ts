// Node-RED node "mdca-xdr-watch": new Defender XDR incidents, or every new and updated incident,
// one message per incident change, exactly once across restarts (node-red/lib/watch-node.ts,
// core/xdr/feed.ts). Its cursor has its own context key (`xdrCursor`).
import type { NodeAPI } from 'node-red';
import { pollXdrIncidentFeed, XDR_FEED_KINDS, xdrFeedListDefinition, XdrFeedKind } from '../core/xdr/feed';
import { registerWatchNode } from './lib/watch-node';

export = function register(RED: NodeAPI): void {
  registerWatchNode<XdrFeedKind>(RED, {
    type: 'mdca-xdr-watch',
    kinds: XDR_FEED_KINDS,
    cursorKey: 'xdrCursor',
    defaultMaxPerPoll: 200,
    filterDefinition: xdrFeedListDefinition,
    poll: (config, options, cursor, now, run) => pollXdrIncidentFeed(config.getXdrClient(), options, cursor, now, run),
    messageMeta: { service: 'xdr' },
  });
};
