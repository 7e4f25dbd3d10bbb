// The watcher both "mdca-watch" (MDCA alerts and activities) and "mdca-xdr-watch" (Defender XDR
// incidents) are made from: polls a change feed on an interval and sends one message per new
// record. The cursor lives in the node context (persistent across restarts when a persistent
// context store is configured) and is stored only after the items were sent, so a failed poll
// delivers nothing twice and loses nothing.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import type { RunOptions } from '../../core/client';
import { MdcaValidationError } from '../../core/errors';
import type { FeedCursor, FeedPoll, FeedStart } from '../../core/feed-engine';
import type { AnyOperationDefinition } from '../../core/operations/types';
import type { MdcaConfigNode } from './config';
import { collectInputs, Params } from './inputs';
import { errorStatus, eventStatus, safeError, translator, withSharingNote } from './status';

interface WatchNodeDef extends NodeDef {
  config: string;
  event?: string;
  params?: Params;
  interval?: number | string;
  lookBackMinutes?: number | string;
  startFrom?: 'now' | 'hoursAgo';
  startHoursAgo?: number | string;
  maxPerPoll?: number | string;
  store?: string;
}

export interface WatchPollOptions<K extends string> {
  kind: K;
  filters: Record<string, unknown>;
  lookBackMs: number;
  startFrom: FeedStart;
  maxPerPoll: number;
}

export interface WatchNodeSpec<K extends string> {
  type: string;
  kinds: readonly K[];
  /** Context key of the cursor (kept per feed family so one node never reads the other's). */
  cursorKey: string;
  defaultMaxPerPoll: number;
  /** The list operation whose filter inputs the node offers, without the inputs the feed owns. */
  filterDefinition(kind: K): AnyOperationDefinition | undefined;
  poll(config: MdcaConfigNode, options: WatchPollOptions<K>, cursor: FeedCursor<K> | undefined, now: number, run: RunOptions): Promise<FeedPoll<K>>;
  /** Extra fields of msg.mdca. */
  messageMeta?: Record<string, unknown>;
}

const CLOSE_WAIT_MS = 900;

function num(value: unknown, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = Number(value);
  return Number.isFinite(n) ? n : fallback;
}

export function registerWatchNode<K extends string>(RED: NodeAPI, spec: WatchNodeSpec<K>): void {
  function WatchNode(this: Node, n: WatchNodeDef): void {
    RED.nodes.createNode(this, n);
    const node = this;
    const t = translator(RED, spec.type);
    const configNode = RED.nodes.getNode(n.config) as MdcaConfigNode | null;
    const kind: K = n.event && spec.kinds.includes(n.event as K) ? (n.event as K) : spec.kinds[0];
    const intervalMs = Math.max(1, num(n.interval, 60)) * 1000;
    const store = n.store || undefined;
    const cursorKey = spec.cursorKey;
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    let abort: AbortController | undefined;
    let running: Promise<void> | undefined;

    const status = (s: Parameters<Node['status']>[0]): void => {
      if (closed) return;
      node.status(withSharingNote(t, s, configNode?.sharingMode?.bind(configNode)));
    };

    const getCursor = (): Promise<FeedCursor<K> | undefined> =>
      new Promise((resolve, reject) => {
        node.context().get(cursorKey, store as string, (err: Error | undefined, value: unknown) => (err ? reject(err) : resolve(value as FeedCursor<K> | undefined)));
      });
    const setCursor = (cursor: FeedCursor<K>): Promise<void> =>
      new Promise((resolve, reject) => {
        node.context().set(cursorKey, cursor, store as string, (err?: Error) => (err ? reject(err) : resolve()));
      });

    async function poll(): Promise<boolean> {
      if (!configNode) throw new MdcaValidationError('config', 'No MDCA connection is selected.', 'Open the node and choose or add a connection.');
      const filterDef = spec.filterDefinition(kind);
      const filters = filterDef ? await collectInputs(RED, node, filterDef, n.params ?? {}, undefined) : {};
      const cursor = await getCursor();
      abort = new AbortController();
      const startFrom: FeedStart = n.startFrom === 'hoursAgo' ? { mode: 'hoursAgo', hours: num(n.startHoursAgo, 24) } : { mode: 'now' };
      status({ fill: 'blue', shape: 'dot', text: t('polling') });
      const result = await spec.poll(
        configNode,
        { kind, filters, lookBackMs: num(n.lookBackMinutes, 5) * 60_000, startFrom, maxPerPoll: num(n.maxPerPoll, spec.defaultMaxPerPoll) },
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
        node.send({ payload: item, topic: kind, mdca: { event: kind, ...spec.messageMeta } } as never);
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
  RED.nodes.registerType(spec.type, WatchNode as never);
}
