// Machine actions of the emulated Defender for Endpoint listener over HTTPS with real msal-node
// tokens: case-sensitive bodies, the lifecycle over emulated time (clock offset, no waiting),
// per-machine overrides, duplicates, cancel, the investigation package link, listing actions.
import { startEmulator, RunningEmulator } from '../../emulator';
import { rawClient } from '../support/emulator-client';
import { evidenceDevices, mdeApi, mdeAppToken } from '../support/mde-emulator';

let emu: RunningEmulator;
let full: string;
beforeAll(async () => {
  emu = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }] });
  full = await mdeAppToken(emu, 'full');
});
afterAll(() => emu.close());
afterEach(() => {
  emu.control.setClockOffsetMs(0);
  emu.control.mde.reset('contoso');
});

const api = () => mdeApi(emu, full);
const machineId = () => evidenceDevices(emu)[0].mdeDeviceId;
const advance = (ms: number) => emu.control.setClockOffsetMs(emu.control.clockOffsetMs() + ms);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const status = async (id: string) => (await api().get(`/api/machineactions/${id}`)).data.status as string;

describe('request bodies are case-sensitive', () => {
  test.each([
    ['isolate', { comment: 'x', IsolationType: 'Full' }, 'InvalidRequestBody'],
    ['isolate', { Comment: 'x', isolationType: 'Full' }, 'InvalidRequestBody'],
    ['isolate', { Comment: 'x', IsolationType: 'full' }, 'InvalidRequestBody'],
    ['isolate', { IsolationType: 'Full' }, 'MissingRequiredParameter'],
    ['runAntiVirusScan', { Comment: 'x' }, 'MissingRequiredParameter'],
    ['runAntiVirusScan', { Comment: 'x', ScanType: 'quick' }, 'InvalidRequestBody'],
    ['restrictCodeExecution', { Comment: '' }, 'MissingRequiredParameter'],
    ['unisolate', {}, 'MissingRequiredParameter'],
  ])('%s %j → 400 %s, nothing created', async (action, body, code) => {
    const res = await api().post(`/api/machines/${machineId()}/${action}`, body);
    expect(res.status).toBe(400);
    expect(res.data.error.code).toBe(code);
    expect(emu.control.mde.listActions('contoso')).toHaveLength(0);
  });

  test('the six actions answer 201 with a Pending MachineAction (IsolationType defaults to Full)', async () => {
    const id = machineId();
    const cases: Array<[string, Record<string, string>, string, string | null]> = [
      ['isolate', { Comment: 'c' }, 'Isolate', 'Full'],
      ['unisolate', { Comment: 'c' }, 'Unisolate', null],
      ['runAntiVirusScan', { Comment: 'c', ScanType: 'Quick' }, 'RunAntiVirusScan', 'Quick'],
      ['collectInvestigationPackage', { Comment: 'c' }, 'CollectInvestigationPackage', null],
      ['restrictCodeExecution', { Comment: 'c' }, 'RestrictCodeExecution', null],
      ['unrestrictCodeExecution', { Comment: 'c' }, 'UnrestrictCodeExecution', null],
    ];
    for (const [action, body, type, scope] of cases) {
      const res = await api().post(`/api/machines/${id}/${action}`, body);
      expect(res.status).toBe(201);
      expect(res.data).toMatchObject({ type, scope, status: 'Pending', machineId: id, requestorComment: 'c', requestor: emu.tenants.contoso.credentials.apps.full.clientId });
      expect(res.data.id).toMatch(GUID);
    }
    expect((await api().post(`/api/v1.0/machines/${id}/isolate`, { Comment: 'c' })).status).toBe(400);
    expect((await api().post(`/api/machines/${'a'.repeat(40)}/isolate`, { Comment: 'c' })).status).toBe(404);
  });
});

