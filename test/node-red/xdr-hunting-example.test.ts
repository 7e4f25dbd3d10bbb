// The example flow examples/node-red/enrich-xdr-incidents-with-hunting.json in
// node-red-node-test-helper against the emulator: a new High or Medium Defender XDR incident
// (mdca-xdr-watch) → one advanced hunting query per user (mdca-xdr-hunting) → the sign-in counts
// added to the incident as a comment; Low incidents and incidents without a user are left alone;
// a user name with a quote stays one KQL string; the daily report lists the accounts with the most
// failed sign-ins. The expected counts come from the hunting API itself, asked by the test.
import * as fs from 'fs';
import * as path from 'path';
import type { RunningEmulator } from '../../emulator';
import { XdrClient } from '../../core';
import { pollUntil } from '../support/poll-until';
import { xdrClient } from '../xdr/helpers';
import { resultOf } from '../core/helpers';
import { catchNode, emulatorAndNodeRedPerFile, Flow, FlowNode, helper, onInput, ourNodes, sleep, xdrConnection } from './helpers';

/* eslint-disable @typescript-eslint/no-require-imports */
const coreNodes = [
  require('@node-red/nodes/core/common/20-inject.js'),
  require('@node-red/nodes/core/common/21-debug.js'),
  require('@node-red/nodes/core/common/90-comment.js'),
  require('@node-red/nodes/core/function/10-function.js'),
  require('@node-red/nodes/core/function/10-switch.js'),
];
/* eslint-enable @typescript-eslint/no-require-imports */

let emulator: RunningEmulator;
let client: XdrClient;
const T = 'contoso';
jest.setTimeout(60_000);
const EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'node-red', 'enrich-xdr-incidents-with-hunting.json');

emulatorAndNodeRedPerFile({ tenants: [{ name: T, throttle: false }] }, (e) => {
  emulator = e;
  client = xdrClient(e);
});

type Row = Record<string, unknown>;

/** The example with its connection pointed at the emulator (MDCA + XDR) and a 1 s watcher. */
async function loadExample(): Promise<{ errors: unknown[] }> {
  const nodes = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')) as FlowNode[];
  expect(nodes.filter((n) => String(n.type).startsWith('mdca-')).every((n) => n.type === 'mdca-config' || n.config === 'mdca-conn')).toBe(true);
  const c = xdrConnection(emulator, 'appSecret', 'mdca-conn');
  const flow: Flow = [
    { id: 'tab1', type: 'tab', label: 'example' },
    c.node,
    ...nodes.filter((n) => n.type !== 'mdca-config').map((n) => ({ ...n, z: 'tab1', ...(n.type === 'mdca-xdr-watch' ? { interval: 1 } : {}) })),
  ];
  await helper.unload();
  await helper.load([...ourNodes, catchNode, ...coreNodes], flow, c.credentials as never);
  const errors: unknown[] = [];
  onInput<unknown>('hunt-err', (msg) => errors.push(msg));
  return { errors };
}

async function hunt(query: string): Promise<Row[]> {
  return resultOf<{ results: Row[] }>(await client.run('advancedHunting.run', { query })).results;
}

/** The account with the most sign-ins (some of them failed) in the last 7 days of the emulator's hunting data. */
async function busiestAccount(): Promise<string> {
  const [top] = await hunt('IdentityLogonEvents | where Timestamp > ago(7d) | summarize count() by AccountUpn | top 1 by count_ desc');
  return String(top.AccountUpn);
}

/** The comment the flow should write for this user, from the hunting API's own counts. */
async function expectedComment(upn: string): Promise<string> {
  const logons = await hunt(`IdentityLogonEvents | where Timestamp > ago(7d) and AccountUpn =~ "${upn}"`);
  const ok = logons.filter((r) => r.ActionType === 'LogonSuccess').length;
  const failed = logons.filter((r) => r.ActionType === 'LogonFailed').length;
  expect(ok + failed).toBeGreaterThan(0);
  let comment = `Node-RED sign-in check for ${upn.toLowerCase()}, last 7 days (advanced hunting, IdentityLogonEvents): ${ok} successful, ${failed} failed sign-ins.`;
  if (failed >= 5) comment += ' Many failed sign-ins: look for password spraying or a locked-out account.';
  return comment;
}

const userAlert = (upn: string, severity: string): Record<string, unknown> => ({
  alertId: `da${upn.length}${severity}`,
  title: `Suspicious sign-in for ${upn}`,
  severity,
  serviceSource: 'MicrosoftDefenderForIdentity',
  entities: [{ entityType: 'User', userPrincipalName: upn, accountName: upn.split('@')[0] }],
});

