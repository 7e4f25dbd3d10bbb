// The Node-RED node types of each service's resources, the watch nodes' feeds and the output
// modes: the names saved flows refer to, so they never change.
import type { ResourceName } from '../../core/operations/types';
import type { XdrResourceName } from '../../core/xdr/types';
import type { GraphResourceName } from '../../core/graph/types';
import type { EntraResourceName } from '../../core/entra/types';
import type { MdeResourceName } from '../../core/mde/types';
import { FEED_KINDS, feedOperation } from '../../core/feeds';
import { XDR_FEED_KINDS, XDR_FEED_OPERATION } from '../../core/xdr/feed';
import { GRAPH_FEED_KINDS, graphFeedOperation } from '../../core/graph/feed';

/** Node types per resource (the palette order). */
export const NODE_TYPES: Record<ResourceName, string> = {
  alert: 'mdca-alert',
  activity: 'mdca-activity',
  entity: 'mdca-entity',
  ipRange: 'mdca-ip-range',
  discovery: 'mdca-discovery',
  file: 'mdca-file',
};

/** Node types per Defender XDR resource: the same operation node on the XDR registry. */
export const XDR_NODE_TYPES: Record<XdrResourceName, string> = {
  incident: 'mdca-xdr-incident',
  advancedHunting: 'mdca-xdr-hunting',
};

/** Node types per Microsoft Graph security resource: the same operation node on the Graph registry. */
export const GRAPH_NODE_TYPES: Record<GraphResourceName, string> = {
  alert: 'mdca-graph-alert',
  incident: 'mdca-graph-incident',
  huntingQuery: 'mdca-graph-hunting',
};

/** Node types per Microsoft Entra ID resource (users, Identity Protection): response actions on users. */
export const ENTRA_NODE_TYPES: Record<EntraResourceName, string> = {
  user: 'mdca-entra-user',
  riskyUser: 'mdca-entra-risky-user',
};

/** Node types per Microsoft Defender for Endpoint resource: machines and their response actions. */
export const MDE_NODE_TYPES: Record<MdeResourceName, string> = {
  machine: 'mdca-mde-machine',
  machineAction: 'mdca-mde-machine-action',
};

/** The service whose registry an operation node runs (MDCA resources and Graph ones share names). */
export type OperationService = 'mdca' | 'xdr' | 'graph' | 'entra' | 'mde';

/** Any resource an operation node can be bound to, of any service. */
export type AnyResourceName = ResourceName | XdrResourceName | GraphResourceName | EntraResourceName | MdeResourceName;

/**
 * Feeds of the watch nodes: event value → the list operation whose filters it takes (from the core
 * feeds). An MDCA feed has no `service`; `alert.getAll` is both an MDCA and a Graph operation id, so
 * the operation is found by the feed's service too (the editor's MdcaEditor.prepareWatch).
 */
export const FEEDS: readonly { value: string; operation: string; service?: 'xdr' | 'graph' }[] = [
  ...FEED_KINDS.map((value) => ({ value, operation: feedOperation(value) })),
  ...XDR_FEED_KINDS.map((value) => ({ value, operation: XDR_FEED_OPERATION, service: 'xdr' as const })),
  ...GRAPH_FEED_KINDS.map((value) => ({ value, operation: graphFeedOperation(value), service: 'graph' as const })),
];

export const OUTPUT_MODES = ['all', 'item', 'page'] as const;
export type OutputMode = (typeof OUTPUT_MODES)[number];
