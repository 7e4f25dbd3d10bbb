// The Defender for Endpoint nodes (mdca-mde-machine, mdca-mde-machine-action) through
// node-red-node-test-helper against the emulator's MDE listener over HTTPS with real msal: a read
// and a response action each, the record as msg.payload with a status in plain words, "already
// pending" reported with the existing action's id, a dry run that sends nothing, the permission
// named before sending, a lost answer never resent, and the wait for an action followed in the
// status on the emulator's clock (the clients' sleep moves it: no wall-clock wait).
import type { RunningEmulator } from '../../emulator';
import { emulatedTime, evidenceDevices, mdeRequests } from '../containment/mde-helpers';
import { useServiceClientTime } from '../../node-red/lib/service-clients';
import { entraOperations, mdeOperations } from '../../core';
import { emulatorAndNodeRedPerFile, helper, load, responseConnection, runOperationNode } from './helpers';

let emulator: RunningEmulator;
const T = 'contoso';

emulatorAndNodeRedPerFile({ tenants: [{ name: T, throttle: false }] }, (e) => (emulator = e), {
  each: () => {
    useServiceClientTime(undefined);
    emulator.control.setClockOffsetMs(0);
    emulator.control.mde.reset(T);
  },
});

const machine = (i = 0) => evidenceDevices(emulator)[i].mdeDeviceId;
const posts = () => mdeRequests(emulator, 'POST');
const last = (statuses: Record<string, unknown>[]) => statuses[statuses.length - 1];
const run = (type: string, operation: string, msg: Record<string, unknown>, node: Record<string, unknown> = {}, opts: { expectError?: boolean; kind?: 'appSecret' | 'appReader' } = {}) =>
  runOperationNode(responseConnection(emulator, opts.kind ?? 'appSecret'), type, operation, msg, node, opts);

