// The Node-RED node types of each service's resources, the watch nodes' feeds and the output
// modes: the names saved flows refer to, so they never change.
import type { ResourceName } from '../../core/operations/types';
import type { XdrResourceName } from '../../core/xdr/types';

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

/** Feeds of the watch nodes: event value → the list operation whose filters it takes. */
export const FEEDS = [
  { value: 'newAlerts', operation: 'alert.getAll' },
  { value: 'changedAlerts', operation: 'alert.getAll' },
  { value: 'newActivities', operation: 'activity.getAll' },
  { value: 'incidentChanges', operation: 'incident.getAll', service: 'xdr' },
  { value: 'newIncidents', operation: 'incident.getAll', service: 'xdr' },
] as const;

export const OUTPUT_MODES = ['all', 'item', 'page'] as const;
export type OutputMode = (typeof OUTPUT_MODES)[number];
