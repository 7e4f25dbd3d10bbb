// Drivers for the trigger scenarios, made per feed (scenarios.ts, feeds.ts): the core feed, the n8n
// trigger node (poll() in n8n-core's PollContext, cursor in the workflow static data) and the
// Node-RED watcher (in node-red-node-test-helper, cursor in the node context). All talk HTTPS to
// the emulator.
//
// Page events: the hosts do not expose the core's page events, so `onPage` is driven by the
// emulator's request log. The log entry of a request is pushed when the request arrives, before
// the emulator takes a fault or serves it; when the (N+1)th list request of a poll arrives,
// N pages were served (status 200) and the handler runs for page N there, synchronously. Records it
// inserts and faults it injects therefore apply from the next page on, as with the core's event.
// The pages of the last request are reported when the poll ends.
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import type { RunningEmulator } from '../../emulator';
import { credentialData } from '../n8n/credential-fixtures';
import { pollNode } from '../n8n/engine';
import { FlowNode, helper, load, NodeSpyCall, onCall, onInput } from '../node-red/helpers';
import { settingsFor } from '../support/emulator-settings';
import type { FeedDriver, FeedDriverFactory, ScenarioFeed } from './scenarios';

interface LogEntry {
  path: string;
  status: number;
}
type Listener = (entry: LogEntry) => void;

const listeners = new WeakMap<LogEntry[], Set<Listener>>();

/** Calls `listener` for every request the tenant's listener of the feed's service receives, as it arrives. */
function onRequest(emulator: RunningEmulator, feed: ScenarioFeed, tenant: string, listener: Listener): void {
  const log = (feed.service(emulator).tenant(tenant) as { requestLog: LogEntry[] }).requestLog;
  let set = listeners.get(log);
  if (!set) {
    const all = new Set<Listener>();
    set = all;
    listeners.set(log, all);
    const push = log.push;
    log.push = function (this: LogEntry[], ...entries: LogEntry[]): number {
      const n = push.apply(this, entries);
      for (const entry of entries) for (const l of [...all]) l(entry);
      return n;
    };
  }
  set.add(listener);
}

/** Page events of one poll at a time, from the emulator's request log. */
class PageEvents {
  handler?: (page: number) => void;
  private entries?: LogEntry[];
  private fired = 0;

  constructor(emulator: RunningEmulator, feed: ScenarioFeed, tenant: string) {
    onRequest(emulator, feed, tenant, (entry) => {
      if (!this.entries || !entry.path.includes(feed.listPath)) return;
      this.fire();
      this.entries.push(entry);
    });
  }

  begin(): void {
    this.entries = [];
    this.fired = 0;
  }

  end(): void {
    if (this.entries) this.fire();
    this.entries = undefined;
  }

  private fire(): void {
    const served = this.entries!.filter((e) => e.status === 200).length;
    while (this.fired < served) {
      this.fired++;
      this.handler?.(this.fired);
    }
  }
}

/** The error a host reported, with the MDCA error code on it (as the core's errors carry it). */
function withCode(summary: Record<string, unknown> | undefined, fallback: unknown): Error {
  const e = new Error(String(summary?.message ?? (fallback as Error)?.message ?? fallback));
  Object.assign(e, summary ?? {}, { host: fallback });
  return e;
}

// ---------------------------------------------------------------------------------------------
// core

/** The core feed: one poll = the feed's poll with the cursor as a host stores it (JSON); restart = a new client. */
export const coreDriver: FeedDriverFactory = (feed) => async (emulator, tenant, options) => {
  let cursor: unknown;
  let poll = feed.core(emulator, tenant);
  let pageHandler: ((page: number) => void) | undefined;
  const driver: FeedDriver = {
    async poll() {
      const result = await poll(options, cursor, emulator.control.now(), {
        onEvent: (e) => {
          if (e.type === 'page') pageHandler?.(e.page);
        },
      });
      cursor = JSON.parse(JSON.stringify(result.cursor)) as unknown;
      return result.items as Record<string, unknown>[];
    },
    async restart() {
      poll = feed.core(emulator, tenant);
    },
    onPage(handler) {
      pageHandler = handler;
    },
  };
  return driver;
};

// ---------------------------------------------------------------------------------------------
// n8n

/** The app-secret credential of a tenant, as a user types it. */
export function n8nCredential(emulator: RunningEmulator, tenant: string): { type: string; data: IDataObject } {
  const base = credentialData(emulator, 'appSecret');
  const s = settingsFor(emulator, 'appSecret', tenant);
  const a = s.auth as unknown as Record<string, string>;
  return {
    type: base.type,
    data: { ...base.data, apiUrl: s.apiUrl, tenantId: a.tenantId, clientId: a.clientId, clientSecret: a.clientSecret },
  };
}

function n8nErrorSummary(error: unknown): Record<string, unknown> | undefined {
  const e = error as { errorResponse?: Record<string, unknown>; cause?: Record<string, unknown>; context?: { mdca?: Record<string, unknown> } };
  for (const candidate of [e.errorResponse, e.context?.mdca, e.cause]) if (candidate && typeof candidate.code === 'string') return candidate;
  return undefined;
}