describe('lifecycle over emulated time', () => {
  test('Pending 20 s → InProgress 60 s → Succeeded; the machine is isolated, then released', async () => {
    const id = machineId();
    const created = await api().post(`/api/machines/${id}/isolate`, { Comment: 'contain', IsolationType: 'Selective' });
    const actionId = String(created.data.id);
    expect(await status(actionId)).toBe('Pending');
    advance(20_000);
    expect(await status(actionId)).toBe('InProgress');
    expect(emu.control.mde.getMachineState('contoso', id)?.isolated).toBe(false);
    advance(60_000);
    const done = (await api().get(`/api/machineactions/${actionId}`)).data;
    expect(done).toMatchObject({ status: 'Succeeded', lastUpdateDateTimeUtc: expect.stringMatching(/Z$/) });
    expect(emu.control.mde.getMachineState('contoso', id)).toMatchObject({ isolated: true, isolationType: 'Selective' });
    const release = await api().post(`/api/machines/${id}/unisolate`, { Comment: 'release' });
    advance(80_000);
    expect(await status(String(release.data.id))).toBe('Succeeded');
    expect(emu.control.mde.getMachineState('contoso', id)).toMatchObject({ isolated: false, isolationType: null });
  });

  test('durations are configurable; restriction and scan state follow', async () => {
    emu.control.mde.setLifecycle('contoso', { pendingMs: 1000, inProgressMs: 1000 });
    const id = machineId();
    const restrict = await api().post(`/api/machines/${id}/restrictCodeExecution`, { Comment: 'r' });
    const scan = await api().post(`/api/machines/${id}/runAntiVirusScan`, { Comment: 's', ScanType: 'Full' });
    advance(2000);
    expect(await status(String(restrict.data.id))).toBe('Succeeded');
    expect(await status(String(scan.data.id))).toBe('Succeeded');
    expect(emu.control.mde.getMachineState('contoso', id)).toMatchObject({ restricted: true, lastScan: { scanType: 'Full' } });
  });

  test('an offline machine stays Pending, then TimeOut; forceStatus Failed fails the action', async () => {
    const [a, b] = evidenceDevices(emu);
    emu.control.mde.setMachineOverride('contoso', a.mdeDeviceId, { offline: true });
    emu.control.mde.setMachineOverride('contoso', b.mdeDeviceId, { forceStatus: 'Failed' });
    const offline = await api().post(`/api/machines/${a.mdeDeviceId}/isolate`, { Comment: 'x' });
    const failing = await api().post(`/api/machines/${b.mdeDeviceId}/isolate`, { Comment: 'x' });
    advance(20 * 60_000);
    expect(await status(String(offline.data.id))).toBe('Pending');
    expect(await status(String(failing.data.id))).toBe('Failed');
    advance(10 * 60_000);
    expect(await status(String(offline.data.id))).toBe('TimeOut');
    expect(emu.control.mde.getMachineState('contoso', a.mdeDeviceId)?.isolated).toBe(false);
    expect(emu.control.mde.getMachineState('contoso', b.mdeDeviceId)?.isolated).toBe(false);
  });
});

describe('duplicates and already applied', () => {
  test('a second action of the same type while one is live → 400 ActiveRequestAlreadyExists (observed)', async () => {
    const id = machineId();
    const first = await api().post(`/api/machines/${id}/isolate`, { Comment: 'one' });
    advance(30_000);
    const second = await api().post(`/api/machines/${id}/isolate`, { Comment: 'two' });
    expect(second.status).toBe(400);
    expect(second.data.error).toMatchObject({ code: 'ActiveRequestAlreadyExists', message: 'Action is already in progress' });
    expect(second.data.error.target).toMatch(GUID);
    expect(emu.control.mde.listActions('contoso')).toHaveLength(1);
    // Another type is not a duplicate.
    expect((await api().post(`/api/machines/${id}/runAntiVirusScan`, { Comment: 's', ScanType: 'Quick' })).status).toBe(201);
    advance(60_000);
    expect(await status(String(first.data.id))).toBe('Succeeded');
  });

  test("duplicateMode '201-existing' answers 201 with the live action; a package collection is always 400", async () => {
    emu.control.mde.setSettings('contoso', { duplicateMode: '201-existing' });
    const id = machineId();
    const first = await api().post(`/api/machines/${id}/restrictCodeExecution`, { Comment: 'one' });
    const again = await api().post(`/api/machines/${id}/restrictCodeExecution`, { Comment: 'two' });
    expect(again.status).toBe(201);
    expect(again.data.id).toBe(first.data.id);
    expect(again.data.requestorComment).toBe('one');
    expect((await api().post(`/api/machines/${id}/collectInvestigationPackage`, { Comment: 'p' })).status).toBe(201);
    const collect = await api().post(`/api/machines/${id}/collectInvestigationPackage`, { Comment: 'p' });
    expect(collect.status).toBe(400);
    expect(collect.data.error.code).toBe('ActiveRequestAlreadyExists');
  });

  test("isolating an isolated machine: 201 by default (undocumented), 400 with alreadyAppliedMode '400'", async () => {
    const id = machineId();
    emu.control.mde.setMachineState('contoso', id, { isolated: true, isolationType: 'Full' });
    expect((await api().post(`/api/machines/${id}/isolate`, { Comment: 'x' })).status).toBe(201);
    emu.control.mde.reset('contoso');
    emu.control.mde.setMachineState('contoso', id, { isolated: true, isolationType: 'Full' });
    emu.control.mde.setSettings('contoso', { alreadyAppliedMode: '400' });
    const refused = await api().post(`/api/machines/${id}/isolate`, { Comment: 'x' });
    expect(refused.status).toBe(400);
    expect(refused.data.error.message).toBe('Machine is already isolated.');
  });
});

