// The Microsoft Graph security watcher (mdca-graph-watch): new and updated alerts and incidents delivered once,
// a restart with the stored cursor delivers nothing twice, nothing after close, filters from the
// editor, the backlog on the first run, and a failed poll that reaches Catch, delivers nothing and
// keeps the cursor (like test/node-red/xdr-watch.test.ts for the XDR watcher).
import type { RunningEmulator } from '../../emulator';
import { collector, emulatorAndNodeRedPerFile, expectNothingDelivered, Flow, graphConnection, helper, load, loadWatcher, sleep } from './helpers';

let emulator: RunningEmulator;
const T = 'contoso';
jest.setTimeout(60_000);

emulatorAndNodeRedPerFile({ tenants: [{ name: T, throttle: false }] }, (e) => (emulator = e), { each: () => emulator.control.graph.clearFaults(T) });

const graph = () => emulator.control.graph;
const idOf = (m: Record<string, unknown>): string => (m.payload as { id: string }).id;

test('graphAlertChanges: from now → nothing; new and updated alerts once each; restart with the cursor → no duplicates; nothing after close', async () => {
  const c = graphConnection(emulator);
  const watchNode = { id: 'w1', type: 'mdca-graph-watch', config: 'cfg', event: 'graphAlertChanges', params: {}, interval: 1, lookBackMinutes: 5, startFrom: 'now', maxPerPoll: 100, wires: [['out']] };
  let out = await loadWatcher(c, watchNode);
  await expectNothingDelivered(out, 1800);
  const [a, b] = graph().insertAlerts(T, [{ title: 'Graph watch A' }, { title: 'Graph watch B' }]);
  await out.waitFor(2, 10_000);
  await sleep(1500);
  expect(out.messages.map(idOf).sort()).toEqual([String(a.id), String(b.id)].sort());
  expect(out.messages[0]).toMatchObject({ topic: 'graphAlertChanges', mdca: { event: 'graphAlertChanges', service: 'graph' } });
  // An update of A is a new change: delivered once more.
  await sleep(5);
  graph().updateAlert(T, String(a.id), { status: 'inProgress' });
  await out.waitFor(3, 10_000);
  await sleep(1500);
  expect(out.messages).toHaveLength(3);
  expect(out.messages[2].payload).toMatchObject({ id: a.id, status: 'inProgress' });
  const cursor = helper.getNode('w1').context().get('graphCursor');
  expect(cursor).toMatchObject({ version: 1, kind: 'graphAlertChanges' });
  // Its own context key: the other watchers' keys are untouched.
  expect(helper.getNode('w1').context().get('xdrCursor')).toBeUndefined();
  expect(helper.getNode('w1').context().get('mdcaCursor')).toBeUndefined();

  await helper.unload();
  out = await loadWatcher(c, watchNode, { key: 'graphCursor', cursor });
  await expectNothingDelivered(out, 2200);
  const [late] = graph().insertAlerts(T, [{ title: 'Graph watch C' }]);
  await out.waitFor(1, 10_000);
  await sleep(1500);
  expect(out.messages.map(idOf)).toEqual([String(late.id)]);
  await helper.unload();
  graph().insertAlerts(T, [{ title: 'after close' }]);
  await sleep(1500);
  expect(out.messages).toHaveLength(1);
});

