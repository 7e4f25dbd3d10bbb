// Shared setup for the Node-RED node tests: node-red-node-test-helper on the repo's Node-RED 4,
// our node modules required from the TypeScript sources, and a config node pointing at the
// emulator over HTTPS (values from test/support/emulator-settings.ts, as a user would type them).
import type { EventEmitter } from 'node:events';
import helper from 'node-red-node-test-helper';
import { startEmulator } from '../../emulator';
import type { EmulatorOptions, RunningEmulator } from '../../emulator';
import { EmulatorAuthKind, enableEmulatorHosts, settingsFor } from '../support/emulator-settings';
import type { AuthSettings } from '../../runtime/settings';

helper.init(require.resolve('node-red'));

export { helper };

/* eslint-disable @typescript-eslint/no-require-imports */
export const configNodeModule = require('../../node-red/mdca-config');
export const ourNodes = [
  configNodeModule,
  require('../../node-red/mdca-alert'),
  require('../../node-red/mdca-activity'),
  require('../../node-red/mdca-entity'),
  require('../../node-red/mdca-ip-range'),
  require('../../node-red/mdca-discovery'),
  require('../../node-red/mdca-file'),
  require('../../node-red/mdca-watch'),
  require('../../node-red/mdca-xdr-incident'),
  require('../../node-red/mdca-xdr-hunting'),
  require('../../node-red/mdca-xdr-watch'),
  require('../../node-red/mdca-graph-alert'),
  require('../../node-red/mdca-graph-incident'),
  require('../../node-red/mdca-graph-hunting'),
  require('../../node-red/mdca-graph-watch'),
  require('../../node-red/mdca-entra-user'),
  require('../../node-red/mdca-entra-risky-user'),
  require('../../node-red/mdca-mde-machine'),
  require('../../node-red/mdca-mde-machine-action'),
];
export const catchNode = require('@node-red/nodes/core/common/25-catch.js');
/* eslint-enable @typescript-eslint/no-require-imports */

/** One node of a test flow: Node-RED needs its id and type; every other field is the node's config. */
export interface FlowNode {
  id: string;
  type: string;
  wires?: string[][];
  [field: string]: unknown;
}
export type Flow = FlowNode[];

/** A config node + its credentials, for helper.load(nodes, flow, credentials). */
export function connection(emulator: RunningEmulator, kind: EmulatorAuthKind | AuthSettings = 'appSecret', id = 'cfg', extra: Record<string, unknown> = {}, tenant = 'contoso'): { node: FlowNode; credentials: Record<string, Record<string, string>> } {
  const s = settingsFor(emulator, kind, tenant);
  // Node-RED's operator (settings.js) allows the emulator; the connection itself cannot.
  enableEmulatorHosts(emulator);
  const a = s.auth as Record<string, string>;
  const authKind = a.kind === 'refreshToken' ? 'deviceCode' : a.kind;
  const node: FlowNode = {
    id,
    type: 'mdca-config',
    name: 'emulator',
    cloud: s.cloud,
    apiUrl: s.apiUrl,
    authKind,
    tenantId: a.tenantId ?? '',
    clientId: a.clientId ?? '',
    username: a.username ?? '',
    requestsPerMinute: 100000,
    ...extra,
  };
  const creds: Record<string, string> = {};
  for (const [k, v] of Object.entries({ clientSecret: a.clientSecret, certificatePem: a.certificatePem, privateKeyPem: a.privateKeyPem, password: a.password, refreshToken: a.refreshToken, apiToken: a.token })) {
    if (v) creds[k] = v;
  }
  return { node, credentials: { [id]: creds } };
}

/** A config node that also reaches the emulator's Defender XDR listener (testing section). */
export function xdrConnection(emulator: RunningEmulator, kind: EmulatorAuthKind | AuthSettings = 'appSecret', id = 'cfg', extra: Record<string, unknown> = {}, tenant = 'contoso'): ReturnType<typeof connection> {
  const c = connection(emulator, kind, id, {}, tenant);
  const xdrUrl = emulator.tenants[tenant].xdrApiUrl;
  c.node.xdrApiUrl = xdrUrl;
  c.node.xdrRequestsPerMinute = 100000;
  Object.assign(c.node, extra);
  return c;
}

