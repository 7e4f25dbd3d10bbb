// Fault injection (every kind), drift, request log, the HTTP control API, reset and multi-tenant.
import https from 'https';
import { startEmulator, RunningEmulator } from '../../emulator';
import { apiClient, rawClient, tokenHeader } from '../support/emulator-client';
import type { AxiosInstance } from 'axios';

let emu: RunningEmulator;
let api: AxiosInstance;
beforeAll(async () => {
  emu = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }, { name: 'fabrikam', seed: 2, counts: { alerts: 30, activities: 40, entities: 10, files: 5, subnets: 2, streams: 1 }, throttle: false }] });
  api = apiClient(emu, tokenHeader(emu));
});
afterAll(() => emu.close());
beforeEach(() => emu.control.resetRequestLog('contoso'));

describe('response faults', () => {
  test('429 with and without Retry-After, 5xx, then normal again', async () => {
    emu.control.injectFaults('contoso', [{ status: 429, headers: { 'Retry-After': '7' } }, { status: 429 }, { status: 502 }, { status: 503 }, { status: 504 }, { status: 500 }]);
    const a = await api.get('/api/v1/alerts/');
    expect([a.status, a.headers['retry-after'], a.statusText]).toEqual([429, '7', 'TOO MANY REQUESTS']);
    const b = await api.get('/api/v1/alerts/');
    expect([b.status, b.headers['retry-after']]).toEqual([429, undefined]);
    for (const s of [502, 503, 504, 500]) expect((await api.get('/api/v1/alerts/')).status).toBe(s);
    expect((await api.get('/api/v1/alerts/')).status).toBe(200);
  });

  test('HTML login page, truncated JSON, wrong content type, envelope without data', async () => {
    emu.control.injectFaults('contoso', [
      { status: 200, body: '<html><body>Sign in to your account</body></html>' },
      { status: 200, body: '{"data":[{"_id":"60', contentType: 'application/json' },
      { status: 200, body: { data: [], hasNext: false, total: 0 }, contentType: 'text/plain' },
      { status: 200, body: { hasNext: false, total: 0 } },
    ]);
    const html = await api.get('/api/v1/alerts/', { responseType: 'text' });
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.data).toContain('Sign in');
    const truncated = await api.get('/api/v1/alerts/', { responseType: 'text', transformResponse: (d: unknown) => d });
    expect(() => JSON.parse(String(truncated.data))).toThrow();
    expect((await api.get('/api/v1/alerts/')).headers['content-type']).toBe('text/plain');
    expect((await api.get('/api/v1/alerts/')).data).toEqual({ hasNext: false, total: 0 });
  });

  test('match by method and path, times', async () => {
    emu.control.injectFaults('contoso', [{ status: 503, match: { method: 'POST', pathIncludes: '/subnet/' }, times: 2 }]);
    expect((await api.get('/api/v1/alerts/')).status).toBe(200);
    expect((await api.get('/api/v1/subnet/')).status).toBe(200);
    expect((await api.post('/api/v1/subnet/')).status).toBe(503);
    expect((await api.post('/cas/api/v1/subnet/')).status).toBe(503);
    expect((await api.post('/api/v1/subnet/')).status).toBe(200);
  });

  test('huge streamed body (N MiB)', async () => {
    emu.control.injectFaults('contoso', [{ status: 200, hugeBodyMb: 3 }]);
    const res = await api.get('/api/v1/alerts/', { responseType: 'arraybuffer' });
    expect(res.status).toBe(200);
    expect((res.data as ArrayBuffer).byteLength).toBeGreaterThan(3 * 1024 * 1024);
  });
});