describe('mdca-mde-machine', () => {
  test('get: the machine by id', async () => {
    const r = await run('mdca-mde-machine', 'machine.get', { payload: { machineId: machine() } });
    expect(r.out[0].payload).toMatchObject({ id: machine(), computerDnsName: evidenceDevices(emulator)[0].deviceDnsName });
    expect(last(r.statuses)).toMatchObject({ fill: 'green' });
  });

  test('find by a Graph alert\'s evidence: the alert as it came from a Graph alert node, in msg.alert', async () => {
    const alert = emulator.control.graph.listAlerts(T).find((a) => ((a.evidence as Array<Record<string, unknown>>) ?? []).some((e) => String(e['@odata.type']).endsWith('deviceEvidence')))!;
    const device = (alert.evidence as Array<Record<string, unknown>>).find((e) => String(e['@odata.type']).endsWith('deviceEvidence'))!;
    const r = await run('mdca-mde-machine', 'machine.find', { alert }, { params: { findBy: { v: 'alertEvidence', t: 'mdca-opt' }, alert: { v: 'alert', t: 'msg' } } });
    expect(r.out[0].payload).toMatchObject({ found: true, machineId: device.mdeDeviceId });
  });

  test('isolate one machine: the record with the new action id, the status says "isolated 1"', async () => {
    const r = await run('mdca-mde-machine', 'machine.isolate', { payload: { machineIds: machine(), comment: 'SOC case 17' } }, { params: { isolationType: { v: 'Selective', t: 'mdca-opt' } } });
    const [action] = emulator.control.mde.listActions(T);
    expect(r.out[0].payload).toMatchObject({
      status: 'done',
      outcome: 'isolated',
      target: machine(),
      comment: 'SOC case 17',
      actionId: action.id,
      actionStatus: 'Pending',
      request: { method: 'POST', url: `${emulator.tenants[T].mdeApiUrl}/api/machines/${machine()}/isolate`, body: { Comment: 'SOC case 17', IsolationType: 'Selective' } },
    });
    expect(last(r.statuses)).toMatchObject({ fill: 'green', text: 'isolated 1' });
    expect(posts()).toHaveLength(1);
  });

  test('isolate a list where one machine has an isolation pending: reported with the existing action id, sent once', async () => {
    const first = await run('mdca-mde-machine', 'machine.isolate', { payload: { machineIds: machine(0), comment: 'first' } });
    const pendingId = (first.out[0].payload as { actionId: string }).actionId;
    const r = await run('mdca-mde-machine', 'machine.isolate', { payload: { machineIds: [machine(1), machine(0)], comment: 'batch' } });
    const payload = r.out[0].payload as { summary: Record<string, unknown>; items: Record<string, unknown>[] };
    expect(payload.items.map((i) => [i.target, i.status, i.outcome])).toEqual([
      [machine(1), 'done', 'isolated'],
      [machine(0), 'unchanged', 'actionAlreadyPending'],
    ]);
    expect(payload.items[1]).toMatchObject({ actionId: pendingId, actionStatus: 'Pending', comment: 'batch' });
    expect(payload.summary).toMatchObject({ requested: 2, done: 1, unchanged: 1 });
    expect(last(r.statuses)).toMatchObject({ fill: 'green', text: 'isolated 1, already pending 1' });
    expect(posts().filter((p) => p.path.includes(machine(0)))).toHaveLength(1);
  });

  test('a dry run reports the exact requests and sends nothing (count at the emulator)', async () => {
    const before = mdeRequests(emulator).length;
    const r = await run('mdca-mde-machine', 'machine.runAntivirusScan', { payload: { machineIds: [machine(0), machine(1)], comment: 'would scan', dryRun: true } });
    const payload = r.out[0].payload as { summary: Record<string, unknown>; items: Record<string, unknown>[] };
    expect(payload.items.map((i) => [i.status, i.request])).toEqual(
      [machine(0), machine(1)].map((m) => ['dryRun', { method: 'POST', url: `${emulator.tenants[T].mdeApiUrl}/api/machines/${m}/runAntiVirusScan`, body: { Comment: 'would scan', ScanType: 'Quick' } }]),
    );
    expect(payload.summary).toMatchObject({ dryRun: true, wouldSend: 2 });
    expect(last(r.statuses)).toMatchObject({ fill: 'grey', text: 'dry run: nothing sent · 2 would be sent' });
    expect(mdeRequests(emulator)).toHaveLength(before);
    expect(emulator.control.mde.listActions(T)).toEqual([]);
  });

  test('Dry Run set in the editor stays on when the message says dryRun: false; the targets still come from the message', async () => {
    const r = await run('mdca-mde-machine', 'machine.isolate', { payload: { machineIds: [machine(0), machine(1)], comment: 'from a webhook', dryRun: false } }, { params: { dryRun: { v: 'true', t: 'bool' } } });
    const payload = r.out[0].payload as { summary: Record<string, unknown>; items: Record<string, unknown>[] };
    expect(payload.items.map((i) => [i.target, i.status])).toEqual([[machine(0), 'dryRun'], [machine(1), 'dryRun']]);
    expect(payload.summary).toMatchObject({ dryRun: true, wouldSend: 2 });
    expect(posts()).toEqual([]);
    expect(emulator.control.mde.listActions(T)).toEqual([]);
  });

  test('a reader app: Machine.Isolate is named before anything is sent', async () => {
    const r = await run('mdca-mde-machine', 'machine.isolate', { payload: { machineIds: machine(), comment: 'no right' } }, {}, { expectError: true, kind: 'appReader' });
    expect(r.errors[0].mdcaError).toMatchObject({ code: 'PERMISSION_MISSING', permissions: expect.arrayContaining(['Machine.Isolate']) });
    expect(last(r.statuses)).toMatchObject({ fill: 'red', text: expect.stringMatching(/^missing permission .*Machine\.Isolate/) });
    expect(mdeRequests(emulator)).toEqual([]);
  });

  test('a lost answer: OUTCOME_UNKNOWN through Catch, one request only', async () => {
    emulator.control.mde.injectFaults(T, [{ reset: 'after', match: { method: 'POST', pathIncludes: '/restrictCodeExecution' } } as never]);
    const r = await run('mdca-mde-machine', 'machine.restrictAppExecution', { payload: { machineIds: machine(), comment: 'lost' } }, {}, { expectError: true });
    expect(r.errors[0].mdcaError).toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(last(r.statuses)).toMatchObject({ fill: 'red' });
    expect(posts()).toHaveLength(1);
  });

  test('wait for completion: the status follows Pending → InProgress on the emulator clock; the record ends Succeeded', async () => {
    const time = emulatedTime(emulator);
    useServiceClientTime(time);
    const r = await run('mdca-mde-machine', 'machine.isolate', { payload: { machineIds: machine(), comment: 'contain', waitForCompletion: true } });
    expect(r.out[0].payload).toMatchObject({ status: 'done', outcome: 'isolated', actionStatus: 'Succeeded' });
    expect(r.statuses.map((s) => s.text).filter((t) => String(t).startsWith('waiting'))).toEqual(['waiting: Pending · 15 s', 'waiting: InProgress · 45 s']);
    expect(last(r.statuses)).toMatchObject({ fill: 'green', text: 'isolated 1' });
    expect(time.pauses).toEqual([15_000, 30_000, 60_000]);
    expect(emulator.control.mde.getMachineState(T, machine())).toMatchObject({ isolated: true });
  });

  test('an action that ends Failed: the record is failed with its id, the status red', async () => {
    emulator.control.mde.setMachineOverride(T, machine(), { forceStatus: 'Failed' } as never);
    useServiceClientTime(emulatedTime(emulator));
    const r = await run('mdca-mde-machine', 'machine.collectInvestigationPackage', { payload: { machineIds: machine(), comment: 'collect', waitForCompletion: true } });
    expect(r.out[0].payload).toMatchObject({ status: 'failed', outcome: 'actionFailed', actionStatus: 'Failed', actionId: expect.any(String) });
    expect(last(r.statuses)).toMatchObject({ fill: 'red', text: 'action failed 1' });
  });
});