/** The n8n trigger node: one poll = poll() with the workflow static data; restart = a new node instance with the stored static data. */
export const n8nDriver: FeedDriverFactory = (feed) => async (emulator, tenant, options) => {
  const cred = feed.n8n.credential(emulator, tenant);
  const pages = new PageEvents(emulator, feed, tenant);
  const staticData: IDataObject = {};
  let node = feed.n8n.node();
  const nodeOptions: INodeParameters = {};
  if (options.maxPerPoll !== undefined) nodeOptions.maxPerPoll = options.maxPerPoll;
  if (options.lookBackMs !== undefined) nodeOptions.lookBackMinutes = options.lookBackMs / 60_000;
  if (options.startFrom?.mode === 'hoursAgo') Object.assign(nodeOptions, { startFrom: 'hoursAgo', startHoursAgo: options.startFrom.hours });
  const parameters = { ...feed.n8n.parameters, options: nodeOptions };
  const driver: FeedDriver = {
    async poll() {
      pages.begin();
      try {
        const out = await pollNode(node, { parameters, credentials: { [cred.type]: cred.data as never }, staticData, mode: 'trigger' });
        return (out ?? []).map((item) => item.json as Record<string, unknown>);
      } catch (error) {
        throw withCode(n8nErrorSummary(error), error);
      } finally {
        pages.end();
      }
    },
    async restart() {
      // n8n persists static data as JSON and hands the new instance the same object.
      const stored = JSON.parse(JSON.stringify(staticData)) as IDataObject;
      for (const key of Object.keys(staticData)) delete staticData[key];
      Object.assign(staticData, stored);
      node = feed.n8n.node();
    },
    onPage(handler) {
      pages.handler = handler;
    },
  };
  return driver;
};

// ---------------------------------------------------------------------------------------------
// Node-RED

let serverStarted = false;
/** The live Node-RED driver: a newer one unloads the older one's flow. */
let liveNodeRed: object | undefined;

export async function startNodeRed(): Promise<void> {
  if (serverStarted) return;
  await new Promise<void>((r) => helper.startServer(r));
  serverStarted = true;
}

export async function stopNodeRed(): Promise<void> {
  liveNodeRed = undefined;
  await helper.unload();
  if (serverStarted) await new Promise<void>((r) => helper.stopServer(r));
  serverStarted = false;
}


/**
 * The Node-RED watcher at its shortest interval (1 s; 1 s after a capped poll as well). One poll =
 * the next poll the watcher starts after the call; everything it sent since the previous call is
 * returned (the node's `send`, `status` and `error` calls as the test helper reports them, in
 * order). Restart = unload and reload the flow, with the cursor the watcher had stored put back
 * into its context (what a persistent context store does).
 */
export const nodeRedDriver: FeedDriverFactory = (feed) => async (emulator, tenant, options) => {
  await startNodeRed();
  const me = {};
  liveNodeRed = me;
  const c = feed.nodeRed.connection(emulator, tenant);
  const { cursorKey } = feed.nodeRed;
  const watch: FlowNode = {
    id: 'w1',
    type: feed.nodeRed.type,
    config: 'cfg',
    event: feed.nodeRed.event,
    params: {},
    interval: 1,
    lookBackMinutes: (options.lookBackMs ?? 5 * 60_000) / 60_000,
    startFrom: options.startFrom?.mode ?? 'now',
    startHoursAgo: options.startFrom?.mode === 'hoursAgo' ? options.startFrom.hours : 24,
    // Empty: the watcher's own default.
    maxPerPoll: options.maxPerPoll ?? '',
    wires: [['out']],
  };
  const pages = new PageEvents(emulator, feed, tenant);
  let buffer: Record<string, unknown>[] = [];
  let cursor: unknown;
  let started = 0;
  /** Messages the watcher reported sending (its "N new" status) and messages the flow received. */
  let sent = 0;
  let received = 0;
  let pendingFinish: (() => void) | undefined;
  let waiter: { after: number; resolve: () => void; reject: (e: Error) => void } | undefined;

  const finish = (error?: Error): void => {
    if (liveNodeRed !== me) return;
    // Messages reach the next node asynchronously: wait until the flow received all sent ones.
    if (received < sent) {
      pendingFinish = () => finish(error);
      return;
    }
    pendingFinish = undefined;
    pages.end();
    const w = waiter;
    if (!w || started <= w.after) return;
    waiter = undefined;
    if (error) w.reject(error);
    else w.resolve();
  };

  async function start(): Promise<void> {
    await load([c.node, watch, { id: 'out', type: 'helper' }], c.credentials);
    sent = received = 0;
    pendingFinish = undefined;
    const node = helper.getNode('w1');
    if (cursor !== undefined) node.context().set(cursorKey, cursor);
    onInput<{ payload: Record<string, unknown> }>('out', (msg) => {
      buffer.push(msg.payload);
      received++;
      if (pendingFinish && received >= sent) pendingFinish();
    });
    onCall('w1', 'status', (call: NodeSpyCall) => {
      const s = (call.args[0] ?? {}) as { fill?: string; text?: string };
      if (/^polling/.test(String(s.text))) {
        started++;
        pages.begin();
      } else if (s.fill === 'green') {
        cursor = node.context().get(cursorKey);
        sent += Number(/^(\d+)/.exec(String(s.text))?.[1] ?? 0);
        finish();
      }
    });
    onCall('w1', 'error', (call: NodeSpyCall) => {
      const msg = call.args[1] as { mdcaError?: Record<string, unknown> } | undefined;
      finish(withCode(msg?.mdcaError, call.args[0]));
    });
  }

  await start();
  const driver: FeedDriver = {
    async poll() {
      if (liveNodeRed !== me) throw new Error('this Node-RED driver was replaced by a newer one');
      const after = started;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiter = undefined;
          reject(new Error('the watcher did not complete a poll within 60 s'));
        }, 60_000);
        waiter = {
          after,
          resolve: () => (clearTimeout(timer), resolve()),
          reject: (e) => (clearTimeout(timer), reject(e)),
        };
      });
      const out = buffer;
      buffer = [];
      return out;
    },
    async restart() {
      await helper.unload();
      pages.end();
      await start();
    },
    onPage(handler) {
      pages.handler = handler;
    },
  };
  return driver;
};
