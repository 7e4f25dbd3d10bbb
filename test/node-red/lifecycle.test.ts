// Reliability of the Node-RED nodes: close during a 60 s Retry-After wait, exactly one done per
// message, nothing sent after close, secrets never emitted (canary scan), the watcher's
// exactly-once delivery across restarts, and the config node's admin endpoints.
import type { RunningEmulator } from '../../emulator';
import { operations } from '../../core';
import { collector, connection, emulatorAndNodeRedPerFile, expectNothingDelivered, Flow, helper, load, loadWatcher, onCall, runtimeCredentials, sleep } from './helpers';

let emulator: RunningEmulator;
const T = 'contoso';
jest.setTimeout(60_000);

emulatorAndNodeRedPerFile({ tenants: [{ name: T, throttle: false }, { name: 'slow', throttle: false }], deviceCodeIntervalSeconds: 1 }, (e) => (emulator = e), {
  each: () => {
    emulator.control.clearFaults(T);
    emulator.control.clearFaults('slow');
  },
});

function countDone(id: string): { calls: { err?: unknown }[] } {
  const node = helper.getNode(id) as unknown as { _complete: (msg: unknown, err?: unknown) => void };
  const calls: { err?: unknown }[] = [];
  const original = node._complete.bind(node);
  node._complete = (msg, err) => {
    calls.push({ err });
    original(msg, err);
  };
  return { calls };
}

test('close during a 60 s Retry-After wait: aborted in < 1 s, one done, nothing sent after close', async () => {
  // Its own tenant: the 60 s wait applies to the whole tenant's request budget.
  const c = connection(emulator, 'appSecret', 'cfg', {}, 'slow');
  await load([c.node, { id: 'n1', type: 'mdca-alert', config: 'cfg', operation: 'alert.getAll', params: {}, wires: [['out']] }, { id: 'out', type: 'helper' }], c.credentials);
  emulator.control.injectFaults('slow', [{ status: 429, headers: { 'retry-after': '60' }, match: { pathIncludes: '/alerts' }, times: 3 }]);
  const statuses: Record<string, unknown>[] = [];
  onCall<Record<string, unknown>[]>('n1', 'status', (call) => statuses.push(call.args[0]));
  const done = countDone('n1');
  const out = collector('out');
  helper.getNode('n1').receive({ payload: {} });
  const end = Date.now() + 10_000;
  while (!statuses.some((s) => /throttled · retry in (59|60|61) s/.test(String(s.text)))) {
    if (Date.now() > end) throw new Error(`no throttled status: ${JSON.stringify(statuses)}`);
    await sleep(20);
  }
  const started = Date.now();
  await helper.unload();
  const took = Date.now() - started;
  expect(took).toBeLessThan(1000);
  await sleep(300);
  expect(done.calls).toHaveLength(1);
  expect(out.messages).toHaveLength(0);
});

test('exactly one done per message, for success and failure', async () => {
  const c = connection(emulator);
  await load([c.node, { id: 'n1', type: 'mdca-file', config: 'cfg', operation: 'file.getAll', params: {}, maxItems: 3, outputMode: 'item', wires: [['out']] }, { id: 'out', type: 'helper' }], c.credentials);
  const done = countDone('n1');
  const out = collector('out');
  helper.getNode('n1').receive({});
  helper.getNode('n1').receive({ payload: { fileId: 'bad' }, operation: 'get' });
  await out.waitFor(3);
  const end = Date.now() + 5000;
  while (done.calls.length < 2 && Date.now() < end) await sleep(20);
  await sleep(200);
  expect(done.calls).toHaveLength(2);
  expect(done.calls.filter((d) => d.err)).toHaveLength(1);
});

test('canary: no secret or token in msg, status, logs, errors or Catch messages', async () => {
  const real = connection(emulator, 'appSecret', 'cfg');
  const canary = 'CANARY-s3cr3t-7f3a9b';
  const wrong = connection(emulator, { ...real.node, kind: 'appSecret', tenantId: real.node.tenantId as string, clientId: real.node.clientId as string, clientSecret: canary } as never, 'bad');
  const flow: Flow = [
    real.node,
    { ...wrong.node, id: 'bad', authKind: 'appSecret' },
    { id: 'n1', type: 'mdca-alert', config: 'cfg', operation: 'alert.getAll', params: {}, maxItems: 2, wires: [['out']] },
    { id: 'n2', type: 'mdca-alert', config: 'bad', operation: 'alert.getAll', params: {}, maxItems: 2, wires: [['out']] },
    { id: 'n3', type: 'mdca-alert', config: 'cfg', operation: 'alert.get', params: {}, wires: [['out']] },
    { id: 'out', type: 'helper' },
    { id: 'c1', type: 'catch', scope: null, wires: [['caught']] },
    { id: 'caught', type: 'helper' },
  ];
  await load(flow, { ...real.credentials, bad: { clientSecret: canary } });
  const emitted: unknown[] = [];
  for (const id of ['n1', 'n2', 'n3', 'cfg', 'bad']) {
    for (const method of ['status', 'error', 'warn', 'log', 'send']) {
      onCall(id, method, (call) => emitted.push(call.args));
    }
  }
  const out = collector('out');
  const caught = collector('caught');
  emulator.control.injectFaults(T, [{ status: 500, body: { detail: `server echoes ${real.credentials.cfg.clientSecret}` }, match: { pathIncludes: '/alerts/' }, times: 10 }]);
  helper.getNode('n2').receive({ payload: {} });
  await caught.waitFor(1);
  emulator.control.clearFaults(T);
  helper.getNode('n1').receive({ payload: {} });
  await out.waitFor(1);
  helper.getNode('n3').receive({ payload: { alertId: 'aaaaaaaaaaaaaaaaaaaaaaaa' } });
  await caught.waitFor(2);
  const everything = JSON.stringify([out.messages, caught.messages, emitted, helper.log().args], (_k, v) => (typeof v === 'function' ? undefined : v));
  const secrets = [canary, real.credentials.cfg.clientSecret, emulator.tenants[T].credentials.legacyTokens.full];
  for (const s of secrets) expect(everything).not.toContain(s);
  expect(everything).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
  expect(caught.messages[0].mdcaError).toMatchObject({ code: 'AUTH_FAILED' });
});

