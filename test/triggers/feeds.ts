// The feeds the trigger scenarios (scenarios.ts) run on, each described once for the three drivers
// (hosts.ts): MDCA new alerts, and the Microsoft Graph security alert and incident feeds.
import type { RunningEmulator } from '../../emulator';
import { FeedCursor, pollFeed } from '../../core';
import { GraphFeedCursor, GraphFeedKind, pollGraphFeed } from '../../core/graph';
import { MicrosoftDefenderCloudAppsTrigger } from '../../nodes/MicrosoftDefenderCloudAppsTrigger/MicrosoftDefenderCloudAppsTrigger.node';
import { MicrosoftGraphSecurityTrigger } from '../../nodes/MicrosoftGraphSecurityTrigger/MicrosoftGraphSecurityTrigger.node';
import { fastClient } from '../core/helpers';
import { graphClient } from '../graph/helpers';
import { connection, graphConnection } from '../node-red/helpers';
import { n8nCredential } from './hosts';
import type { ScenarioFeed } from './scenarios';

const iso = (ms: number): string => new Date(ms).toISOString();
let sequence = 0;

/** MDCA new alerts (alert.getAll by date, oldest first); the history: the "history" tenant's seeded alerts. */
export const MDCA_NEW_ALERTS: ScenarioFeed = {
  label: 'MDCA newAlerts',
  listPath: '/alerts',
  service: (emulator) => emulator.control,
  insert(emulator, tenant, count, time) {
    const timestamp = time ?? emulator.control.now();
    const partials = Array.from({ length: count }, () => ({ timestamp, title: `Scenario alert ${++sequence}` }));
    return emulator.control.insertAlerts(tenant, partials).map((a) => String(a._id));
  },
  idOf: (r) => String(r._id),
  backlog: {
    tenant: 'history',
    hours: 24 * 40,
    maxPerPoll: 500,
    expected: (emulator, from) =>
      emulator.control
        .listAlerts('history')
        .filter((a) => Number(a.timestamp) >= from)
        .map((a) => String(a._id)),
  },
  core(emulator, tenant) {
    const client = fastClient(emulator, 'appSecret', tenant);
    return async (options, cursor, now, run) => pollFeed(client, { kind: 'newAlerts', ...options }, cursor as FeedCursor | undefined, now, run);
  },
  n8n: {
    node: () => new MicrosoftDefenderCloudAppsTrigger(),
    parameters: { event: 'newAlerts', simplify: false },
    credential: n8nCredential,
  },
  nodeRed: { type: 'mdca-watch', event: 'newAlerts', cursorKey: 'mdcaCursor', connection: (emulator, tenant) => connection(emulator, 'appSecret', 'cfg', {}, tenant) },
};

/**
 * Each scenario on a freshly seeded Graph tenant (Graph reads the whole window each poll, and a
 * Node-RED connection has Graph's own budget of 140 calls a minute), with pages of 100 records as
 * the MDCA listener serves them (server-driven paging).
 */
function graphPages(emulator: RunningEmulator, tenant: string): void {
  emulator.control.graph.reset(tenant);
  emulator.control.graph.setSettings(tenant, { maxPageSize: 100 });
}

/** The record time a Graph feed reads. */
const graphTimeOf = (kind: GraphFeedKind) => (r: Record<string, unknown>): number => Date.parse(String(kind.endsWith('Changes') ? r.lastUpdateDateTime : r.createdDateTime));

/** The part a Graph feed shares with the other Graph feeds: client, n8n node and Node-RED watcher. */
function graphFeed(kind: GraphFeedKind): Pick<ScenarioFeed, 'service' | 'prepare' | 'idOf' | 'core' | 'n8n' | 'nodeRed'> {
  return {
    service: (emulator) => emulator.control.graph,
    prepare: graphPages,
    // A new record is one change: the scenarios count each once by id.
    idOf: (r) => String(r.id),
    core(emulator, tenant) {
      const client = graphClient(emulator, 'appSecret', tenant);
      return async (options, cursor, now, run) => pollGraphFeed(client, { kind, ...options }, cursor as GraphFeedCursor | undefined, now, run);
    },
    n8n: {
      node: () => new MicrosoftGraphSecurityTrigger(),
      parameters: { event: kind },
      credential: (emulator, tenant) => {
        const c = n8nCredential(emulator, tenant);
        return { type: c.type, data: { ...c.data, graphApiUrl: emulator.tenants[tenant].graphApiUrl } };
      },
    },
    nodeRed: { type: 'mdca-graph-watch', event: kind, cursorKey: 'graphCursor', connection: (emulator, tenant) => graphConnection(emulator, 'appSecret', 'cfg', {}, tenant) },
  };
}

/** Graph alert feeds; the history: the Graph alerts of the "history" tenant's MDCA alerts (more than one 5,000-record read). */
export function graphAlertFeed(kind: 'graphAlertChanges' | 'newGraphAlerts'): ScenarioFeed {
  const timeOf = graphTimeOf(kind);
  return {
    label: `Graph ${kind}`,
    listPath: '/security/alerts_v2',
    ...graphFeed(kind),
    insert(emulator, tenant, count, time) {
      const at = iso(time ?? emulator.control.now());
      const partials = Array.from({ length: count }, () => ({ title: `Scenario Graph alert ${++sequence}`, createdDateTime: at, lastUpdateDateTime: at }));
      return emulator.control.graph.insertAlerts(tenant, partials).map((a) => String(a.id));
    },
    backlog: {
      tenant: 'history',
      hours: 24 * 30,
      maxPerPoll: 500,
      expected: (emulator, from) =>
        emulator.control.graph
          .listAlerts('history')
          .filter((a) => timeOf(a) >= from)
          .map((a) => String(a.id)),
    },
  };
}

const BACKLOG_INCIDENTS = 6_000;

/** Graph incident feeds; the history: 6,000 incidents over the last 29 days of the "history" tenant (more than one 5,000-record read). */
export function graphIncidentFeed(kind: 'graphIncidentChanges' | 'newGraphIncidents'): ScenarioFeed {
  const timeOf = graphTimeOf(kind);
  return {
    label: `Graph ${kind}`,
    listPath: '/security/incidents',
    ...graphFeed(kind),
    insert(emulator, tenant, count, time) {
      const at = iso(time ?? emulator.control.now());
      const partials = Array.from({ length: count }, () => ({ displayName: `Scenario Graph incident ${++sequence}`, createdDateTime: at, lastUpdateDateTime: at }));
      return emulator.control.graph.insertIncidents(tenant, partials, { alerts: false }).map((i) => String(i.id));
    },
    backlog: {
      tenant: 'history',
      hours: 24 * 30,
      maxPerPoll: 500,
      setup(emulator) {
        if (emulator.control.graph.listIncidents('history').length >= BACKLOG_INCIDENTS) return;
        const now = emulator.control.now();
        const span = 29 * 24 * 3_600_000;
        const partials = Array.from({ length: BACKLOG_INCIDENTS }, (_, k) => {
          const created = now - Math.floor(((k + 1) / BACKLOG_INCIDENTS) * span);
          // Some updated later than created, a few of them at the same instant.
          const updated = k % 3 === 0 ? created + (k % 7) * 60_000 : created;
          return { displayName: `History incident ${k}`, createdDateTime: iso(created), lastUpdateDateTime: iso(Math.min(updated, now - 1_000)) };
        });
        emulator.control.graph.insertIncidents('history', partials, { alerts: false });
      },
      expected: (emulator, from) =>
        emulator.control.graph
          .listIncidents('history')
          .filter((i) => timeOf(i) >= from)
          .map((i) => String(i.id)),
    },
  };
}
