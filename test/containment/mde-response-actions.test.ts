// The Defender for Endpoint response actions against the emulator over HTTPS with real msal-node:
// each sends one case-sensitive request and records what was done, to what, by whom, with which
// comment and action id; a dry run sends nothing; a missing permission is named before anything is
// sent; "already pending" and "already isolated" are outcomes with the existing action's id; a
// release is refused while an isolate is still running; the wait follows the action over the
// emulator's clock (moved by the client's sleep, never by waiting).
import type { RunningEmulator } from '../../emulator';
import type { ClientEvent } from '../../core';
import { evidenceDevices, emulatedTime, mdeClient, mdeRequests, recordsOf, withMdeEmulator } from './mde-helpers';

let emu: RunningEmulator;
withMdeEmulator((started) => (emu = started));

const machine = (i = 0) => evidenceDevices(emu)[i].mdeDeviceId;
const posts = () => mdeRequests(emu, 'POST');
const apps = () => emu.tenants.contoso.credentials.apps;

const ACTIONS: Array<[id: string, path: string, extra: Record<string, unknown>, body: Record<string, unknown>, type: string, outcome: string]> = [
  ['machine.isolate', 'isolate', { isolationType: 'Selective' }, { IsolationType: 'Selective' }, 'Isolate', 'isolated'],
  ['machine.release', 'unisolate', {}, {}, 'Unisolate', 'released'],
  ['machine.runAntivirusScan', 'runAntiVirusScan', { scanType: 'Full' }, { ScanType: 'Full' }, 'RunAntiVirusScan', 'scanStarted'],
  ['machine.collectInvestigationPackage', 'collectInvestigationPackage', {}, {}, 'CollectInvestigationPackage', 'collectionStarted'],
  ['machine.restrictAppExecution', 'restrictCodeExecution', {}, {}, 'RestrictCodeExecution', 'restricted'],
  ['machine.unrestrictAppExecution', 'unrestrictCodeExecution', {}, {}, 'UnrestrictCodeExecution', 'unrestricted'],
];

describe.each(ACTIONS)('%s', (id, path, extra, body, type, outcome) => {
  test('sends one request with the case-sensitive body and records it', async () => {
    const target = machine();
    const records = recordsOf(await mdeClient(emu).run(id, { machineIds: target, comment: `SOC case 17 (${path})`, ...extra }));
    const [action] = emu.control.mde.listActions('contoso');
    expect(records).toEqual([
      expect.objectContaining({
        status: 'done',
        outcome,
        action: id,
        target,
        targetKind: 'machine',
        targetId: target,
        comment: `SOC case 17 (${path})`,
        actionId: action.id,
        actionStatus: 'Pending',
        credential: expect.objectContaining({ kind: 'application', appId: apps().full.clientId }),
        request: { method: 'POST', url: `${emu.tenants.contoso.mdeApiUrl}/api/machines/${target}/${path}`, body: { Comment: `SOC case 17 (${path})`, ...body } },
      }),
    ]);
    expect(action).toMatchObject({ type, machineId: target, requestorComment: `SOC case 17 (${path})` });
    expect(posts().map((r) => r.path)).toEqual([`/api/machines/${target}/${path}`]);
  });

  test('a dry run reports the exact request and sends nothing', async () => {
    const before = mdeRequests(emu).length;
    const outcome = await mdeClient(emu).run(id, { machineIds: [machine(0), machine(1)], comment: 'would do', dryRun: true, ...extra });
    expect(recordsOf(outcome).map((r) => [r.status, r.outcome, r.request])).toEqual(
      [machine(0), machine(1)].map((m) => ['dryRun', 'wouldSend', { method: 'POST', url: `${emu.tenants.contoso.mdeApiUrl}/api/machines/${m}/${path}`, body: { Comment: 'would do', ...body } }]),
    );
    expect(outcome).toMatchObject({ summary: { dryRun: true, wouldSend: 2, done: 0 } });
    expect(mdeRequests(emu).length).toBe(before);
    expect(emu.control.mde.listActions('contoso')).toEqual([]);
  });

  test('a token without the permission is refused by name before anything is sent', async () => {
    const before = mdeRequests(emu).length;
    await expect(mdeClient(emu, 'appReader').run(id, { machineIds: machine(), comment: 'no right', ...extra })).rejects.toMatchObject({
      code: 'PERMISSION_MISSING',
      message: expect.stringMatching(/needs Machine\.(Isolate|Scan|CollectForensics|RestrictExecution)\. Nothing was sent\./),
      hint: expect.stringContaining('"WindowsDefenderATP"'),
    });
    expect(mdeRequests(emu).length).toBe(before);
  });

  test('the same action still pending is an outcome with its id: nothing sent again', async () => {
    const client = mdeClient(emu);
    const [first] = recordsOf(await client.run(id, { machineIds: machine(), comment: 'first', ...extra }));
    const [second] = recordsOf(await client.run(id, { machineIds: machine(), comment: 'second', ...extra }));
    expect(second).toMatchObject({ status: 'unchanged', outcome: 'actionAlreadyPending', actionId: first.actionId, actionStatus: 'Pending', comment: 'second' });
    expect(second.request).toBeUndefined();
    expect(posts()).toHaveLength(1);
  });
});

describe('machine ids as typed', () => {
  test('an id typed in upper case: the pending action is still seen, nothing is sent twice', async () => {
    const client = mdeClient(emu);
    const typed = machine().toUpperCase();
    const [first] = recordsOf(await client.run('machine.isolate', { machineIds: typed, comment: 'first' }));
    const [second] = recordsOf(await client.run('machine.isolate', { machineIds: typed, comment: 'second' }));
    expect(second).toMatchObject({ status: 'unchanged', outcome: 'actionAlreadyPending', actionId: first.actionId });
    expect(posts()).toHaveLength(1);
  });
});

