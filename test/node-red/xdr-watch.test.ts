// The Defender XDR watcher (mdca-xdr-watch) and the safety checks of the XDR nodes: new and
// updated incidents delivered once, a restart with the stored cursor delivers nothing twice,
// nothing after close, filters from the editor, poll errors through Catch, and a canary scan
// (no secret or token in messages, status, logs or errors).
import type { RunningEmulator } from '../../emulator';
import { collector, emulatorAndNodeRedPerFile, expectNothingDelivered, Flow, helper, load, loadWatcher, onCall, sleep, xdrConnection } from './helpers';

let emulator: RunningEmulator;
const T = 'contoso';
jest.setTimeout(60_000);

emulatorAndNodeRedPerFile({ tenants: [{ name: T, throttle: false }] }, (e) => (emulator = e), { each: () => emulator.control.xdr.clearFaults(T) });

const idOf = (m: Record<string, unknown>): number => (m.payload as { incidentId: number }).incidentId;

test('incidentChanges: from now → nothing; new and updated incidents once each; restart with the cursor → no duplicates; nothing after close', async () => {
  const c = xdrConnection(emulator);
  const watchNode = { id: 'w1', type: 'mdca-xdr-watch', config: 'cfg', event: 'incidentChanges', params: {}, interval: 1, lookBackMinutes: 5, startFrom: 'now', maxPerPoll: 100, wires: [['out']] };
  let out = await loadWatcher(c, watchNode);
  await expectNothingDelivered(out, 1800);
  const [a, b] = emulator.control.xdr.insertIncidents(T, [{ incidentName: 'XDR watch A' }, { incidentName: 'XDR watch B' }]);
  await out.waitFor(2, 10_000);
  await sleep(1500);
  expect(out.messages.map(idOf).sort()).toEqual([a.incidentId, b.incidentId].sort());
  expect(out.messages[0]).toMatchObject({ topic: 'incidentChanges', mdca: { event: 'incidentChanges', service: 'xdr' } });
  // An update of A is a new change: delivered once more.
  await sleep(5);
  emulator.control.xdr.updateIncident(T, a.incidentId as number, { status: 'InProgress' });
  await out.waitFor(3, 10_000);
  await sleep(1500);
  expect(out.messages).toHaveLength(3);
  expect(out.messages[2].payload).toMatchObject({ incidentId: a.incidentId, status: 'InProgress' });
  const cursor = helper.getNode('w1').context().get('xdrCursor');
  expect(cursor).toMatchObject({ version: 1, kind: 'incidentChanges' });

  await helper.unload();
  out = await loadWatcher(c, watchNode, { key: 'xdrCursor', cursor });
  await expectNothingDelivered(out, 2200);
  const [late] = emulator.control.xdr.insertIncidents(T, [{ incidentName: 'XDR watch C' }]);
  await out.waitFor(1, 10_000);
  await sleep(1500);
  expect(out.messages.map(idOf)).toEqual([late.incidentId]);
  await helper.unload();
  emulator.control.xdr.insertIncidents(T, [{ incidentName: 'after close' }]);
  await sleep(1500);
  expect(out.messages).toHaveLength(1);
});

test('newIncidents with a status filter from the editor; include the last hours on the first run', async () => {
  const c = xdrConnection(emulator);
  const [fresh] = emulator.control.xdr.insertIncidents(T, [{ incidentName: 'backlog, in progress', status: 'InProgress' }]);
  emulator.control.xdr.insertIncidents(T, [{ incidentName: 'backlog, active', status: 'Active' }]);
  const watchNode = {
    id: 'w1',
    type: 'mdca-xdr-watch',
    config: 'cfg',
    event: 'newIncidents',
    params: { status: { v: 'InProgress', t: 'mdca-opt' } },
    interval: 1,
    startFrom: 'hoursAgo',
    startHoursAgo: 1,
    maxPerPoll: 100,
    wires: [['out']],
  };
  await load([c.node, watchNode, { id: 'out', type: 'helper' }], c.credentials);
  const out = collector('out');
  await out.waitFor(1, 10_000);
  await sleep(2200);
  expect(out.messages.map(idOf)).toContain(fresh.incidentId);
  expect(out.messages.every((m) => (m.payload as { status: string }).status === 'InProgress')).toBe(true);
  expect(new Set(out.messages.map(idOf)).size).toBe(out.messages.length);
  // An update is not a new incident.
  emulator.control.xdr.updateIncident(T, fresh.incidentId as number, { tags: ['x'] });
  const before = out.messages.length;
  await sleep(2200);
  expect(out.messages).toHaveLength(before);
});