describe('mdca-mde-machine-action', () => {
  test('get: the action an isolate started', async () => {
    await run('mdca-mde-machine', 'machine.isolate', { payload: { machineIds: machine(), comment: 'contain' } });
    const [action] = emulator.control.mde.listActions(T);
    const r = await run('mdca-mde-machine-action', 'machineAction.get', { payload: { actionId: action.id } });
    expect(r.out[0].payload).toMatchObject({ id: action.id, type: 'Isolate', machineId: machine() });
  });

  test('waitForCompletion: waiting statuses, then the final action, no wall-clock wait', async () => {
    await run('mdca-mde-machine', 'machine.runAntivirusScan', { payload: { machineIds: machine(), comment: 'scan' } });
    const [action] = emulator.control.mde.listActions(T);
    const time = emulatedTime(emulator);
    useServiceClientTime(time);
    const r = await run('mdca-mde-machine-action', 'machineAction.waitForCompletion', { payload: { actionId: action.id } });
    expect(r.out[0].payload).toMatchObject({ actionId: action.id, status: 'Succeeded', final: true, timedOut: false });
    expect(r.statuses.some((s) => String(s.text).startsWith('waiting: '))).toBe(true);
    expect(last(r.statuses)).toMatchObject({ fill: 'green', text: 'done' });
    expect(time.pauses.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });
});

describe('the connection and the editor registry', () => {
  test('a Defender for Endpoint URL that is not an allowed host: a configuration error naming mdeApiUrl, nothing sent', async () => {
    const c = responseConnection(emulator);
    c.node.mdeApiUrl = 'https://evil.example.com';
    const r = await runOperationNode(c, 'mdca-mde-machine', 'machine.get', { payload: { machineId: machine() } }, {}, { expectError: true });
    expect(r.errors[0].mdcaError).toMatchObject({ code: 'CONFIGURATION_INVALID', field: 'mdeApiUrl' });
    expect(mdeRequests(emulator)).toEqual([]);
  });

  test('GET /mdca/registry serves the Entra ID and Defender for Endpoint resources with their node types, and every operation', async () => {
    const c = responseConnection(emulator);
    await load([c.node], c.credentials);
    const res = await helper.request().get('/mdca/registry').expect(200);
    expect(res.body.nodeTypes).toMatchObject({ user: 'mdca-entra-user', riskyUser: 'mdca-entra-risky-user', machine: 'mdca-mde-machine', machineAction: 'mdca-mde-machine-action' });
    for (const [service, registry] of [['entra', entraOperations], ['mde', mdeOperations]] as const) {
      const served = res.body.operations.filter((o: { service: string }) => o.service === service);
      expect(served.map((o: { id: string }) => o.id)).toEqual(registry.map((o) => o.id));
      for (const op of registry) {
        const s = served.find((o: { id: string }) => o.id === op.id);
        expect(s.inputs.map((i: { name: string; type: string }) => `${i.name}:${i.type}`)).toEqual(op.inputs.map((i) => `${i.name}:${i.type}`));
        expect(s.permissions).toEqual([...op.permissions]);
      }
    }
  });
});