/** A config node that also reaches the emulator's Microsoft Graph listener (testing section). */
export function graphConnection(emulator: RunningEmulator, kind: EmulatorAuthKind | AuthSettings = 'appSecret', id = 'cfg', extra: Record<string, unknown> = {}, tenant = 'contoso'): ReturnType<typeof connection> {
  const c = connection(emulator, kind, id, {}, tenant);
  c.node.graphApiUrl = emulator.tenants[tenant].graphApiUrl;
  Object.assign(c.node, extra);
  return c;
}

/**
 * A config node that reaches the emulator's Graph listener (Entra ID users and Identity Protection
 * are on it) and its Defender for Endpoint listener (testing section: graphApiUrl, mdeApiUrl).
 */
export function responseConnection(emulator: RunningEmulator, kind: EmulatorAuthKind | AuthSettings = 'appSecret', id = 'cfg', extra: Record<string, unknown> = {}, tenant = 'contoso'): ReturnType<typeof connection> {
  const c = graphConnection(emulator, kind, id, {}, tenant);
  c.node.mdeApiUrl = emulator.tenants[tenant].mdeApiUrl;
  Object.assign(c.node, extra);
  return c;
}

export async function load(flow: Flow, credentials: Record<string, unknown> = {}): Promise<void> {
  await helper.unload();
  await helper.load([...ourNodes, catchNode], flow, credentials as never);
}

/**
 * The hooks of a Node-RED test file: one emulator and the test helper's server for all its tests,
 * the flow unloaded after each test. `started` receives the emulator; `after.each` and
 * `after.all` run after the shared steps (clear the faults a test injected, check coverage).
 */
export function emulatorAndNodeRedPerFile(options: EmulatorOptions, started: (emulator: RunningEmulator) => void, after: { each?: () => void; all?: () => void } = {}): void {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator(options);
    started(emulator);
    await new Promise<void>((r) => helper.startServer(r));
  });
  afterEach(async () => {
    await helper.unload();
    after.each?.();
  });
  afterAll(async () => {
    await new Promise<void>((r) => helper.stopServer(r));
    await emulator.close();
    after.all?.();
  });
}

/**
 * Loads the connection and a watcher node wired to a helper `out`, and collects what it delivers.
 * `restored` is the cursor a restarted watcher finds under its context key (a persistent context
 * store would give it back; the test sets it the same way).
 */
export async function loadWatcher(c: ReturnType<typeof connection>, watchNode: FlowNode, restored?: { key: string; cursor: unknown }): Promise<ReturnType<typeof collector>> {
  await load([c.node, watchNode, { id: 'out', type: 'helper' }], c.credentials);
  if (restored) helper.getNode(watchNode.id).context().set(restored.key, restored.cursor);
  return collector('out');
}

/** Waits `ms` (a watcher polls every second) and checks that nothing was delivered meanwhile. */
export async function expectNothingDelivered(out: ReturnType<typeof collector>, ms: number): Promise<void> {
  await sleep(ms);
  expect(out.messages).toHaveLength(0);
}

/** What one message through an operation node produced: its messages out, the errors a Catch node caught, its statuses. */
export interface OperationRunResult {
  out: Record<string, unknown>[];
  errors: Record<string, unknown>[];
  statuses: Record<string, unknown>[];
}

/** A flow of one operation node `n1`, as the operation tests load it: its statuses, its output and what a Catch node caught. */
export interface LoadedOperationNode {
  n1: ReturnType<typeof helper.getNode>;
  statuses: Record<string, unknown>[];
  out: ReturnType<typeof collector>;
  caught: ReturnType<typeof collector>;
  /** The node has settled: its last status is final (green, red, yellow, or grey for a dry run) and a message came out or was caught. */
  ended(): boolean;
}

