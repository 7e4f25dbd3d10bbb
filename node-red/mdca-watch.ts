// Node-RED node "mdca-watch": polls a change feed (new alerts, changed alerts, new activities) and
// sends one message per new record. The cursor lives in the node context (persistent across
// restarts when a persistent context store is configured) and is stored only after the items
// were sent, so a failed poll delivers nothing twice and loses nothing.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { FeedCursor, FeedKind, pollFeed } from '../core/feeds';
import { findOperation } from '../core/operations';
import { MdcaValidationError } from '../core/errors';
import type { MdcaConfigNode } from './lib/config';
import { collectInputs, errorStatus, eventStatus, Params, safeError, translator } from './lib/shared';

interface WatchNodeDef extends NodeDef {
  config: string;
  event?: FeedKind;
  params?: Params;
  interval?: number | string;
  lookBackMinutes?: number | string;
  startFrom?: 'now' | 'hoursAgo';
  startHoursAgo?: number | string;
  maxPerPoll?: number | string;
  store?: string;
}

const FEED_OPERATION: Record<FeedKind, string> = { newAlerts: 'alert.getAll', changedAlerts: 'alert.getAll', newActivities: 'activity.getAll' };
const NOT_FILTERS = new Set(['since', 'until', 'sortField', 'sortDirection', 'scanMode', 'scanPageSize']);
const CLOSE_WAIT_MS = 900;

function num(value: unknown, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = Number(value);
  return Number.isFinite(n) ? n : fallback;
}

export = function register(RED: NodeAPI): void {
  function MdcaWatch(this: Node, n: WatchNodeDef): void {
    RED.nodes.createNode(this, n);
    const node = this;
    const t = translator(RED, 'mdca-watch');
    const configNode = RED.nodes.getNode(n.config) as MdcaConfigNode | null;
    const kind: FeedKind = n.event && FEED_OPERATION[n.event] ? n.event : 'newAlerts';
    const intervalMs = Math.max(1, num(n.interval, 60)) * 1000;
    const store = n.store || undefined;
    const cursorKey = 'mdcaCursor';
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    let abort: AbortController | undefined;
    let running: Promise<void> | undefined;

    const status = (s: Parameters<Node['status']>[0]): void => {
      if (!closed) node.status(s);
    };

    const getCursor = (): Promise<FeedCursor | undefined> =>
      new Promise((resolve, reject) => {
        node.context().get(cursorKey, store as string, (err: Error | undefined, value: unknown) => (err ? reject(err) : resolve(value as FeedCursor | undefined)));
      });
    const setCursor = (cursor: FeedCursor): Promise<void> =>
      new Promise((resolve, reject) => {
        node.context().set(cursorKey, cursor, store as string, (err?: Error) => (err ? reject(err) : resolve()));
      });

    async function poll(): Promise<boolean> {
      if (!configNode) throw new MdcaValidationError('config', 'No MDCA connection is selected.', 'Open the node and choose or add a connection.');
      const client = configNode.getClient();
      const impl = findOperation(FEED_OPERATION[kind]);
      const filterDef = impl ? { ...impl.definition, inputs: impl.definition.inputs.filter((i) => !NOT_FILTERS.has(i.name)) } : undefined;
      const filters = filterDef ? await collectInputs(RED, node, filterDef, n.params ?? {}, undefined) : {};
      const cursor = await getCursor();
      abort = new AbortController();
      const startFrom = n.startFrom === 'hoursAgo' ? { mode: 'hoursAgo' as const, hours: num(n.startHoursAgo, 24) } : { mode: 'now' as const };
      status({ fill: 'blue', shape: 'dot', text: t('polling') });
      const result = await pollFeed(
        client,
        { kind, filters, lookBackMs: num(n.lookBackMinutes, 5) * 60_000, startFrom, maxPerPoll: num(n.maxPerPoll, 500) },
        cursor,
        Date.now(),
        {
          signal: abort.signal,
          onEvent: (e) => {
            const s = eventStatus(t, e, 1);
            if (s) status(s);
          },
        },
      );
      if (closed) return false;
      for (const item of result.items) {
        node.send({ payload: item, topic: kind, mdca: { event: kind } } as never);
      }
      // The cursor is stored only after the items were sent.
      await setCursor(result.cursor);
      status({ fill: 'green', shape: 'dot', text: t('polled', { count: result.items.length, time: new Date().toISOString().slice(11, 19) }) });
      return result.more;
    }

    function schedule(delayMs: number): void {
      if (closed) return;
      timer = setTimeout(() => {
        timer = undefined;
        if (closed) return;
        running = poll().then(
          (more) => schedule(more ? 1000 : intervalMs),
          (e: unknown) => {
            if (closed) return;
            const { error, summary } = safeError(e);
            status(errorStatus(t, summary));
            node.error(error.message, { payload: undefined, mdcaError: summary } as never);
            schedule(intervalMs);
          },
        ).catch(() => undefined);
      }, delayMs);
    }

    if (!configNode) status({ fill: 'red', shape: 'ring', text: t('noConfig') });
    else {
      status({ fill: 'grey', shape: 'ring', text: t('watching', { seconds: Math.round(intervalMs / 1000) }) });
      schedule(200);
    }

    node.on('close', (_removed: boolean, done: () => void) => {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      abort?.abort();
      if (!running) return done();
      let finished = false;
      const finish = (): void => {
        if (finished) return;
        finished = true;
        clearTimeout(guard);
        done();
      };
      const guard = setTimeout(finish, CLOSE_WAIT_MS);
      running.then(finish, finish);
    });
  }
  RED.nodes.registerType('mdca-watch', MdcaWatch as never);
};