const commentsOf = (incidentId: unknown): string[] =>
  ((emulator.control.xdr.getIncident(T, Number(incidentId))?.comments ?? []) as { comment: string }[]).map((c) => c.comment);

const until = <R>(what: string, fn: () => R | undefined | false, timeoutMs = 20_000): Promise<R> => pollUntil(what, fn, timeoutMs, 100);

test('watcher path: a new High incident gets its user sign-in counts as a comment; Low incidents and incidents without a user are left alone', async () => {
  const upn = await busiestAccount();
  const expected = await expectedComment(upn);
  const { errors } = await loadExample();
  await sleep(1500); // the watcher starts "from now"
  const [high, low, noUser] = emulator.control.xdr.insertIncidents(T, [
    { incidentName: 'Password spray', severity: 'High', alerts: [userAlert(upn, 'High')] },
    { incidentName: 'Unfamiliar sign-in, low', severity: 'Low', alerts: [userAlert(upn, 'Low')] },
    { incidentName: 'Malware on a device', severity: 'Medium', alerts: [] },
  ]);
  const comments = await until('the High incident is commented', () => (commentsOf(high.incidentId).length > 0 ? commentsOf(high.incidentId) : false));
  expect(comments).toEqual([expected]);
  // One poll delivered all three; give the other two the same time to (not) be commented.
  await sleep(1500);
  expect(commentsOf(low.incidentId)).toEqual([]);
  expect(commentsOf(noUser.incidentId)).toEqual([]);
  expect(commentsOf(high.incidentId)).toEqual([expected]);
  expect(errors).toEqual([]);
});

test('a user name with a double quote stays inside its KQL string literal', async () => {
  const { errors } = await loadExample();
  await sleep(1500);
  const odd = 'o"brien\\admin@contoso.example';
  const [incident] = emulator.control.xdr.insertIncidents(T, [{ incidentName: 'Odd account name', severity: 'Medium', alerts: [userAlert(odd, 'Medium')] }]);
  const [comment] = await until('incident commented', () => (commentsOf(incident.incidentId).length > 0 ? commentsOf(incident.incidentId) : false));
  expect(comment).toBe(
    `Node-RED sign-in check for ${odd}, last 7 days (advanced hunting, IdentityLogonEvents): 0 successful, 0 failed sign-ins. No sign-ins recorded: the account may be a service or guest account, or not synchronised.`,
  );
  const sent = emulator.control.xdr.requestLog(T).filter((r) => r.path === '/api/advancedhunting/run');
  expect(sent.length).toBeGreaterThan(0);
  expect(errors).toEqual([]);
});

test('button path: the newest active incident', async () => {
  const upn = await busiestAccount();
  const expected = await expectedComment(upn);
  // Created before the watcher starts ("from now"), so only the button finds it.
  const [incident] = emulator.control.xdr.insertIncidents(T, [{ incidentName: 'Newest active', severity: 'Medium', alerts: [userAlert(upn, 'Medium')] }]);
  await sleep(5);
  const { errors } = await loadExample();
  helper.getNode('hunt-now').receive({ payload: Date.now() });
  await until('incident commented', () => commentsOf(incident.incidentId).length > 0);
  await sleep(1500);
  expect(commentsOf(incident.incidentId)).toEqual([expected]);
  expect(errors).toEqual([]);
});

test('daily report: the ten accounts with the most failed sign-ins in the last 24 hours', async () => {
  const failed = await hunt('IdentityLogonEvents | where Timestamp > ago(1d) and ActionType == "LogonFailed"');
  const perAccount = new Map<string, number>();
  for (const r of failed) perAccount.set(String(r.AccountUpn), (perAccount.get(String(r.AccountUpn)) ?? 0) + 1);
  const top = [...perAccount.values()].sort((a, b) => b - a).slice(0, 10);
  expect(top.length).toBeGreaterThan(0);
  const { errors } = await loadExample();
  const reports: { payload: string; accounts: Row[] }[] = [];
  onInput<{ payload: string; accounts: Row[] }>('hunt-report', (msg) => reports.push(msg));
  helper.getNode('hunt-daily').receive({ payload: Date.now() });
  const [report] = await until('report', () => (reports.length > 0 ? reports : false));
  const lines = report.payload.split('\n');
  expect(lines.map((l) => Number(/: (\d+) failed sign-ins$/.exec(l)?.[1]))).toEqual(top);
  lines.forEach((l, i) => expect(l.startsWith(`${i + 1}. ${String(report.accounts[i].AccountUpn)}: `)).toBe(true));
  expect(report.accounts.every((a) => perAccount.get(String(a.AccountUpn)) === a.count_)).toBe(true);
  expect(errors).toEqual([]);
});
