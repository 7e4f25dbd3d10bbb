// Node-RED node "mdca-xdr-watch": new Defender XDR incidents, or every new and updated incident,
// one message per incident change, exactly once across restarts (node-red/lib/watch-node.ts,
// core/xdr/feed.ts). Its cursor has its own context key (`xdrCursor`).
import type { NodeAPI } from 'node-red';
import type { AnyOperationDefinition } from '../core/operations/types';
import { pollXdrIncidentFeed, XdrFeedKind } from '../core/xdr/feed';
import { findXdrOperation } from '../core/xdr/registry';
import { registerWatchNode } from './lib/watch-node';

/** incident.getAll inputs the feed owns (the time window); the others are filters. */
const XDR_WATCH_SKIP = ['lastUpdatedAfter', 'lastUpdatedBefore', 'createdAfter', 'createdBefore'];

export = function register(RED: NodeAPI): void {
  registerWatchNode<XdrFeedKind>(RED, {
    type: 'mdca-xdr-watch',
    kinds: ['incidentChanges', 'newIncidents'],
    cursorKey: 'xdrCursor',
    defaultMaxPerPoll: 200,
    filterDefinition() {
      const impl = findXdrOperation('incident.getAll');
      return impl ? ({ ...impl.definition, inputs: impl.definition.inputs.filter((i) => !XDR_WATCH_SKIP.includes(i.name)) }) : undefined;
    },
    poll: (config, options, cursor, now, run) => pollXdrIncidentFeed(config.getXdrClient(), options, cursor, now, run),
    messageMeta: { service: 'xdr' },
  });
};