/** Loads the connection and one operation node `n1` wired to a helper `out`, with a Catch node wired to a helper `caught`. */
export async function loadOperationNode(c: ReturnType<typeof connection>, type: string, operation: string, node: Record<string, unknown> = {}): Promise<LoadedOperationNode> {
  const flow: Flow = [
    c.node,
    { id: 'n1', type, config: 'cfg', operation, params: {}, outputMode: 'all', maxItems: 1000, wires: [['out']], ...node },
    { id: 'out', type: 'helper' },
    { id: 'c1', type: 'catch', scope: null, wires: [['caught']] },
    { id: 'caught', type: 'helper' },
  ];
  await load(flow, c.credentials);
  const n1 = helper.getNode('n1');
  const statuses: Record<string, unknown>[] = [];
  onCall<Record<string, unknown>[]>('n1', 'status', (call) => statuses.push(call.args[0]));
  const out = collector('out');
  const caught = collector('caught');
  const ended = (): boolean => {
    const last = statuses[statuses.length - 1] as { fill?: string } | undefined;
    return !!last && (last.fill === 'green' || last.fill === 'red' || last.fill === 'yellow' || last.fill === 'grey') && (out.messages.length > 0 || caught.messages.length > 0);
  };
  return { n1, statuses, out, caught, ended };
}

/**
 * Loads the connection and one operation node, sends it `msg` and waits until it settled: what
 * came out, what a Catch node caught, every status. An unexpected caught error fails the test.
 */
export async function runOperationNode(c: ReturnType<typeof connection>, type: string, operation: string, msg: Record<string, unknown>, node: Record<string, unknown> = {}, opts: { expectError?: boolean } = {}): Promise<OperationRunResult> {
  const { n1, statuses, out, caught, ended } = await loadOperationNode(c, type, operation, node);
  n1.receive(msg);
  const end = Date.now() + 30_000;
  while (!ended()) {
    if (Date.now() > end) throw new Error(`no result for ${operation}; statuses ${JSON.stringify(statuses)}`);
    await sleep(20);
  }
  await sleep(50);
  if (!opts.expectError && caught.messages.length) throw new Error(`unexpected error: ${JSON.stringify(caught.messages[0].mdcaError ?? caught.messages[0].error)}`);
  return { out: out.messages, errors: caught.messages, statuses };
}

/** One recorded call of a node method (node.status, error, warn, log, send, done). */
export interface NodeSpyCall<A extends unknown[] = unknown[]> {
  args: A;
}

// node-red-node-test-helper spies every node method and emits `call:<method>` with the call, and
// helper nodes emit each message as 'input'. Its typings give Node-RED's Node, whose `on` declares
// only 'close', so these listen through the Node's EventEmitter base (an upcast, no cast). The
// argument types are the caller's statement of what the node emits.

/** Calls `listener` with every call of `node.<method>` of the node with this id. */
export function onCall<A extends unknown[] = unknown[]>(id: string, method: string, listener: (call: NodeSpyCall<A>) => void): void {
  const node: EventEmitter = helper.getNode(id);
  node.on(`call:${method}`, listener);
}

/** Calls `listener` with every message arriving at the node with this id (a helper node). */
export function onInput<M>(id: string, listener: (msg: M) => void): void {
  const node: EventEmitter = helper.getNode(id);
  node.on('input', listener);
}

/** The credentials Node-RED's runtime holds for a node: node-red-node-test-helper keeps its
 * runtime in `_RED`, which its typings do not declare (hence the one narrowing cast). */
export function runtimeCredentials(id: string): unknown {
  return (helper as typeof helper & { _RED: { nodes: { getCredentials(id: string): unknown } } })._RED.nodes.getCredentials(id);
}

/** Collects messages arriving at a helper node. */
export function collector(id: string): { messages: Record<string, unknown>[]; waitFor: (n: number, timeoutMs?: number) => Promise<Record<string, unknown>[]> } {
  const messages: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  onInput<Record<string, unknown>>(id, (msg) => {
    messages.push(msg);
    waiters.splice(0).forEach((w) => w());
  });
  return {
    messages,
    waitFor: (n, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const end = Date.now() + timeoutMs;
        const check = (): void => {
          if (messages.length >= n) return resolve(messages);
          if (Date.now() > end) return reject(new Error(`expected ${n} messages, got ${messages.length}`));
          waiters.push(check);
          setTimeout(check, 100);
        };
        check();
      }),
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