describe('cancel, list, package link', () => {
  test('cancel a Pending action → 200 Cancelled with who and why; a finished one → 400; unknown → 404', async () => {
    const id = machineId();
    const created = await api().post(`/api/machines/${id}/isolate`, { Comment: 'x' });
    const cancelled = await api().post(`/api/machineactions/${created.data.id}/cancel`, { Comment: 'mistake' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.data).toMatchObject({ status: 'Cancelled', cancellationComment: 'mistake', cancellationRequestor: emu.tenants.contoso.credentials.apps.full.clientId });
    advance(120_000);
    expect(await status(String(created.data.id))).toBe('Cancelled');
    expect(emu.control.mde.getMachineState('contoso', id)?.isolated).toBe(false);
    expect((await api().post(`/api/machineactions/${created.data.id}/cancel`, { Comment: 'again' })).status).toBe(400);
    expect((await api().post(`/api/machineactions/${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}/cancel`, { Comment: 'x' })).status).toBe(404);
  });

  test('GET /api/machineactions filters on machineId, type, status; newest first', async () => {
    const [a, b] = evidenceDevices(emu);
    await api().post(`/api/machines/${a.mdeDeviceId}/isolate`, { Comment: 'x' });
    advance(1000);
    await api().post(`/api/machines/${a.mdeDeviceId}/runAntiVirusScan`, { Comment: 'x', ScanType: 'Quick' });
    await api().post(`/api/machines/${b.mdeDeviceId}/isolate`, { Comment: 'x' });
    const all = await api().get('/api/machineactions');
    expect(all.data.value).toHaveLength(3);
    expect(all.data.value[2].type).toBe('Isolate');
    const filtered = await api().get('/api/machineactions', { params: { $filter: `machineId eq '${a.mdeDeviceId}' and type eq 'Isolate'` } });
    expect(filtered.data.value).toHaveLength(1);
    expect((await api().get('/api/machineactions', { params: { $filter: "status eq 'Pending'" } })).data.value).toHaveLength(3);
    expect((await api().get('/api/machineactions', { params: { $filter: "status eq 'Succeeded'" } })).data.value).toEqual([]);
    expect((await api().get('/api/machineactions?$top=10001')).status).toBe(400);
  });

  test('GetPackageUri: 404 until the collection succeeded, then a read link on the emulator blob host', async () => {
    const created = await api().post(`/api/machines/${machineId()}/collectInvestigationPackage`, { Comment: 'forensics' });
    const early = await api().get(`/api/machineactions/${created.data.id}/GetPackageUri`);
    expect(early.status).toBe(404);
    advance(80_000);
    const res = await api().get(`/api/machineactions/${created.data.id}/GetPackageUri`);
    expect(res.status).toBe(200);
    const url = new URL(String(res.data.value));
    expect(url.origin).toBe(emu.identityUrl);
    expect(url.searchParams.get('sig')).toBeTruthy();
    expect(url.searchParams.get('sp')).toBe('r');
    expect((await rawClient(emu).get(String(res.data.value))).status).toBe(200);
    expect((await rawClient(emu).get(String(res.data.value).replace(/sig=[^&]+/, 'sig=forged'))).status).toBe(403);
    // Also the lower-case spelling the page's HTTP request line shows; another action type is refused.
    expect((await api().get(`/api/machineactions/${created.data.id}/getPackageUri`)).status).toBe(200);
    const isolate = await api().post(`/api/machines/${machineId()}/isolate`, { Comment: 'x' });
    expect((await api().get(`/api/machineactions/${isolate.data.id}/GetPackageUri`)).status).toBe(400);
  });
});
