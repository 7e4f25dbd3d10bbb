// Secret canaries through the Microsoft Graph security nodes of Node-RED (run by
// `npm run audit:secrets`, like the canary tests of lifecycle.test.ts for MDCA and xdr-watch.test.ts
// for Defender XDR): a connection with a canary secret, Graph error bodies echoing the working
// connection's own secret, and a foreign @odata.nextLink carrying it. Nothing of it may reach a
// msg, a status, a log line, an error or a Catch message, and the foreign host receives nothing.
import type { RunningEmulator } from '../../emulator';
import { collector, emulatorAndNodeRedPerFile, Flow, graphConnection, helper, load, onCall, sleep } from './helpers';

let emulator: RunningEmulator;
const T = 'contoso';
jest.setTimeout(60_000);

// fabrikam only serves as the foreign host of a next-page link (it must receive nothing).
emulatorAndNodeRedPerFile({ tenants: [{ name: T, throttle: false }, { name: 'fabrikam', throttle: false }] }, (e) => (emulator = e), { each: () => emulator.control.graph.clearFaults(T) });

const graph = () => emulator.control.graph;
const codesOf = (messages: Record<string, unknown>[]): string[] => messages.map((m) => (m.mdcaError as { code: string }).code);

/** Everything the flow showed: messages, Catch messages, node calls (status, error, warn, log, send) and the runtime log. */
function watch(ids: string[]) {
  const emitted: unknown[] = [];
  for (const id of ids) for (const method of ['status', 'error', 'warn', 'log', 'send']) onCall(id, method, (call) => emitted.push(call.args));
  const out = collector('out');
  const caught = collector('caught');
  return {
    out,
    caught,
    text: () => JSON.stringify([out.messages, caught.messages, emitted, helper.log().args], (_k, v) => (typeof v === 'function' ? undefined : v)),
  };
}

async function until(done: () => boolean, ms = 25_000): Promise<void> {
  const end = Date.now() + ms;
  while (!done() && Date.now() < end) await sleep(100);
}

test('canary: no secret or token in msg, status, logs, errors or Catch messages of the Graph nodes (bad secret, echoed secret)', async () => {
  const real = graphConnection(emulator, 'appSecret', 'cfg');
  const canary = 'CANARY-graph-s3cr3t-5e1d';
  const wrong = graphConnection(emulator, 'appSecret', 'bad');
  const secret = real.credentials.cfg.clientSecret;
  const flow: Flow = [
    real.node,
    wrong.node,
    { id: 'n1', type: 'mdca-graph-alert', config: 'cfg', operation: 'alert.getAll', params: {}, maxItems: 2, wires: [['out']] },
    { id: 'n2', type: 'mdca-graph-alert', config: 'bad', operation: 'alert.getAll', params: {}, maxItems: 2, wires: [['out']] },
    { id: 'n3', type: 'mdca-graph-hunting', config: 'cfg', operation: 'huntingQuery.run', params: { query: { v: 'AlertInfo | take 1', t: 'str' } }, wires: [['out']] },
    { id: 'n4', type: 'mdca-graph-incident', config: 'cfg', operation: 'incident.getAll', params: {}, maxItems: 2, wires: [['out']] },
    { id: 'w1', type: 'mdca-graph-watch', config: 'bad', event: 'graphAlertChanges', params: {}, interval: 1, wires: [['out']] },
    { id: 'out', type: 'helper' },
    { id: 'c1', type: 'catch', scope: null, wires: [['caught']] },
    { id: 'caught', type: 'helper' },
  ];
  await load(flow, { ...real.credentials, bad: { clientSecret: canary } });
  const seen = watch(['n1', 'n2', 'n3', 'n4', 'w1', 'cfg', 'bad']);
  // Graph echoes the working connection's secret in its own error body (500s after the retries, a 400).
  graph().injectFaults(T, [
    { status: 500, body: { error: { code: 'generalException', message: `server echoes ${secret}`, innerError: { 'request-id': 'canary' } } }, match: { pathIncludes: '/runHuntingQuery' }, times: 10 },
    { status: 400, body: { error: { code: 'BadRequest', message: `bad_secret:${encodeURIComponent(secret)}`, innerError: { 'request-id': 'canary' } } }, match: { pathIncludes: '/incidents' } },
  ]);
  helper.getNode('n2').receive({ payload: {} });
  helper.getNode('n3').receive({ payload: {} });
  helper.getNode('n4').receive({ payload: {} });
  // n2 and the watcher (bad connection) fail to sign in; n3 gets the 500s, n4 the 400.
  const codes = () => codesOf(seen.caught.messages);
  await until(() => ['AUTH_FAILED', 'SERVER_ERROR', 'REQUEST_REJECTED'].every((c) => codes().includes(c)));
  graph().clearFaults(T);
  helper.getNode('n1').receive({ payload: {} });
  await seen.out.waitFor(1);
  const everything = seen.text();
  for (const s of [canary, secret, encodeURIComponent(secret), emulator.tenants[T].credentials.legacyTokens.full]) expect(everything).not.toContain(s);
  expect(everything).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
  expect(codes()).toEqual(expect.arrayContaining(['AUTH_FAILED', 'SERVER_ERROR', 'REQUEST_REJECTED']));
});

test('canary: a foreign @odata.nextLink carrying the secret reaches Catch as a protocol error; nothing is sent to that host', async () => {
  const real = graphConnection(emulator, 'userPassword', 'cfg');
  const secret = real.credentials.cfg.password;
  const foreign = new URL(emulator.tenants.fabrikam.graphApiUrl);
  const query = new URLSearchParams({ $skiptoken: secret, password: secret }).toString();
  const flow: Flow = [real.node, { id: 'n1', type: 'mdca-graph-alert', config: 'cfg', operation: 'alert.getAll', params: {}, maxItems: 500, wires: [['out']] }, { id: 'out', type: 'helper' }, { id: 'c1', type: 'catch', scope: null, wires: [['caught']] }, { id: 'caught', type: 'helper' }];
  await load(flow, real.credentials);
  const seen = watch(['n1', 'cfg']);
  const links = [`${foreign.origin}/v1.0/security/alerts_v2?${query}`, `https://evil.example/v1.0/security/alerts_v2?${query}`];
  for (const [i, link] of links.entries()) {
    graph().injectFaults(T, [{ status: 200, body: { value: [{ id: `canary-page-${i}` }], '@odata.nextLink': link }, match: { pathIncludes: '/alerts_v2' } }]);
    graph().resetRequestLog(T);
    helper.getNode('n1').receive({ payload: {} });
    await until(() => seen.caught.messages.length > i, 10_000);
    expect(seen.caught.messages[i].mdcaError).toMatchObject({ code: 'PROTOCOL_ERROR' });
    expect(graph().requestLog(T).filter((r) => r.path.includes('/alerts_v2'))).toHaveLength(1);
  }
  expect(graph().requestLog('fabrikam')).toEqual([]);
  const everything = seen.text();
  for (const s of [secret, encodeURIComponent(secret), query, 'evil.example', foreign.host]) expect(everything).not.toContain(s);
});
