// Trigger: first poll (start from now), second poll (only new), restart with the same static
// data (0 duplicates), manual mode sample (cursor untouched), backlog start, changed alerts,
// new activities, filters.
import type { RunningEmulator } from '../../emulator';
import { emulatorPerFile } from '../support/emulator-per-file';
import { MicrosoftDefenderCloudAppsTrigger } from '../../nodes/MicrosoftDefenderCloudAppsTrigger/MicrosoftDefenderCloudAppsTrigger.node';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { credentialData } from './credential-fixtures';
import { pollNode as runPoll } from './engine';

jest.setTimeout(60_000);

let emulator: RunningEmulator;
let cred: ReturnType<typeof credentialData>;
emulatorPerFile({}, (e) => {
  emulator = e;
  emulator.control.setThrottle('contoso', false);
  cred = credentialData(emulator, 'appSecret');
});

const poll = (parameters: INodeParameters, staticData: IDataObject, mode: 'trigger' | 'manual' = 'trigger') =>
  runPoll(new MicrosoftDefenderCloudAppsTrigger(), { parameters, credentials: { [cred.type]: cred.data }, staticData, mode });

describe('trigger', () => {
  it('new alerts: first poll stores a cursor only; later polls deliver each new alert once, across restarts', async () => {
    const staticData: IDataObject = {};
    const params = { event: 'newAlerts' };
    expect(await poll(params, staticData)).toBeNull();
    expect(staticData.cursor).toMatchObject({ version: 1, kind: 'newAlerts' });

    const inserted = emulator.control.insertAlerts('contoso', [{ title: 'n8n trigger A', severityValue: 2 }, { title: 'n8n trigger B', severityValue: 0 }]);
    const second = await poll(params, staticData);
    expect(second?.map((i) => i.json.id).sort()).toEqual(inserted.map((a) => a._id).sort());
    expect(second?.[0].json).toHaveProperty('title');

    // "Restart": a new node instance with the persisted static data (a JSON round trip, as n8n stores it).
    const restored = JSON.parse(JSON.stringify(staticData));
    expect(await poll(params, restored)).toBeNull();
    const late = emulator.control.insertAlerts('contoso', [{ title: 'n8n trigger C', severityValue: 1 }]);
    const third = await poll(params, restored);
    expect(third?.map((i) => i.json.id)).toEqual([late[0]._id]);
    expect(await poll(params, restored)).toBeNull();
  });

  it('filters: only matching new alerts (severity from the registry filter inputs)', async () => {
    const staticData: IDataObject = {};
    const params = { event: 'newAlerts', alertFilters: { severity: [2] }, simplify: false };
    await poll(params, staticData);
    emulator.control.insertAlerts('contoso', [{ title: 'high one', severityValue: 2 }, { title: 'low one', severityValue: 0 }]);
    const out = await poll(params, staticData);
    expect(out?.map((i) => i.json.title)).toEqual(['high one']);
    expect(out?.[0].json).toHaveProperty('_id');
  });

  it('manual mode returns the latest item as a sample and does not touch the cursor', async () => {
    const staticData: IDataObject = {};
    const out = await poll({ event: 'newAlerts' }, staticData, 'manual');
    expect(out).toHaveLength(1);
    expect(staticData.cursor).toBeUndefined();
  });

  it('start from N hours ago delivers the backlog, capped per poll, oldest first, then the rest', async () => {
    const staticData: IDataObject = {};
    const params = { event: 'newAlerts', options: { startFrom: 'hoursAgo', startHoursAgo: 24, maxPerPoll: 5 } };
    const expected = emulator.control.listAlerts('contoso').filter((a) => Number(a.timestamp) >= Date.now() - 24 * 3_600_000).length;
    expect(expected).toBeGreaterThan(5);
    const seen = new Set<string>();
    let polls = 0;
    for (;;) {
      const out = await poll(params, staticData);
      polls++;
      if (!out) break;
      expect(out.length).toBeLessThanOrEqual(5);
      for (const item of out) {
        expect(seen.has(String(item.json.id))).toBe(false);
        seen.add(String(item.json.id));
      }
      if (polls > 100) throw new Error('no end');
    }
    expect(seen.size).toBeGreaterThanOrEqual(expected);
  });

  it('changed alerts: a closed alert is delivered once', async () => {
    const staticData: IDataObject = {};
    const params = { event: 'changedAlerts' };
    expect(await poll(params, staticData)).toBeNull();
    const [a] = emulator.control.insertAlerts('contoso', [{ title: 'to be closed' }]);
    emulator.control.updateAlert('contoso', String(a._id), { resolutionStatusValue: 4, resolveTime: new Date(Date.now()).toISOString() } as never);
    const out = await poll(params, staticData);
    expect(out?.map((i) => i.json.id)).toEqual([a._id]);
    expect(out?.[0].json.resolutionStatus).toBe('Closed: Benign');
    expect(await poll(params, staticData)).toBeNull();
  });

  it('new activities', async () => {
    const staticData: IDataObject = {};
    const params = { event: 'newActivities' };
    expect(await poll(params, staticData)).toBeNull();
    const inserted = emulator.control.insertActivities('contoso', [{ description: 'n8n activity' } as never]);
    const out = await poll(params, staticData);
    expect(out?.map((i) => i.json.id)).toEqual(inserted.map((x) => x._id));
  });

  it('errors surface as NodeApiError and leave the cursor as it was', async () => {
    const staticData: IDataObject = {};
    await poll({ event: 'newAlerts' }, staticData);
    const before = JSON.stringify(staticData);
    emulator.control.injectFaults('contoso', [{ status: 400, times: 5 } as never]);
    const err = await poll({ event: 'newAlerts' }, staticData).catch((e) => e);
    emulator.control.clearFaults('contoso');
    expect(err).toBeInstanceOf(NodeApiError);
    expect(JSON.stringify(staticData)).toBe(before);
  });
  it('a poll that starts while the previous one still waits returns nothing new; the first delivers each alert once (n8n does not wait for the previous poll)', async () => {
    const staticData: IDataObject = {};
    const params = { event: 'newAlerts' };
    const opts = { workflowId: 'overlapWorkflow' };
    const pollIn = (workflowId: string) => runPoll(new MicrosoftDefenderCloudAppsTrigger(), { parameters: params, credentials: { [cred.type]: cred.data }, staticData, mode: 'trigger', workflowId });
    expect(await pollIn(opts.workflowId)).toBeNull();
    const inserted = emulator.control.insertAlerts('contoso', [{ title: 'overlap A' }, { title: 'overlap B' }]);
    // The first poll is slow (as when it waits for a busy budget); the next scheduled poll starts meanwhile.
    emulator.control.injectFaults('contoso', [{ delayMs: 1500, match: { pathIncludes: '/alerts' }, times: 1 }]);
    const first = pollIn(opts.workflowId);
    // Start the second poll once the server holds the first, so it surely overlaps the first's
    // wait; a fixed 200 ms pause only made that likely.
    while (emulator.control.pendingFaults('contoso').length > 0) await new Promise((r) => setTimeout(r, 5));
    const second = await pollIn(opts.workflowId);
    expect(second).toBeNull();
    // Another workflow with the same node is not held back by this one.
    expect(await runPoll(new MicrosoftDefenderCloudAppsTrigger(), { parameters: params, credentials: { [cred.type]: cred.data }, staticData: {}, mode: 'trigger', workflowId: 'otherWorkflow' })).toBeNull();
    expect((await first)?.map((i) => i.json.id).sort()).toEqual(inserted.map((a) => a._id).sort());
    expect(await pollIn(opts.workflowId)).toBeNull();
  });
});