describe('connection faults', () => {
  test('delay then normal', async () => {
    emu.control.injectFaults('contoso', [{ delayMs: 400 }]);
    const t0 = Date.now();
    expect((await api.get('/api/v1/alerts/?limit=1')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(380);
  });

  test('reset before: nothing applied; reset after: applied but the answer is lost', async () => {
    const before = emu.control.getSubnets('contoso').length;
    emu.control.injectFaults('contoso', [{ reset: 'before', match: { pathIncludes: 'create_rule' } }]);
    await expect(api.post('/api/v1/subnet/create_rule/', { name: 'Lost 1', category: 1, subnets: ['10.1.0.0/16'] })).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|EPIPE|ERR_/) });
    expect(emu.control.getSubnets('contoso')).toHaveLength(before);
    emu.control.injectFaults('contoso', [{ reset: 'after', match: { pathIncludes: 'create_rule' } }]);
    await expect(api.post('/api/v1/subnet/create_rule/', { name: 'Lost 2', category: 1, subnets: ['10.2.0.0/16'] })).rejects.toBeDefined();
    expect(emu.control.getSubnets('contoso').map((s) => s.name)).toContain('Lost 2');
    const log = emu.control.requestLog('contoso');
    expect(log.map((e) => e.fault)).toEqual(['reset:before', 'reset:after']);
  });

  test('blackhole: accepted, never answered (client timeout)', async () => {
    emu.control.injectFaults('contoso', [{ blackhole: true }]);
    await expect(api.get('/api/v1/alerts/', { timeout: 300 })).rejects.toMatchObject({ code: 'ECONNABORTED' });
    expect((await api.get('/api/v1/alerts/?limit=1')).status).toBe(200);
  });
});

describe('drift and ground truth', () => {
  test('insertAlerts fills defaults; updateAlert; late arrivals with older timestamps', async () => {
    const [fresh] = emu.control.insertAlerts('contoso', [{ title: 'Drift alert', severityValue: 2 }]);
    expect(fresh).toEqual(expect.objectContaining({ _id: expect.stringMatching(/^[0-9a-f]{24}$/), title: 'Drift alert', severityValue: 2, timestamp: expect.any(Number), entities: expect.any(Array) }));
    const newest = (await api.post('/api/v1/alerts/', { limit: 1 })).data.data[0];
    expect(newest._id).toBe(fresh._id);
    const old = emu.control.listAlerts('contoso')[200].timestamp as number;
    const [late] = emu.control.insertAlerts('contoso', [{ timestamp: old - 1, title: 'Late arrival' }]);
    const window = (await api.post('/api/v1/alerts/', { filters: { date: { lte: old } }, limit: 100 })).data.data.map((a: { _id: string }) => a._id);
    expect(window).toContain(late._id);
    emu.control.updateAlert('contoso', fresh._id as string, { resolutionStatusValue: 5 });
    expect((await api.get(`/api/v1/alerts/${fresh._id}/`)).data.resolutionStatusValue).toBe(5);
    const [act] = emu.control.insertActivities('contoso', [{ timestamp: emu.control.now() - 30 * 86400_000, description: 'late' }]);
    expect((await api.get(`/api/v1/activities/${act._id}/`)).data.description).toBe('late');
  });
});

describe('request log', () => {
  test('records method, path without query, auth kind, status, body bytes; never credentials', async () => {
    await api.post('/api/v1/alerts/?secret=abc', { limit: 1 });
    await apiClient(emu).get('/api/v1/alerts/');
    await apiClient(emu, `Bearer ${emu.control.mintAccessToken('contoso')}`).get('/api/v1/files/?limit=1');
    const log = emu.control.requestLog('contoso');
    expect(log).toEqual([
      expect.objectContaining({ method: 'POST', path: '/api/v1/alerts/', authKind: 'token', status: 200, throttled: false, bodyBytes: 11, at: expect.any(Number) }),
      expect.objectContaining({ method: 'GET', path: '/api/v1/alerts/', authKind: 'none', status: 401 }),
      expect.objectContaining({ method: 'GET', path: '/api/v1/files/', authKind: 'bearer', status: 200 }),
    ]);
    expect(JSON.stringify(log)).not.toMatch(/abc|Token |Bearer /);
  });
});

