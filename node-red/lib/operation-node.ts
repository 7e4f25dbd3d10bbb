// The operation node every resource node ("mdca-alert", "mdca-activity", ...) is made of: an
// operation chosen in the editor (or msg.operation), fields from the core registry as TypedInputs,
// msg.payload overrides, three output modes for lists, progress in the status, errors through
// done(err) so Catch nodes see them, and everything in flight aborted on close.
import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow } from 'node-red';
import { MdcaValidationError } from '../../core/errors';
import type { ClientEvent } from '../../core/pipeline';
import type { MdcaConfigNode } from './config';
import { collectInputs, Params, resolveOperation } from './inputs';
import { AnyResourceName, OperationService, OUTPUT_MODES, OutputMode } from './node-types';
import { isResponseReport, responsePayload, responseStatus } from './response-status';
import { errorStatus, eventStatus, isCancelled, once, safeError, StatusLike, translator, withSharingNote } from './status';

export interface OperationNodeDef extends NodeDef {
  config: string;
  operation: string;
  params?: Params;
  outputMode?: OutputMode;
  maxItems?: number | string;
}

type Send = (msg: NodeMessage | NodeMessage[]) => void;
type Done = (err?: Error) => void;

const CLOSE_WAIT_MS = 900;

function withPayload(msg: NodeMessageInFlow | NodeMessage, payload: unknown, extra: Record<string, unknown>, RED: NodeAPI): NodeMessage {
  const { payload: _old, ...rest } = msg as NodeMessage & Record<string, unknown>;
  const copy = RED.util.cloneMessage(rest as NodeMessage) as NodeMessage & Record<string, unknown>;
  copy.payload = payload;
  for (const [k, v] of Object.entries(extra)) copy[k] = v;
  return copy;
}

/** The connection's client of a service (each created on first use by the config node). */
function clientOf(configNode: MdcaConfigNode, service: OperationService): Pick<ReturnType<MdcaConfigNode['getClient']>, 'run'> {
  switch (service) {
    case 'xdr':
      return configNode.getXdrClient();
    case 'graph':
      return configNode.getGraphClient();
    case 'entra':
      return configNode.getEntraClient();
    case 'mde':
      return configNode.getMdeClient();
    default:
      return configNode.getClient();
  }
}

/**
 * Registers an operation node for a resource of a service (MDCA, Defender XDR, Microsoft Graph
 * security, Entra ID, Defender for Endpoint): same editor, inputs and outputs; calls go through the
 * config node's client of that service.
 */