test('a failing poll reaches Catch with msg.mdcaError, keeps the cursor and the watcher recovers', async () => {
  const c = xdrConnection(emulator);
  const flow: Flow = [
    c.node,
    { id: 'w1', type: 'mdca-xdr-watch', config: 'cfg', event: 'incidentChanges', params: {}, interval: 1, startFrom: 'now', wires: [['out']] },
    { id: 'out', type: 'helper' },
    { id: 'c1', type: 'catch', scope: null, wires: [['caught']] },
    { id: 'caught', type: 'helper' },
  ];
  await load(flow, c.credentials);
  const out = collector('out');
  const caught = collector('caught');
  await sleep(1500);
  const [inc] = emulator.control.xdr.insertIncidents(T, [{ incidentName: 'during an outage' }]);
  emulator.control.xdr.injectFaults(T, [{ status: 400, body: { error: { code: 'BadRequest', message: 'broken on purpose' } }, match: { pathIncludes: '/api/incidents' }, times: 1 }]);
  await caught.waitFor(1, 10_000);
  expect(caught.messages[0].mdcaError).toMatchObject({ code: 'REQUEST_REJECTED' });
  await out.waitFor(1, 10_000);
  await sleep(1200);
  expect(out.messages.map(idOf)).toEqual([inc.incidentId]);
});

test('canary: no secret or token in msg, status, logs, errors or Catch messages of the XDR nodes', async () => {
  const real = xdrConnection(emulator, 'appSecret', 'cfg');
  const canary = 'CANARY-xdr-s3cr3t-91c2';
  const wrong = xdrConnection(emulator, 'appSecret', 'bad');
  const secret = real.credentials.cfg.clientSecret;
  const flow: Flow = [
    real.node,
    wrong.node,
    { id: 'n1', type: 'mdca-xdr-incident', config: 'cfg', operation: 'incident.getAll', params: {}, maxItems: 2, wires: [['out']] },
    { id: 'n2', type: 'mdca-xdr-incident', config: 'bad', operation: 'incident.getAll', params: {}, maxItems: 2, wires: [['out']] },
    { id: 'n3', type: 'mdca-xdr-hunting', config: 'cfg', operation: 'advancedHunting.run', params: { query: { v: 'AlertInfo | take 1', t: 'str' } }, wires: [['out']] },
    { id: 'w1', type: 'mdca-xdr-watch', config: 'bad', event: 'incidentChanges', params: {}, interval: 1, wires: [['out']] },
    { id: 'out', type: 'helper' },
    { id: 'c1', type: 'catch', scope: null, wires: [['caught']] },
    { id: 'caught', type: 'helper' },
  ];
  await load(flow, { ...real.credentials, bad: { clientSecret: canary } });
  const emitted: unknown[] = [];
  for (const id of ['n1', 'n2', 'n3', 'w1', 'cfg', 'bad']) {
    for (const method of ['status', 'error', 'warn', 'log', 'send']) {
      onCall(id, method, (call) => emitted.push(call.args));
    }
  }
  const out = collector('out');
  const caught = collector('caught');
  // The service echoes the secret in an error body: it must not come through.
  emulator.control.xdr.injectFaults(T, [{ status: 500, body: { error: { code: 'InternalError', message: `server echoes ${secret}` } }, match: { pathIncludes: '/api/advancedhunting' }, times: 10 }]);
  helper.getNode('n2').receive({ payload: {} });
  helper.getNode('n3').receive({ payload: {} });
  // n2 and the watcher (bad connection) fail to sign in; n3 gets the 500s (after its retries).
  const codes = (): string[] => caught.messages.map((m) => (m.mdcaError as { code: string }).code);
  const end = Date.now() + 25_000;
  while (!(codes().includes('AUTH_FAILED') && codes().includes('SERVER_ERROR')) && Date.now() < end) await sleep(100);
  emulator.control.xdr.clearFaults(T);
  helper.getNode('n1').receive({ payload: {} });
  await out.waitFor(1);
  const everything = JSON.stringify([out.messages, caught.messages, emitted, helper.log().args], (_k, v) => (typeof v === 'function' ? undefined : v));
  for (const s of [canary, secret, emulator.tenants[T].credentials.legacyTokens.full]) expect(everything).not.toContain(s);
  expect(everything).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
  expect(codes()).toEqual(expect.arrayContaining(['AUTH_FAILED', 'SERVER_ERROR']));
});
