// The example flow examples/node-red/mdca-alert-to-xdr-incident.json in node-red-node-test-helper
// against the emulator: a new MDCA alert (mdca-watch) raised into a Defender XDR incident → the
// incident is found by containsAlertId, resolved with a classification and a comment, and the MDCA
// alert is closed as benign. The button path (newest open alert) does the same.
import * as fs from 'fs';
import * as path from 'path';
import type { RunningEmulator } from '../../emulator';
import { pollUntil } from '../support/poll-until';
import { catchNode, emulatorAndNodeRedPerFile, Flow, FlowNode, helper, onInput, ourNodes, sleep, xdrConnection } from './helpers';

/* eslint-disable @typescript-eslint/no-require-imports */
const coreNodes = [
  require('@node-red/nodes/core/common/20-inject.js'),
  require('@node-red/nodes/core/common/21-debug.js'),
  require('@node-red/nodes/core/common/90-comment.js'),
  require('@node-red/nodes/core/function/15-change.js'),
];
/* eslint-enable @typescript-eslint/no-require-imports */

let emulator: RunningEmulator;
const T = 'contoso';
jest.setTimeout(60_000);
const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'node-red', 'mdca-alert-to-xdr-incident.json');

emulatorAndNodeRedPerFile({ tenants: [{ name: T, throttle: false }] }, (e) => (emulator = e));

/** The example with its connection pointed at the emulator (MDCA + XDR) and a 1 s watcher. */
async function loadExample(): Promise<void> {
  const nodes = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')) as FlowNode[];
  const c = xdrConnection(emulator, 'appSecret', 'mdca-conn');
  // Positioned nodes (x, y) need a tab, as in the editor.
  const flow: Flow = [
    { id: 'tab1', type: 'tab', label: 'example' },
    c.node,
    ...nodes.filter((n) => n.type !== 'mdca-config').map((n) => ({ ...n, z: 'tab1', ...(n.type === 'mdca-watch' ? { interval: 1 } : {}) })),
  ];
  expect(nodes.filter((n) => String(n.type).startsWith('mdca-')).every((n) => n.type === 'mdca-config' || n.config === 'mdca-conn')).toBe(true);
  await helper.unload();
  await helper.load([...ourNodes, catchNode, ...coreNodes], flow, c.credentials as never);
}

const until = <T>(what: string, fn: () => T | undefined | false, timeoutMs = 20_000): Promise<T> => pollUntil(what, fn, timeoutMs, 100);

test('watcher path: a new MDCA alert → its XDR incident resolved with a comment, the alert closed as benign', async () => {
  await loadExample();
  const errors: unknown[] = [];
  onInput<unknown>('x2i-err', (msg) => errors.push(msg));
  await sleep(1500);
  const [alert] = emulator.control.insertAlerts(T, [{ title: 'Mass download by a single user', severityValue: 0 }]);
  const [incident] = emulator.control.xdr.insertIncidents(T, [{ mdcaAlertIds: [alert._id] }]);
  const resolved = await until('incident resolved and alert closed', () => {
    const i = emulator.control.xdr.getIncident(T, incident.incidentId as number);
    const a = emulator.control.getAlert(T, String(alert._id));
    return i?.status === 'Resolved' && a?.resolutionStatusValue === 4 ? i : false;
  });
  expect(resolved).toMatchObject({ classification: 'InformationalExpectedActivity', determination: 'ConfirmedActivity' });
  expect((resolved.comments as { comment: string }[]).map((c) => c.comment)).toEqual([`Resolved by Node-RED: MDCA alert ${String(alert._id)} (Mass download by a single user) closed as benign.`]);
  expect(errors).toEqual([]);
});

test('button path: the newest open alert and its incident', async () => {
  await loadExample();
  const [alert] = emulator.control.insertAlerts(T, [{ title: 'Newest open alert', severityValue: 0 }]);
  const [incident] = emulator.control.xdr.insertIncidents(T, [{ mdcaAlertIds: [alert._id] }]);
  // The watcher may see it too (its first poll can come after the insert): either path closes it, once.
  helper.getNode('x2i-now').receive({ payload: Date.now() });
  await until('incident resolved', () => emulator.control.xdr.getIncident(T, incident.incidentId as number)?.status === 'Resolved');
  await until('alert closed', () => emulator.control.getAlert(T, String(alert._id))?.resolutionStatusValue === 4);
});