export function registerOperationNode(RED: NodeAPI, type: string, resource: AnyResourceName, service: OperationService = 'mdca'): void {
  function OperationNode(this: Node, n: OperationNodeDef): void {
    RED.nodes.createNode(this, n);
    const node = this;
    const t = translator(RED, type);
    const configNode = RED.nodes.getNode(n.config) as MdcaConfigNode | null;
    const inflight = new Set<{ abort: AbortController; finished: Promise<void> }>();
    let closed = false;
    let lastStatus = '';
    const status = (raw: StatusLike | Record<string, never>): void => {
      if (closed) return;
      const s = withSharingNote(t, raw, configNode?.sharingMode?.bind(configNode));
      const key = JSON.stringify(s);
      if (key === lastStatus) return;
      lastStatus = key;
      node.status(s);
    };
    if (!configNode) status({ fill: 'red', shape: 'ring', text: t('noConfig') });

    node.on('input', (msg: NodeMessageInFlow, send: Send, doneRaw: Done) => {
      const done = once(doneRaw);
      const abort = new AbortController();
      let resolveFinished: () => void = () => undefined;
      const entry = { abort, finished: new Promise<void>((r) => (resolveFinished = r)) };
      inflight.add(entry);
      const safeSend: Send = (m) => {
        if (!closed && !abort.signal.aborted) send(m);
      };
      handle(msg, safeSend, abort.signal)
        .then(
          () => done(),
          (e: unknown) => {
            if (closed && isCancelled(e)) {
              done();
              return;
            }
            const { error, summary } = safeError(e);
            msg.mdcaError = summary;
            status(errorStatus(t, summary));
            done(error);
          },
        )
        .catch(() => undefined)
        .finally(() => {
          inflight.delete(entry);
          resolveFinished();
        });
    });

    async function handle(msg: NodeMessageInFlow, send: Send, signal: AbortSignal): Promise<void> {
      if (!configNode) throw new MdcaValidationError('config', 'No MDCA connection is selected.', 'Open the node and choose or add a connection.');
      const m = msg as NodeMessageInFlow & { operation?: unknown; maxItems?: unknown };
      const requested = m.operation !== undefined && m.operation !== '' ? m.operation : n.operation;
      const definition = resolveOperation(resource, requested, service);
      if (!definition) {
        throw new MdcaValidationError('operation', `Unknown ${resource} operation "${String(requested).slice(0, 60)}".`, 'Use one of the operations listed in the node (e.g. "getAll").');
      }
      const client = clientOf(configNode, service);
      const input = await collectInputs(RED, node, definition, n.params ?? {}, msg);
      const mode: OutputMode = OUTPUT_MODES.includes(n.outputMode as OutputMode) ? (n.outputMode as OutputMode) : 'all';
      const maxRaw = m.maxItems !== undefined ? m.maxItems : n.maxItems;
      const maxItems = maxRaw === undefined || maxRaw === '' ? undefined : Number(maxRaw);
      let items = 0;
      const onEvent = (event: ClientEvent): void => {
        const s = eventStatus(t, event, items);
        if (s) status(s);
      };
      status({ fill: 'blue', shape: 'dot', text: t('requesting') });
      const outcome = await client.run(definition.id, input, { signal, onEvent, maxItems });
      const meta = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ mdca: { operation: definition.id, ...extra } });
      switch (outcome.kind) {
        case 'pages': {
          const all: unknown[] = [];
          for await (const page of outcome.pages) {
            if (signal.aborted) break;
            if (mode === 'page') {
              send(withPayload(msg, page.items, meta({ page: page.index, hasNext: page.hasNext, total: page.total, count: page.items.length }), RED));
            } else if (mode === 'item') {
              for (const item of page.items) {
                send(withPayload(msg, item, meta({ page: page.index, index: items }), RED));
                items++;
              }
              items -= page.items.length;
            } else {
              for (const item of page.items) all.push(item);
            }
            items += page.items.length;
            status({ fill: 'blue', shape: 'dot', text: t('page', { page: page.index, count: items }) });
          }
          if (mode === 'all') send(withPayload(msg, all, meta({ count: all.length }), RED));
          status({ fill: 'green', shape: 'dot', text: t('done', { count: items }) });
          return;
        }
        case 'item':
          send(withPayload(msg, outcome.item, meta(), RED));
          status({ fill: 'green', shape: 'dot', text: t('done', { count: 1 }) });
          return;
        case 'result':
          send(withPayload(msg, outcome.result, meta(), RED));
          status({ fill: 'green', shape: 'dot', text: t('doneResult') });
          return;
        case 'perItem': {
          if (isResponseReport(outcome.items)) {
            send(withPayload(msg, responsePayload(outcome.summary, outcome.items), meta({ summary: outcome.summary }), RED));
            status(responseStatus(t, outcome.items));
            return;
          }
          const ok = outcome.items.filter((i) => i.status === 'done' || i.status === 'unchanged').length;
          send(withPayload(msg, { summary: outcome.summary, items: outcome.items }, meta(), RED));
          status({ fill: ok === outcome.items.length ? 'green' : 'yellow', shape: 'dot', text: t('perItem', { done: ok, total: outcome.items.length }) });
          return;
        }
        case 'text':
          send(withPayload(msg, outcome.text, { filename: outcome.fileName, mimeType: outcome.mimeType, ...meta() }, RED));
          status({ fill: 'green', shape: 'dot', text: t('text', { fileName: outcome.fileName }) });
          return;
        default:
          throw new MdcaValidationError('operation', 'Unexpected operation result.', 'Report this as a bug.');
      }
    }

    node.on('close', (_removed: boolean, done: () => void) => {
      closed = true;
      const pending = [...inflight];
      for (const p of pending) p.abort.abort();
      if (pending.length === 0) {
        done();
        return;
      }
      const timer = setTimeout(finish, CLOSE_WAIT_MS);
      let finished = false;
      function finish(): void {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        done();
      }
      Promise.all(pending.map((p) => p.finished)).then(finish, finish);
    });
  }
  RED.nodes.registerType(type, OperationNode as never);
}