test('watcher: from now → nothing; new alerts delivered once; restart with the same cursor → no duplicates', async () => {
  const c = connection(emulator);
  const watchNode = { id: 'w1', type: 'mdca-watch', config: 'cfg', event: 'newAlerts', params: {}, interval: 1, lookBackMinutes: 5, startFrom: 'now', maxPerPoll: 100, wires: [['out']] };
  let out = await loadWatcher(c, watchNode);
  await expectNothingDelivered(out, 1800);
  const inserted = emulator.control.insertAlerts(T, [{ title: 'Watcher test A' }, { title: 'Watcher test B' }]);
  await out.waitFor(2, 10_000);
  await sleep(2200);
  expect(out.messages.map((m) => (m.payload as { _id: string })._id).sort()).toEqual(inserted.map((a) => a._id).sort());
  expect(out.messages[0].topic).toBe('newAlerts');
  const cursor = helper.getNode('w1').context().get('mdcaCursor');
  expect(cursor).toBeTruthy();

  await helper.unload();
  out = await loadWatcher(c, watchNode, { key: 'mdcaCursor', cursor });
  await expectNothingDelivered(out, 2200);
  const [late] = emulator.control.insertAlerts(T, [{ title: 'Watcher test C' }]);
  await out.waitFor(1, 10_000);
  await sleep(1500);
  expect(out.messages.map((m) => (m.payload as { _id: string })._id)).toEqual([late._id]);
  // Nothing fires after close.
  await helper.unload();
  emulator.control.insertAlerts(T, [{ title: 'after close' }]);
  await sleep(1500);
  expect(out.messages).toHaveLength(1);
});

describe('admin endpoints', () => {
  test('GET /mdca/registry serves exactly the core registry', async () => {
    const c = connection(emulator);
    await load([c.node], c.credentials);
    const res = await helper.request().get('/mdca/registry').expect(200);
    const mdca = res.body.operations.filter((o: { service: string }) => o.service === 'mdca');
    expect(mdca.map((o: { id: string }) => o.id)).toEqual(operations.map((o) => o.id));
    for (const op of operations) {
      const served = res.body.operations.find((o: { id: string }) => o.id === op.id);
      expect(served.inputs.map((i: { name: string; type: string }) => `${i.name}:${i.type}`)).toEqual(op.inputs.map((i) => `${i.name}:${i.type}`));
    }
  });

  test('test connection with stored credentials lists permissions and unlocked operations; bad secret → safe error', async () => {
    const c = connection(emulator, 'appReader');
    await load([c.node], c.credentials);
    const body = { ...c.node, credentials: { clientSecret: '__PWRD__' } };
    const ok = await helper.request().post('/mdca/test-connection').send(body).expect(200);
    expect(ok.body).toMatchObject({ ok: true, kind: 'application', apiReachable: true });
    expect(ok.body.permissions).toContain('Investigation.read');
    expect(ok.body.unlocked.map((u: { id: string }) => u.id)).toContain('alert.getAll');
    expect(ok.body.unlocked.map((u: { id: string }) => u.id)).not.toContain('alert.closeBenign');
    const bad = await helper.request().post('/mdca/test-connection').send({ ...c.node, credentials: { clientSecret: 'CANARY-wrong-secret' } }).expect(200);
    expect(bad.body.ok).toBe(false);
    expect(bad.body.error.code).toBe('AUTH_FAILED');
    expect(JSON.stringify(bad.body)).not.toContain('CANARY-wrong-secret');
    expect(JSON.stringify(ok.body)).not.toContain(c.credentials.cfg.clientSecret);
  });

  test('device code sign-in stores the refresh token in the node credentials; the node then works', async () => {
    const base = connection(emulator, 'userPassword');
    const cfg = { ...base.node, authKind: 'deviceCode', username: '' };
    await load([cfg], {});
    const start = await helper.request().post('/mdca/device-code/start').send({ ...cfg }).expect(200);
    expect(start.body).toMatchObject({ ok: true });
    expect(start.body.userCode).toBeTruthy();
    expect(emulator.control.approveDeviceCode(start.body.userCode, emulator.tenants[T].credentials.users.analyst.username)).toBe(true);
    let status: Record<string, unknown> = {};
    const end = Date.now() + 15_000;
    while (status.status !== 'done' && status.status !== 'error' && Date.now() < end) {
      await sleep(300);
      status = (await helper.request().get(`/mdca/device-code/${start.body.session}`)).body;
    }
    expect(status.status).toBe('done');
    expect(JSON.stringify(status)).not.toMatch(/refresh/i);
    const stored = runtimeCredentials('cfg') as { refreshToken?: string };
    expect(stored.refreshToken).toBeTruthy();
    // Redeploy with the stored credentials: the device-code connection runs as a refresh token.
    await load([cfg, { id: 'n1', type: 'mdca-alert', config: 'cfg', operation: 'alert.getAll', params: {}, maxItems: 2, wires: [['out']] }, { id: 'out', type: 'helper' }], { cfg: { refreshToken: stored.refreshToken } });
    const out = collector('out');
    helper.getNode('n1').receive({});
    const [msg] = await out.waitFor(1);
    expect((msg.payload as unknown[]).length).toBe(2);
  });
});
