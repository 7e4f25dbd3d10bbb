// The emulated Defender for Endpoint listener under stress: the documented 100/min and 1,500/h
// throttle with Retry-After, injected faults (a lost response applies the action once), the
// request log tests count sends with, and the control API over HTTP.
import { startEmulator, RunningEmulator } from '../../emulator';
import { MDE_DEFAULT_THROTTLE } from '../../emulator/mde/throttle';
import { rawClient } from '../support/emulator-client';
import { evidenceDevices, mdeApi, mdeAppToken } from '../support/mde-emulator';

let emu: RunningEmulator;
let token: string;
beforeAll(async () => {
  // tailspin keeps its throttle on (the default); contoso's is off.
  emu = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }, { name: 'tailspin', seed: 3 }] });
  token = await mdeAppToken(emu, 'full', 'tailspin');
});
afterAll(() => emu.close());
afterEach(() => emu.control.mde.reset('tailspin'));

const api = () => mdeApi(emu, token, 'tailspin');
const machineId = () => evidenceDevices(emu, 'tailspin')[0].mdeDeviceId;
const log = () => emu.control.mde.requestLog('tailspin');

describe('throttle', () => {
  test('the 101st call within a minute → 429 TooManyRequests with Retry-After; nothing else counted', async () => {
    for (let i = 0; i < 100; i++) expect((await api().get(`/api/machines/${machineId()}`)).status).toBe(200);
    const refused = await api().post(`/api/machines/${machineId()}/isolate`, { Comment: 'x' });
    expect(refused.status).toBe(429);
    expect(refused.data.error).toMatchObject({ code: 'TooManyRequests', message: 'API calls quota exceeded! maximum allowed 100 per 00:01:00' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(emu.control.mde.listActions('tailspin')).toHaveLength(0);
    expect(log().filter((e) => e.throttled)).toHaveLength(1);
  });

  test('the hour window, custom numbers, and the header-less mode', async () => {
    emu.control.mde.setThrottle('tailspin', { perMinute: 1000, perHour: 3, retryAfterHeader: false });
    for (let i = 0; i < 3; i++) expect((await api().get('/api/machines?$top=1')).status).toBe(200);
    const refused = await api().get('/api/machines?$top=1');
    expect(refused.status).toBe(429);
    expect(refused.data.error.message).toContain('per 01:00:00');
    expect(refused.headers['retry-after']).toBeUndefined();
    emu.control.mde.setThrottle('tailspin', false);
    expect((await api().get('/api/machines?$top=1')).status).toBe(200);
  });

  test("on the emulator's clock: moving the clock a minute frees the window; admissions are stamped on that clock", async () => {
    emu.control.mde.setThrottle('tailspin', { perMinute: 2, clock: 'emulator' });
    try {
      const start = emu.control.now();
      for (let i = 0; i < 2; i++) expect((await api().get('/api/machines?$top=1')).status).toBe(200);
      expect((await api().get('/api/machines?$top=1')).status).toBe(429);
      emu.control.setClockOffsetMs(emu.control.clockOffsetMs() + 60_000);
      expect((await api().get('/api/machines?$top=1')).status).toBe(200);
      const admitted = emu.control.mde.throttleAdmissions('tailspin');
      expect(admitted).toHaveLength(3);
      expect(admitted[2] - admitted[0]).toBeGreaterThanOrEqual(60_000);
      expect(admitted[0]).toBeGreaterThanOrEqual(start);
    } finally {
      emu.control.setClockOffsetMs(0);
      emu.control.mde.setThrottle('tailspin', MDE_DEFAULT_THROTTLE);
    }
  });

  test('time-scaled windows (benchmarks): the message names the window', async () => {
    emu.control.mde.setThrottle('tailspin', { perMinute: 1, minuteWindowMs: 6_000, hourWindowMs: 360_000 });
    expect((await api().get('/api/machines?$top=1')).status).toBe(200);
    const refused = await api().get('/api/machines?$top=1');
    expect(refused.status).toBe(429);
    expect(refused.data.error.message).toBe('API calls quota exceeded! maximum allowed 1 per 00:00:06');
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(6);
    emu.control.mde.setThrottle('tailspin', MDE_DEFAULT_THROTTLE);
  });
});

describe('faults and the request log', () => {
  test("reset 'after': the isolate is applied once, the response is lost, the log shows the one send", async () => {
    emu.control.mde.injectFaults('tailspin', [{ match: { method: 'POST', pathIncludes: '/isolate' }, reset: 'after' }]);
    const lost = await api()
      .post(`/api/machines/${machineId()}/isolate`, { Comment: 'contain', IsolationType: 'Full' })
      .then(
        () => 'answered',
        (e: NodeJS.ErrnoException) => e.code,
      );
    expect(lost).toMatch(/ECONNRESET|socket hang up|ERR_/);
    const actions = emu.control.mde.listActions('tailspin');
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({ type: 'Isolate', status: 'Pending', requestorComment: 'contain' });
    const sends = log().filter((e) => e.method === 'POST');
    expect(sends).toHaveLength(1);
    expect(sends[0]).toMatchObject({ path: `/api/machines/${machineId()}/isolate`, status: 0, fault: 'reset:after', actionId: actions[0].id });
    expect(JSON.parse(String(sends[0].body))).toEqual({ Comment: 'contain', IsolationType: 'Full' });
    // A retry is a duplicate: the emulator refuses it, as the service does.
    expect((await api().post(`/api/machines/${machineId()}/isolate`, { Comment: 'contain', IsolationType: 'Full' })).data.error.code).toBe('ActiveRequestAlreadyExists');
  });

  test("reset 'before' applies nothing; a 503 fault answers the MDE error body; delay then answers", async () => {
    emu.control.mde.injectFaults('tailspin', [
      { match: { method: 'POST' }, reset: 'before' },
      { match: { method: 'POST' }, status: 503 },
      { match: { method: 'GET' }, delayMs: 50 },
    ]);
    await expect(api().post(`/api/machines/${machineId()}/isolate`, { Comment: 'x' })).rejects.toThrow();
    const unavailable = await api().post(`/api/machines/${machineId()}/isolate`, { Comment: 'x' });
    expect(unavailable.status).toBe(503);
    expect(unavailable.data.error.code).toBe('InternalServerError');
    expect(emu.control.mde.listActions('tailspin')).toHaveLength(0);
    expect((await api().get(`/api/machines/${machineId()}`)).status).toBe(200);
    expect(log().map((e) => e.fault)).toEqual(['reset:before', 'status:503', 'delay:50']);
  });
});

describe('control API over HTTP', () => {
  test('machines, state, overrides, settings, lifecycle, actions, requests, reset under /_emulator/mde/', async () => {
    const control = rawClient(emu, `${emu.identityUrl}/_emulator/mde/tenants/tailspin`);
    const listed = await control.get('/machines');
    expect(listed.data.length).toBeGreaterThanOrEqual(60);
    const inserted = await control.post('/machines', { machines: [{ id: 'ab'.repeat(20), computerDnsName: 'new-host.tailspin.example', riskScore: 'High' }] });
    expect(inserted.data[0]).toMatchObject({ id: 'ab'.repeat(20), osPlatform: expect.any(String) });
    expect((await api().get('/api/machines/new-host.tailspin.example')).data.riskScore).toBe('High');
    expect((await control.patch(`/machines/${'ab'.repeat(20)}`, { healthStatus: 'Inactive' })).data.healthStatus).toBe('Inactive');
    expect((await control.post(`/machines/${'ab'.repeat(20)}/override`, { offline: true })).status).toBe(200);
    expect((await control.get('/overrides')).data).toEqual({ ['ab'.repeat(20)]: { offline: true } });
    expect((await control.post('/settings', { duplicateMode: '201-existing' })).status).toBe(200);
    expect((await control.post('/lifecycle', { pendingMs: 5 })).status).toBe(200);
    expect((await control.get('/settings')).data).toMatchObject({ duplicateMode: '201-existing', lifecycle: { pendingMs: 5, inProgressMs: 60_000 } });
    await api().post(`/api/machines/${'ab'.repeat(20)}/isolate`, { Comment: 'x' });
    expect((await control.get('/actions')).data[0]).toMatchObject({ type: 'Isolate', status: 'Pending' });
    expect((await control.post(`/machines/${'ab'.repeat(20)}/state`, { restricted: true })).data.restricted).toBe(true);
    expect((await control.get('/requests')).data.some((e: { path: string }) => e.path.endsWith('/isolate'))).toBe(true);
    expect((await control.post('/reset')).status).toBe(200);
    expect((await control.get(`/machines/${'ab'.repeat(20)}`)).data).toBeNull();
    expect((await control.get('/actions')).data).toEqual([]);
  });
});
