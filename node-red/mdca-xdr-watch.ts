// Node-RED node "mdca-xdr-watch": polls the Defender XDR incident feed (new incidents, or every
// new and updated incident) and sends one message per incident change. Same contract as
// "mdca-watch": the cursor lives in the node context (key `xdrCursor`; persistent across
// restarts with a persistent context store) and is stored only after the items were sent.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { pollXdrIncidentFeed, XdrFeedCursor, XdrFeedKind } from '../core/xdr/feed';
import { findXdrOperation } from '../core/xdr/registry';
import { MdcaValidationError } from '../core/errors';
import type { OperationDefinition } from '../core/operations/types';
import type { MdcaConfigNode } from './lib/config';
import { collectInputs, errorStatus, eventStatus, Params, safeError, translator } from './lib/shared';

interface XdrWatchNodeDef extends NodeDef {
  config: string;
  event?: XdrFeedKind;
  params?: Params;
  interval?: number | string;
  lookBackMinutes?: number | string;
  startFrom?: 'now' | 'hoursAgo';
  startHoursAgo?: number | string;
  maxPerPoll?: number | string;
  store?: string;
}

const KINDS: readonly XdrFeedKind[] = ['incidentChanges', 'newIncidents'];
/** incident.getAll inputs the feed owns (the time window); the others are filters. */
const XDR_WATCH_SKIP = ['lastUpdatedAfter', 'lastUpdatedBefore', 'createdAfter', 'createdBefore'];
const CLOSE_WAIT_MS = 900;

function num(value: unknown, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = Number(value);
  return Number.isFinite(n) ? n : fallback;
}

export = function register(RED: NodeAPI): void {
  function MdcaXdrWatch(this: Node, n: XdrWatchNodeDef): void {
    RED.nodes.createNode(this, n);
    const node = this;
    const t = translator(RED, 'mdca-xdr-watch');
    const configNode = RED.nodes.getNode(n.config) as MdcaConfigNode | null;
    const kind: XdrFeedKind = n.event && KINDS.includes(n.event) ? n.event : 'incidentChanges';
    const intervalMs = Math.max(1, num(n.interval, 60)) * 1000;
    const store = n.store || undefined;
    const cursorKey = 'xdrCursor';
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    let abort: AbortController | undefined;
    let running: Promise<void> | undefined;

    const status = (s: Parameters<Node['status']>[0]): void => {
      if (!closed) node.status(s);
    };

    const getCursor = (): Promise<XdrFeedCursor | undefined> =>
      new Promise((resolve, reject) => {
        node.context().get(cursorKey, store as string, (err: Error | undefined, value: unknown) => (err ? reject(err) : resolve(value as XdrFeedCursor | undefined)));
      });
    const setCursor = (cursor: XdrFeedCursor): Promise<void> =>
      new Promise((resolve, reject) => {
        node.context().set(cursorKey, cursor, store as string, (err?: Error) => (err ? reject(err) : resolve()));
      });

    async function poll(): Promise<boolean> {
      if (!configNode) throw new MdcaValidationError('config', 'No MDCA connection is selected.', 'Open the node and choose or add a connection.');
      const client = configNode.getXdrClient();
      const impl = findXdrOperation('incident.getAll');
      const filterDef = impl ? ({ ...impl.definition, inputs: impl.definition.inputs.filter((i) => !XDR_WATCH_SKIP.includes(i.name)) } as unknown as OperationDefinition) : undefined;
      const filters = filterDef ? await collectInputs(RED, node, filterDef, n.params ?? {}, undefined) : {};
      const cursor = await getCursor();
      abort = new AbortController();
      const startFrom = n.startFrom === 'hoursAgo' ? { mode: 'hoursAgo' as const, hours: num(n.startHoursAgo, 24) } : { mode: 'now' as const };
      status({ fill: 'blue', shape: 'dot', text: t('polling') });
      const result = await pollXdrIncidentFeed(
        client,
        { kind, filters, lookBackMs: num(n.lookBackMinutes, 5) * 60_000, startFrom, maxPerPoll: num(n.maxPerPoll, 200) },
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
        node.send({ payload: item, topic: kind, mdca: { event: kind, service: 'xdr' } } as never);
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
  RED.nodes.registerType('mdca-xdr-watch', MdcaXdrWatch as never);
};