test('newGraphAlerts with a severity filter from the editor; include the last hours on the first run; an update is not a new alert', async () => {
  const c = graphConnection(emulator);
  const [high] = graph().insertAlerts(T, [{ title: 'backlog, high', severity: 'high', serviceSource: 'microsoftDefenderForCloudApps' }]);
  const [low] = graph().insertAlerts(T, [{ title: 'backlog, low', severity: 'low', serviceSource: 'microsoftDefenderForCloudApps' }]);
  const watchNode = {
    id: 'w1',
    type: 'mdca-graph-watch',
    config: 'cfg',
    event: 'newGraphAlerts',
    params: { severity: { v: 'high', t: 'mdca-opt' } },
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
  expect(out.messages.map(idOf)).toContain(String(high.id));
  expect(out.messages.map(idOf)).not.toContain(String(low.id));
  expect(out.messages.every((m) => (m.payload as { severity: string }).severity === 'high')).toBe(true);
  expect(new Set(out.messages.map(idOf)).size).toBe(out.messages.length);
  expect(out.messages[0]).toMatchObject({ topic: 'newGraphAlerts', mdca: { event: 'newGraphAlerts', service: 'graph' } });
  const before = out.messages.length;
  await sleep(5);
  graph().updateAlert(T, String(high.id), { status: 'resolved' });
  await sleep(2200);
  expect(out.messages).toHaveLength(before);
});

test('a failing poll reaches Catch with msg.mdcaError, delivers nothing, keeps the cursor and the watcher recovers', async () => {
  const c = graphConnection(emulator);
  const flow: Flow = [
    c.node,
    { id: 'w1', type: 'mdca-graph-watch', config: 'cfg', event: 'graphAlertChanges', params: {}, interval: 1, startFrom: 'now', wires: [['out']] },
    { id: 'out', type: 'helper' },
    { id: 'c1', type: 'catch', scope: null, wires: [['caught']] },
    { id: 'caught', type: 'helper' },
  ];
  await load(flow, c.credentials);
  const out = collector('out');
  const caught = collector('caught');
  await sleep(1500);
  const cursorBefore = JSON.stringify(helper.getNode('w1').context().get('graphCursor'));
  expect(JSON.parse(cursorBefore)).toMatchObject({ version: 1, kind: 'graphAlertChanges' });
  graph().injectFaults(T, [{ status: 400, body: { error: { code: 'BadRequest', message: 'broken on purpose' } }, match: { pathIncludes: '/alerts_v2' }, times: 1 }]);
  const [alert] = graph().insertAlerts(T, [{ title: 'during an outage' }]);
  await caught.waitFor(1, 10_000);
  expect(caught.messages[0].mdcaError).toMatchObject({ code: 'REQUEST_REJECTED' });
  // The failed poll sent nothing and left the stored position as it was.
  expect(out.messages).toHaveLength(0);
  expect(JSON.stringify(helper.getNode('w1').context().get('graphCursor'))).toBe(cursorBefore);
  await out.waitFor(1, 10_000);
  await sleep(1200);
  expect(out.messages.map(idOf)).toEqual([String(alert.id)]);
});

test('graphIncidentChanges: from now → nothing; new and updated incidents once each, with a status filter; restart with the cursor → no duplicates', async () => {
  const c = graphConnection(emulator);
  const watchNode = {
    id: 'w1',
    type: 'mdca-graph-watch',
    config: 'cfg',
    event: 'graphIncidentChanges',
    // Incident statuses ("active"), not alert ones: the incident list's filter.
    params: { status: { v: 'active', t: 'mdca-opt' } },
    interval: 1,
    lookBackMinutes: 5,
    startFrom: 'now',
    maxPerPoll: 100,
    wires: [['out']],
  };
  let out = await loadWatcher(c, watchNode);
  await expectNothingDelivered(out, 1800);
  const [a, b] = graph().insertIncidents(T, [{ displayName: 'Graph watch incident A' }, { displayName: 'Graph watch incident B', status: 'inProgress' }]);
  await out.waitFor(1, 10_000);
  await sleep(1500);
  expect(out.messages.map(idOf)).toEqual([String(a.id)]);
  expect(String(b.id)).not.toBe(String(a.id));
  expect(out.messages[0]).toMatchObject({ topic: 'graphIncidentChanges', mdca: { event: 'graphIncidentChanges', service: 'graph' } });
  expect(out.messages[0].payload).not.toHaveProperty('alerts');
  await sleep(5);
  graph().updateIncident(T, String(a.id), { assignedTo: 'secop@contoso.com' });
  await out.waitFor(2, 10_000);
  await sleep(1500);
  expect(out.messages).toHaveLength(2);
  expect(out.messages[1].payload).toMatchObject({ id: a.id, assignedTo: 'secop@contoso.com' });
  const cursor = helper.getNode('w1').context().get('graphCursor');
  expect(cursor).toMatchObject({ version: 1, kind: 'graphIncidentChanges' });

  await helper.unload();
  out = await loadWatcher(c, watchNode, { key: 'graphCursor', cursor });
  await expectNothingDelivered(out, 2200);
  const [created] = graph().insertIncidents(T, [{ displayName: 'Graph watch incident C' }]);
  await out.waitFor(1, 10_000);
  await sleep(1500);
  expect(out.messages.map(idOf)).toEqual([String(created.id)]);
});
