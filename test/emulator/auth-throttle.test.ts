// Authentication/permission answers (legacy token and Entra bearer) and throttling (30 per minute
// per tenant).
import { randomUUID } from 'crypto';
import { startEmulator, RunningEmulator } from '../../emulator';
import { apiClient, appToken, tokenHeader } from '../support/emulator-client';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({
    tenants: [
      { name: 'contoso', throttle: false },
      { name: 'fabrikam', seed: 2, counts: { alerts: 10, activities: 20 }, throttle: false },
      { name: 'tailspin', seed: 3, counts: { alerts: 5, activities: 10 } },
    ],
    tokenLifetimeSeconds: 3599,
  });
});
afterAll(() => emu.close());

describe('401', () => {
  test('no auth, bad token, garbage bearer, expired JWT, wrong aud, other tenant', async () => {
    const noAuth = await apiClient(emu).get('/api/v1/alerts/');
    expect(noAuth.status).toBe(401);
    expect(noAuth.data).toEqual({ detail: 'Authentication credentials were not provided.' });
    expect((await apiClient(emu, 'Token ' + 'A'.repeat(64)).get('/api/v1/alerts/')).data).toEqual({ detail: 'Invalid token' });
    expect((await apiClient(emu, 'Bearer not.a.jwt').get('/api/v1/alerts/')).status).toBe(401);

    // Expired: issue a token, then move the emulator clock past its expiry.
    const token = await appToken(emu);
    emu.control.setClockOffsetMs(3600_000);
    const expired = await apiClient(emu, `Bearer ${token}`).get('/api/v1/alerts/');
    emu.control.setClockOffsetMs(0);
    expect(expired.status).toBe(401);
    expect((await apiClient(emu, `Bearer ${token}`).get('/api/v1/alerts/')).status).toBe(200);

    // Wrong aud: a validly signed token whose payload is altered fails the signature check.
    const [h, p, s] = token.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...payload, aud: 'https://graph.microsoft.com' })).toString('base64url')}.${s}`;
    expect((await apiClient(emu, `Bearer ${tampered}`).get('/api/v1/alerts/')).status).toBe(401);

    // Another tenant's token and legacy key are refused here.
    const fabToken = await appToken(emu, 'full', 'fabrikam');
    expect((await apiClient(emu, `Bearer ${fabToken}`).get('/api/v1/alerts/')).status).toBe(401);
    expect((await apiClient(emu, `Bearer ${fabToken}`, 'fabrikam').get('/api/v1/alerts/')).status).toBe(200);
    expect((await apiClient(emu, tokenHeader(emu, 'full', 'fabrikam')).get('/api/v1/alerts/')).status).toBe(401);
  });

  test('properly signed tokens with wrong aud / past exp / other tid → 401; api:// aud accepted', async () => {
    const call = (token: string) => apiClient(emu, `Bearer ${token}`).get('/api/v1/alerts/?limit=1');
    expect((await call(emu.control.mintAccessToken('contoso'))).status).toBe(200);
    expect((await call(emu.control.mintAccessToken('contoso', { aud: 'api://05a65629-4c1b-48c1-a78b-804c4abdd4af' }))).status).toBe(200);
    expect((await call(emu.control.mintAccessToken('contoso', { aud: 'https://graph.microsoft.com' }))).status).toBe(401);
    expect((await call(emu.control.mintAccessToken('contoso', { exp: Math.floor(Date.now() / 1000) - 5 }))).status).toBe(401);
    expect((await call(emu.control.mintAccessToken('contoso', { tid: emu.tenants.fabrikam.tenantId }))).status).toBe(401);
    // Permission names are compared case-insensitively (Microsoft's table, UI and scripts spell
    // them differently).
    expect((await call(emu.control.mintAccessToken('contoso', { roles: ['investigation.READ'] }))).status).toBe(200);
    expect((await call(emu.control.mintAccessToken('contoso', { roles: [] }))).status).toBe(403);
  });

  test('legacy token header variants', async () => {
    const key = emu.tenants.contoso.credentials.legacyTokens.full;
    for (const header of [`Token ${key}`, `Token:${key}`, `token  ${key}`, key]) {
      expect((await apiClient(emu, header).get('/api/v1/alerts/?limit=1')).status).toBe(200);
    }
    const deprov = await apiClient(emu, tokenHeader(emu, 'deprovisioned')).get('/api/v1/alerts/');
    expect(deprov.status).toBe(403);
    expect(deprov.data).toEqual({ detail: 'Invalid user - the owner of this token is not permitted to use tokens' });
  });
});

describe('403 names the missing permission', () => {
  test('reader app: close and subnet create refused; reads allowed', async () => {
    const reader = apiClient(emu, `Bearer ${await appToken(emu, 'reader')}`);
    expect((await reader.get('/api/v1/alerts/?limit=1')).status).toBe(200);
    const close = await reader.post('/api/v1/alerts/close_benign/', { filters: { id: { eq: ['ffffffffffffffffffffffff'] } }, reasonId: 2 });
    expect(close.status).toBe(403);
    expect(close.data).toEqual({ detail: 'You do not have permission to perform this action. Required permission: Investigation.manage (or Discovery.manage)' });
    const subnet = await reader.post('/api/v1/subnet/create_rule/', { name: 'x', category: 1, subnets: ['10.0.0.0/8'] });
    expect(subnet.status).toBe(403);
    expect(subnet.data.detail).toContain('Required permission: Investigation.manage (or Settings.manage)');
    const streams = await reader.get('/api/discovery/streams/');
    expect(streams.status).toBe(403);
    expect(streams.data.detail).toContain('Discovery.read');
  });

  test('read-only legacy token cannot close, create or upload', async () => {
    const ro = apiClient(emu, tokenHeader(emu, 'readonly'));
    expect((await ro.get('/api/v1/activities/?limit=1')).status).toBe(200);
    expect((await ro.post('/api/v1/alerts/close_true_positive/', { filters: { id: { eq: ['ffffffffffffffffffffffff'] } } })).status).toBe(403);
    expect((await ro.post('/api/v1/subnet/create_rule/', { name: 'x', category: 1, subnets: ['10.0.0.0/8'] })).status).toBe(403);
    expect((await ro.get('/api/v1/discovery/upload_url/?filename=a.log&source=SQUID')).data.detail).toContain('Discovery.manage');
  });
});

describe('throttling', () => {
  test('31st request within 60 s → 429 TOO MANY REQUESTS + Retry-After; logged as throttled', async () => {
    const api = apiClient(emu, tokenHeader(emu, 'full', 'tailspin'), 'tailspin');
    for (let i = 0; i < 30; i++) expect((await api.get('/api/v1/alerts/?limit=1')).status).toBe(200);
    const res = await api.get('/api/v1/alerts/?limit=1');
    expect(res.status).toBe(429);
    expect(res.statusText).toBe('TOO MANY REQUESTS');
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(55);
    expect(res.data.detail).toMatch(/^Request was throttled\. Expected available in \d+ seconds\.$/);
    const log = emu.control.requestLog('tailspin');
    expect(log).toHaveLength(31);
    expect(log.filter((e) => e.throttled)).toHaveLength(1);
    expect(log[30]).toEqual(expect.objectContaining({ status: 429, throttled: true, authKind: 'token', method: 'GET', path: '/api/v1/alerts/' }));
    expect(JSON.stringify(log)).not.toContain(emu.tenants.tailspin.credentials.legacyTokens.full);
    // Throttling is per tenant: contoso is unaffected.
    expect((await apiClient(emu, tokenHeader(emu)).get('/api/v1/alerts/?limit=1')).status).toBe(200);
  });

  test('time-scaled window (5 per 1.5 s), Retry-After switchable off', async () => {
    emu.control.setThrottle('tailspin', { limit: 5, windowMs: 1500, retryAfterHeader: false });
    const api = apiClient(emu, tokenHeader(emu, 'full', 'tailspin'), 'tailspin');
    for (let i = 0; i < 5; i++) expect((await api.get('/api/v1/alerts/?limit=1')).status).toBe(200);
    const throttled = await api.get('/api/v1/alerts/?limit=1');
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBeUndefined();
    await new Promise((r) => setTimeout(r, 1600));
    expect((await api.get('/api/v1/alerts/?limit=1')).status).toBe(200);
    emu.control.setThrottle('tailspin', false);
    for (let i = 0; i < 40; i++) expect((await api.get('/api/v1/alerts/?limit=1')).status).toBe(200);
  });

  test('blob PUTs and control calls do not count', async () => {
    emu.control.setThrottle('tailspin', { limit: 3, windowMs: 60_000, retryAfterHeader: true });
    const api = apiClient(emu, tokenHeader(emu, 'full', 'tailspin'), 'tailspin');
    const url = (await api.get(`/api/v1/discovery/upload_url/?filename=${randomUUID()}.log&source=SQUID`)).data.url as string;
    const blob = apiClient(emu);
    for (let i = 0; i < 5; i++) expect((await blob.put(url, 'x', { headers: { 'x-ms-blob-type': 'BlockBlob' } })).status).toBe(201);
    for (let i = 0; i < 5; i++) emu.control.listAlerts('tailspin');
    expect((await api.get('/api/v1/alerts/?limit=1')).status).toBe(200);
    expect((await api.get('/api/v1/alerts/?limit=1')).status).toBe(200);
    expect((await api.get('/api/v1/alerts/?limit=1')).status).toBe(429);
  });
});