describe('isolation', () => {
  test('isolating an isolated machine is alreadyIsolated with the isolating action: nothing sent', async () => {
    const time = emulatedTime(emu);
    const client = mdeClient(emu, 'appSecret', { time });
    const [isolated] = recordsOf(await client.run('machine.isolate', { machineIds: machine(), comment: 'contain', waitForCompletion: true }));
    expect(isolated).toMatchObject({ status: 'done', outcome: 'isolated', actionStatus: 'Succeeded' });
    expect(emu.control.mde.getMachineState('contoso', machine())).toMatchObject({ isolated: true, isolationType: 'Full' });
    const [again] = recordsOf(await client.run('machine.isolate', { machineIds: machine(), comment: 'again' }));
    expect(again).toMatchObject({ status: 'unchanged', outcome: 'alreadyIsolated', actionId: isolated.actionId, actionStatus: 'Succeeded' });
    expect(posts()).toHaveLength(1);
  });

  test('a release is refused while an isolate is still pending, and goes once it finished', async () => {
    const time = emulatedTime(emu);
    const client = mdeClient(emu, 'appSecret', { time });
    const [isolate] = recordsOf(await client.run('machine.isolate', { machineIds: machine(), comment: 'contain' }));
    await expect(client.run('machine.release', { machineIds: machine(), comment: 'too early' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'machineIds',
      message: expect.stringContaining(`an Isolate action (${isolate.actionId}) is still Pending`),
    });
    expect(posts()).toHaveLength(1);
    await client.run('machineAction.waitForCompletion', { actionId: isolate.actionId });
    const [released] = recordsOf(await client.run('machine.release', { machineIds: machine(), comment: 'clean', waitForCompletion: true }));
    expect(released).toMatchObject({ status: 'done', outcome: 'released', actionStatus: 'Succeeded' });
    expect(emu.control.mde.getMachineState('contoso', machine())).toMatchObject({ isolated: false });
  });

  test('a list gives one record per machine, the refused one among them', async () => {
    const client = mdeClient(emu);
    await client.run('machine.isolate', { machineIds: machine(1), comment: 'first' });
    const outcome = await client.run('machine.isolate', { machineIds: [machine(0), machine(1), 'not-a-machine-id'], comment: 'batch' });
    expect(recordsOf(outcome).map((r) => [r.target, r.status, r.outcome])).toEqual([
      [machine(0), 'done', 'isolated'],
      [machine(1), 'unchanged', 'actionAlreadyPending'],
      ['not-a-machine-id', 'failed', 'failed'],
    ]);
    expect(outcome).toMatchObject({ summary: { requested: 3, done: 1, unchanged: 1, failed: 1 } });
  });
});

describe('waiting for the action, on the emulator clock', () => {
  const events: ClientEvent[] = [];
  const onEvent = (e: ClientEvent) => events.push(e);
  beforeEach(() => (events.length = 0));

  test('Pending → InProgress → Succeeded, with a waiting event each time it is not final', async () => {
    const time = emulatedTime(emu);
    const [record] = recordsOf(await mdeClient(emu, 'appSecret', { time }).run('machine.runAntivirusScan', { machineIds: machine(), comment: 'scan', waitForCompletion: true }, { onEvent }));
    expect(record).toMatchObject({ status: 'done', outcome: 'scanStarted', actionStatus: 'Succeeded' });
    expect(time.pauses).toEqual([15_000, 30_000, 60_000]);
    expect(events.filter((e) => e.type === 'waiting')).toEqual([
      { type: 'waiting', operation: 'machine.runAntivirusScan', actionId: record.actionId, status: 'Pending', elapsedMs: expect.any(Number) },
      { type: 'waiting', operation: 'machine.runAntivirusScan', actionId: record.actionId, status: 'InProgress', elapsedMs: expect.any(Number) },
    ]);
  });

  test.each([
    [{ forceStatus: 'Failed' }, 'Failed', 'actionFailed'],
    [{ offline: true }, 'TimeOut', 'actionTimedOut'],
  ])('an action that ends %j is a failed record with its id', async (override, actionStatus, outcome) => {
    emu.control.mde.setMachineOverride('contoso', machine(), override as never);
    const time = emulatedTime(emu);
    const [record] = recordsOf(await mdeClient(emu, 'appSecret', { time }).run('machine.collectInvestigationPackage', { machineIds: machine(), comment: 'collect', waitForCompletion: true, waitTimeoutMinutes: 60 }));
    expect(record).toMatchObject({ status: 'failed', outcome, actionStatus, actionId: expect.any(String), message: expect.stringContaining(`ended ${actionStatus}`) });
  });

  test('the wait timing out keeps the record done, says the action still runs, and how to follow it up', async () => {
    emu.control.mde.setMachineOverride('contoso', machine(), { offline: true } as never);
    const time = emulatedTime(emu);
    const [record] = recordsOf(await mdeClient(emu, 'appSecret', { time }).run('machine.isolate', { machineIds: machine(), comment: 'contain', waitForCompletion: true, waitTimeoutMinutes: 2 }));
    expect(record).toMatchObject({ status: 'done', outcome: 'isolated', actionStatus: 'Pending', message: expect.stringContaining('Still Pending after 2 minutes') });
    expect(time.pauses.reduce((a, b) => a + b, 0)).toBe(120_000);
  });
});
