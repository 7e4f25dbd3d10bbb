// Each Defender for Endpoint response action when the network or the service misbehaves, counted
// at the emulator's request log: a lost answer after the service acted, a 429, a 5xx, and a
// refusal because the same action is already running (seen only by the service, not by the read
// before sending). Nothing is ever sent twice, and the record says truthfully what is known.
import type { RunningEmulator } from '../../emulator';
import { evidenceDevices, emulatedTime, mdeClient, mdeRequests, recordsOf, withMdeEmulator } from './mde-helpers';

let emu: RunningEmulator;
withMdeEmulator((started) => (emu = started));

const machine = () => evidenceDevices(emu)[0].mdeDeviceId;
const posts = () => mdeRequests(emu, 'POST');
const client = () => mdeClient(emu, 'appSecret', { time: emulatedTime(emu) });

const ACTIONS: Array<[id: string, path: string, type: string]> = [
  ['machine.isolate', 'isolate', 'Isolate'],
  ['machine.release', 'unisolate', 'Unisolate'],
  ['machine.runAntivirusScan', 'runAntiVirusScan', 'RunAntiVirusScan'],
  ['machine.collectInvestigationPackage', 'collectInvestigationPackage', 'CollectInvestigationPackage'],
  ['machine.restrictAppExecution', 'restrictCodeExecution', 'RestrictCodeExecution'],
  ['machine.unrestrictAppExecution', 'unrestrictCodeExecution', 'UnrestrictCodeExecution'],
];

describe.each(ACTIONS)('%s', (id, path, type) => {
  const input = () => ({ machineIds: machine(), comment: 'reliability' });
  const post = { method: 'POST', pathIncludes: `/${path}` };

  test('a lost answer after the service acted: outcome unknown, exactly one request', async () => {
    emu.control.mde.injectFaults('contoso', [{ reset: 'after', match: post }]);
    await expect(client().run(id, input())).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(posts()).toHaveLength(1);
    expect(emu.control.mde.listActions('contoso')).toEqual([expect.objectContaining({ type, machineId: machine() })]);
  });

  test('a lost answer within a list: that machine is outcomeUnknown, the record says it was not sent again', async () => {
    emu.control.mde.injectFaults('contoso', [{ reset: 'after', match: post }]);
    const second = evidenceDevices(emu)[1].mdeDeviceId;
    const records = recordsOf(await client().run(id, { machineIds: [machine(), second], comment: 'reliability' }));
    expect(records.map((r) => [r.status, r.outcome])).toEqual([
      ['outcomeUnknown', 'outcomeUnknown'],
      ['done', expect.any(String)],
    ]);
    expect(records[0].message).toContain('It was not sent again');
    expect(posts()).toHaveLength(2);
  });

  test('429: waited for, then sent once more; the service acted once', async () => {
    emu.control.mde.injectFaults('contoso', [{ status: 429, headers: { 'retry-after': '2' }, match: post }]);
    const [record] = recordsOf(await client().run(id, input()));
    expect(record).toMatchObject({ status: 'done', actionStatus: 'Pending' });
    expect(posts().map((r) => r.status)).toEqual([429, 201]);
    expect(emu.control.mde.listActions('contoso')).toHaveLength(1);
  });

  test('5xx: not sent again, outcome unknown', async () => {
    emu.control.mde.injectFaults('contoso', [{ status: 500, match: post }]);
    await expect(client().run(id, input())).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN', message: expect.stringContaining('answered 500') });
    expect(posts()).toHaveLength(1);
  });

  test('400 ActiveRequestAlreadyExists: unchanged with the running action\'s id, not retried', async () => {
    const [running] = recordsOf(await client().run(id, input()));
    // The read before sending misses it (another analyst acted in between): only the service knows.
    emu.control.mde.injectFaults('contoso', [{ status: 200, body: { value: [] }, match: { method: 'GET', pathIncludes: '/api/machineactions' } }]);
    const [record] = recordsOf(await client().run(id, { ...input(), comment: 'again' }));
    expect(record).toMatchObject({ status: 'unchanged', outcome: 'actionAlreadyPending', actionId: running.actionId, actionStatus: 'Pending', comment: 'again' });
    expect(record.message).toContain('already in progress');
    expect(posts().map((r) => r.status)).toEqual([201, 400]);
    expect(emu.control.mde.listActions('contoso')).toHaveLength(1);
  });
});