describe('HTTP control API', () => {
  test('state, faults, alerts, activities, requests, throttle, clock, reset', async () => {
    const http = rawClient(emu, `${emu.identityUrl}/_emulator`);
    const state = (await http.get('/state')).data;
    expect(state.tenants.contoso.apiUrl).toBe(emu.tenants.contoso.apiUrl);
    expect(state.tenants.contoso.credentials.apps.cert.privateKeyPem).toContain('PRIVATE KEY');
    expect(state.caFile).toBe(emu.caFile);

    expect((await http.post('/tenants/contoso/faults', [{ status: 418 }])).status).toBe(200);
    expect((await api.get('/api/v1/alerts/')).status).toBe(418);
    const inserted = (await http.post('/tenants/fabrikam/alerts', { alerts: [{ title: 'via http' }] })).data;
    expect(inserted[0].title).toBe('via http');
    expect((await http.get(`/tenants/fabrikam/alerts/${inserted[0]._id}`)).data.title).toBe('via http');
    expect((await http.patch(`/tenants/fabrikam/alerts/${inserted[0]._id}`, { statusValue: 1 })).data.statusValue).toBe(1);
    expect((await http.get('/tenants/fabrikam/alerts')).data).toHaveLength(31);
    expect((await http.post('/tenants/fabrikam/activities', [{ description: 'x' }])).data).toHaveLength(1);
    expect((await http.get('/tenants/fabrikam/activities')).data.count).toBe(41);
    expect((await http.get('/tenants/contoso/requests')).data.length).toBeGreaterThan(0);
    expect((await http.post('/clock', { offsetMs: 5000 })).data.offsetMs).toBe(5000);
    await http.post('/clock', { offsetMs: 0 });
    await http.post('/tenants/fabrikam/throttle', { limit: 1, windowMs: 60000 });
    const fab = apiClient(emu, tokenHeader(emu, 'full', 'fabrikam'), 'fabrikam');
    expect((await fab.get('/api/v1/alerts/')).status).toBe(200);
    expect((await fab.get('/api/v1/alerts/')).status).toBe(429);
    expect((await http.get('/tenants/nope/alerts')).status).toBe(400);

    await http.post('/tenants/fabrikam/reset');
    expect((await http.get('/tenants/fabrikam/alerts')).data).toHaveLength(30);
    expect((await fab.get('/api/v1/alerts/')).status).toBe(200); // throttle window cleared by reset
    expect((await http.get('/tenants/fabrikam/requests')).data).toHaveLength(1);
  });

  test('reseeding is deterministic per seed; tenants differ', async () => {
    emu.control.reset('contoso');
    const before = emu.control.listAlerts('contoso').map((a) => a._id).slice(0, 50);
    emu.control.insertAlerts('contoso', [{ title: 'drift' }]);
    emu.control.reset('contoso');
    const after = emu.control.listAlerts('contoso').map((a) => a._id).slice(0, 50);
    expect(after).toEqual(before);
    expect(emu.control.listAlerts('fabrikam')[0]._id).not.toBe(after[0]);
    expect(emu.tenants.fabrikam.apiUrl).not.toBe(emu.tenants.contoso.apiUrl);
  });
});

test('the CA is a real trust anchor: a client without it is refused', async () => {
  // Its own CA: the run's CA is trusted by the whole test process (test/support/run-ca.js).
  const own = await startEmulator({ tenants: [{ name: 'contoso', throttle: false, counts: { alerts: 5, activities: 5, entities: 5, files: 1, subnets: 1, streams: 1 } }], ca: 'fresh' });
  try {
    const noCa = rawClient(own);
    noCa.defaults.httpsAgent = new https.Agent({ keepAlive: false });
    await expect(noCa.get(`${own.tenants.contoso.apiUrl}/api/v1/alerts/`)).rejects.toMatchObject({ code: expect.stringMatching(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/) });
    const localhost = rawClient(own, own.tenants.contoso.apiUrl.replace('127.0.0.1', 'localhost'));
    expect((await localhost.get('/api/v1/alerts/', { headers: { authorization: tokenHeader(own) } })).status).toBe(200);
  } finally {
    await own.close();
  }
});
