// Entra ID side of the emulator over raw HTTPS: discovery documents, every grant, the exact
// error answers, token faults and token-request counting.
import { createSign, constants, generateKeyPairSync, sign as cryptoSign, randomUUID } from 'crypto';
import { startEmulator, RunningEmulator, MDCA_RESOURCE_APP_ID } from '../../emulator';
import { apiClient, rawClient, tokenRequest } from '../support/emulator-client';

let emu: RunningEmulator;
const b64u = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
const decode = (jwt: string): Record<string, unknown> => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;

beforeAll(async () => {
  emu = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }, { name: 'fabrikam', seed: 2, counts: { alerts: 20, activities: 50 }, throttle: false }], deviceCodeLifetimeSeconds: 2, deviceCodeIntervalSeconds: 1 });
});
afterAll(() => emu.close());

const contoso = () => emu.tenants.contoso;
const full = () => contoso().credentials.apps.full;

test('OpenID configuration and JWKS point back at the identity listener, by GUID, name and common', async () => {
  const http = rawClient(emu);
  for (const seg of [contoso().tenantId, 'contoso', 'common']) {
    const res = await http.get(`${emu.identityUrl}/${seg}/v2.0/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    for (const k of ['issuer', 'authorization_endpoint', 'token_endpoint', 'device_authorization_endpoint', 'jwks_uri']) expect(String(res.data[k]).startsWith(emu.identityUrl)).toBe(true);
    expect(res.data.token_endpoint).toBe(`${emu.identityUrl}/${seg}/oauth2/v2.0/token`);
    const keys = await http.get(res.data.jwks_uri);
    expect(keys.data.keys[0]).toEqual(expect.objectContaining({ kty: 'RSA', kid: expect.any(String), n: expect.any(String), e: 'AQAB' }));
  }
  const unknown = await http.get(`${emu.identityUrl}/nope/v2.0/.well-known/openid-configuration`);
  expect(unknown.status).toBe(400);
  expect(unknown.data.error_codes).toEqual([90002]);
});

test('client_credentials with secret: v2 scope, v1 resource, v1 with v2-style scope, Basic auth', async () => {
  const base = { grant_type: 'client_credentials', client_id: full().clientId, client_secret: full().clientSecret };
  const v2 = await tokenRequest(emu, contoso().tenantId, { ...base, scope: `${MDCA_RESOURCE_APP_ID}/.default` });
  const v1 = await tokenRequest(emu, contoso().tenantId, { ...base, resource: MDCA_RESOURCE_APP_ID }, 'v1');
  const v1scope = await tokenRequest(emu, 'contoso', { ...base, scope: `${MDCA_RESOURCE_APP_ID}/.default` }, 'v1');
  const basic = await tokenRequest(emu, contoso().tenantId, { grant_type: 'client_credentials', scope: `api://${MDCA_RESOURCE_APP_ID}/.default` }, 'v2', {
    authorization: `Basic ${Buffer.from(`${full().clientId}:${full().clientSecret}`).toString('base64')}`,
  });
  for (const res of [v2, v1, v1scope, basic]) {
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: expect.any(String) });
    const claims = decode(res.data.access_token);
    expect(claims).toEqual(expect.objectContaining({ tid: contoso().tenantId, appid: full().clientId, roles: expect.arrayContaining(['Investigation.manage', 'Settings.read']), iss: `https://sts.windows.net/${contoso().tenantId}/` }));
    expect((claims.exp as number) - (claims.iat as number)).toBe(3599);
    const api = apiClient(emu, `Bearer ${res.data.access_token}`);
    expect((await api.get('/api/v1/alerts/?limit=1')).status).toBe(200);
  }
  expect(decode(basic.data.access_token).aud).toBe(`api://${MDCA_RESOURCE_APP_ID}`);
});

test('AADSTS errors: wrong secret, unknown client, unknown tenant, unsupported grant, bad scope — never echoing secrets', async () => {
  const wrong = await tokenRequest(emu, contoso().tenantId, { grant_type: 'client_credentials', client_id: full().clientId, client_secret: 'super-secret-guess', scope: `${MDCA_RESOURCE_APP_ID}/.default` });
  expect(wrong.status).toBe(401);
  expect(wrong.data).toEqual(expect.objectContaining({ error: 'invalid_client', error_codes: [7000215], trace_id: expect.any(String), correlation_id: expect.any(String), timestamp: expect.any(String) }));
  expect(wrong.data.error_description).toMatch(/^AADSTS7000215: Invalid client secret provided/);
  expect(JSON.stringify(wrong.data)).not.toContain('super-secret-guess');

  const unknownClient = await tokenRequest(emu, contoso().tenantId, { grant_type: 'client_credentials', client_id: randomUUID(), client_secret: 'x', scope: `${MDCA_RESOURCE_APP_ID}/.default` });
  expect(unknownClient.status).toBe(400);
  expect(unknownClient.data.error_codes).toEqual([700016]);
  const unknownTenant = await tokenRequest(emu, randomUUID(), { grant_type: 'client_credentials', client_id: full().clientId, client_secret: full().clientSecret, scope: `${MDCA_RESOURCE_APP_ID}/.default` });
  expect(unknownTenant.status).toBe(400);
  expect(unknownTenant.data).toEqual(expect.objectContaining({ error: 'invalid_request', error_codes: [90002] }));
  const grant = await tokenRequest(emu, contoso().tenantId, { grant_type: 'authorization_code', client_id: full().clientId, client_secret: full().clientSecret });
  expect(grant.data.error).toBe('unsupported_grant_type');
  const scope = await tokenRequest(emu, contoso().tenantId, { grant_type: 'client_credentials', client_id: full().clientId, client_secret: full().clientSecret, scope: 'https://management.azure.com/.default' });
  expect(scope.data.error).toBe('invalid_scope');
  // A fabrikam app cannot get a contoso token.
  const other = emu.tenants.fabrikam.credentials.apps.full;
  const cross = await tokenRequest(emu, contoso().tenantId, { grant_type: 'client_credentials', client_id: other.clientId, client_secret: other.clientSecret, scope: `${MDCA_RESOURCE_APP_ID}/.default` });
  expect(cross.data.error_codes).toEqual([700016]);
});

describe('client assertion (certificate)', () => {
  const tokenUrl = () => `${emu.identityUrl}/${contoso().tenantId}/oauth2/v2.0/token`;
  const assertion = (opts: { alg?: 'RS256' | 'PS256'; exp?: number; aud?: string; key?: string; header?: Record<string, string> } = {}): string => {
    const cert = contoso().credentials.apps.cert;
    const now = Math.floor(Date.now() / 1000);
    const alg = opts.alg ?? 'PS256';
    const header = opts.header ?? (alg === 'PS256' ? { 'x5t#S256': Buffer.from(cert.thumbprintSha256, 'hex').toString('base64url') } : { x5t: Buffer.from(cert.thumbprintSha1, 'hex').toString('base64url') });
    const input = `${b64u({ alg, typ: 'JWT', ...header })}.${b64u({ aud: opts.aud ?? tokenUrl(), iss: cert.clientId, sub: cert.clientId, jti: randomUUID(), nbf: now - 10, iat: now - 10, exp: opts.exp ?? now + 600 })}`;
    const key = opts.key ?? cert.privateKeyPem;
    const sig = alg === 'PS256' ? cryptoSign('sha256', Buffer.from(input), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }) : createSign('sha256').update(input).sign(key);
    return `${input}.${sig.toString('base64url')}`;
  };
  const send = (a: string) =>
    tokenRequest(emu, contoso().tenantId, { grant_type: 'client_credentials', client_id: contoso().credentials.apps.cert.clientId, client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: a, scope: `${MDCA_RESOURCE_APP_ID}/.default` });

  test('PS256 with x5t#S256 and RS256 with x5t are accepted', async () => {
    for (const alg of ['PS256', 'RS256'] as const) {
      const res = await send(assertion({ alg }));
      expect(res.status).toBe(200);
      expect(decode(res.data.access_token).appidacr).toBe('2');
    }
  });

  test('expired → AADSTS700024; wrong key → AADSTS700027; wrong aud rejected; assertion never echoed', async () => {
    const expired = await send(assertion({ exp: Math.floor(Date.now() / 1000) - 60 }));
    expect(expired.status).toBe(401);
    expect(expired.data.error_codes).toEqual([700024]);
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const forged = assertion({ key: otherKey });
    const badSig = await send(forged);
    expect(badSig.data).toEqual(expect.objectContaining({ error: 'invalid_client', error_codes: [700027] }));
    expect(JSON.stringify(badSig.data)).not.toContain(forged.split('.')[2]);
    const badThumb = await send(assertion({ header: { 'x5t#S256': 'AAAA' } }));
    expect(badThumb.data.error_codes).toEqual([700027]);
    const aud = await send(assertion({ aud: 'https://login.microsoftonline.com/x/oauth2/v2.0/token' }));
    expect(aud.data.error).toBe('invalid_client');
  });
});

describe('user flows', () => {
  const pub = () => contoso().credentials.apps.public;
  const analyst = () => contoso().credentials.users.analyst;
  const ropc = (username: string, password: string, scope = `${MDCA_RESOURCE_APP_ID}/Investigation.read ${MDCA_RESOURCE_APP_ID}/Investigation.manage offline_access openid profile`) =>
    tokenRequest(emu, contoso().tenantId, { grant_type: 'password', client_id: pub().clientId, username, password, scope });

  test('ROPC (v2 and v1 as in Microsoft\'s user-context sample) returns id_token, client_info, refresh_token, scp intersection', async () => {
    const res = await ropc(analyst().username, analyst().password);
    expect(res.status).toBe(200);
    expect(res.data).toEqual(expect.objectContaining({ token_type: 'Bearer', refresh_token: expect.any(String), id_token: expect.any(String), client_info: expect.any(String), scope: expect.stringContaining(`${MDCA_RESOURCE_APP_ID}/Investigation.read`) }));
    const at = decode(res.data.access_token);
    expect(at.scp).toBe('Investigation.read Investigation.manage');
    expect(at.roles).toBeUndefined();
    const id = decode(res.data.id_token);
    expect(id).toEqual(expect.objectContaining({ oid: analyst().oid, tid: contoso().tenantId, preferred_username: analyst().username, aud: pub().clientId }));
    expect(JSON.parse(Buffer.from(res.data.client_info, 'base64url').toString())).toEqual({ uid: analyst().oid, utid: contoso().tenantId });
    const v1 = await tokenRequest(emu, contoso().tenantId, { grant_type: 'password', client_id: pub().clientId, username: analyst().username, password: analyst().password, scope: `${MDCA_RESOURCE_APP_ID}/Investigation.read` }, 'v1');
    expect(v1.status).toBe(200);
    const dflt = await ropc(analyst().username, analyst().password, `${MDCA_RESOURCE_APP_ID}/.default`);
    expect(String(decode(dflt.data.access_token).scp).split(' ')).toHaveLength(6);
  });

  test('wrong password → 400 invalid_grant AADSTS50126 without the password', async () => {
    const res = await ropc(analyst().username, 'Wrong-Passw0rd-xyz');
    expect(res.status).toBe(400);
    expect(res.data.error).toBe('invalid_grant');
    expect(res.data.error_codes).toEqual([50126]);
    expect(JSON.stringify(res.data)).not.toContain('Wrong-Passw0rd-xyz');
  });

  test('refresh_token: new tokens; old one stays valid; garbage → AADSTS9002313', async () => {
    const first = await ropc(analyst().username, analyst().password);
    const r1 = await tokenRequest(emu, contoso().tenantId, { grant_type: 'refresh_token', client_id: pub().clientId, refresh_token: first.data.refresh_token, scope: `${MDCA_RESOURCE_APP_ID}/Investigation.read offline_access` });
    expect(r1.status).toBe(200);
    expect(r1.data.refresh_token).not.toBe(first.data.refresh_token);
    expect(decode(r1.data.access_token).scp).toBe('Investigation.read');
    const again = await tokenRequest(emu, contoso().tenantId, { grant_type: 'refresh_token', client_id: pub().clientId, refresh_token: first.data.refresh_token });
    expect(again.status).toBe(200);
    const bad = await tokenRequest(emu, contoso().tenantId, { grant_type: 'refresh_token', client_id: pub().clientId, refresh_token: 'not-a-token' });
    expect(bad.status).toBe(400);
    expect(bad.data).toEqual(expect.objectContaining({ error: 'invalid_grant', error_codes: [9002313] }));
  });

  test('device code: pending → approved → tokens; denied; expired', async () => {
    const http = rawClient(emu);
    const start = async () => (await http.post(`${emu.identityUrl}/${contoso().tenantId}/oauth2/v2.0/devicecode`, new URLSearchParams({ client_id: pub().clientId, scope: `${MDCA_RESOURCE_APP_ID}/Investigation.read offline_access` }).toString())).data;
    const poll = (device_code: string, grant = 'device_code') => tokenRequest(emu, contoso().tenantId, { grant_type: grant, client_id: pub().clientId, device_code });
    const dc = await start();
    expect(dc).toEqual(expect.objectContaining({ device_code: expect.any(String), user_code: expect.any(String), verification_uri: `${emu.identityUrl}/devicelogin`, expires_in: 2, interval: 1, message: expect.stringContaining(dc.user_code) }));
    expect((await poll(dc.device_code)).data.error).toBe('authorization_pending');
    expect(emu.control.lastDeviceCode()?.userCode).toBe(dc.user_code);
    expect(emu.control.approveDeviceCode(dc.user_code, analyst().username)).toBe(true);
    const ok = await poll(dc.device_code, 'urn:ietf:params:oauth:grant-type:device_code');
    expect(ok.status).toBe(200);
    expect(ok.data.id_token).toBeDefined();

    const denied = await start();
    await http.post(`${emu.identityUrl}/_emulator/device-codes/deny`, { userCode: denied.user_code });
    expect((await poll(denied.device_code)).data.error).toBe('authorization_declined');

    const expiring = await start();
    await new Promise((r) => setTimeout(r, 2100));
    expect((await poll(expiring.device_code)).data.error).toBe('expired_token');
  });

  test('reader user: delegated token limited to the user\'s own rights at the API', async () => {
    const reader = contoso().credentials.users.reader;
    const res = await ropc(reader.username, reader.password, `${MDCA_RESOURCE_APP_ID}/.default`);
    const api = apiClient(emu, `Bearer ${res.data.access_token}`);
    expect((await api.get('/api/v1/alerts/?limit=1')).status).toBe(200);
    const close = await api.post('/api/v1/alerts/close_true_positive/', { filters: { id: { eq: ['ffffffffffffffffffffffff'] } } });
    expect(close.status).toBe(403);
  });
});

test('token faults (429 + Retry-After, 500, delay) and per-tenant/client/grant counts', async () => {
  emu.control.resetTokenRequests();
  const form = { grant_type: 'client_credentials', client_id: full().clientId, client_secret: full().clientSecret, scope: `${MDCA_RESOURCE_APP_ID}/.default` };
  emu.control.injectTokenFaults([{ status: 429, times: 2 }, { status: 500 }, { delayMs: 300 }]);
  const a = await tokenRequest(emu, contoso().tenantId, form);
  const b = await tokenRequest(emu, contoso().tenantId, form);
  expect([a.status, b.status]).toEqual([429, 429]);
  expect(a.headers['retry-after']).toBe('60');
  expect((await tokenRequest(emu, contoso().tenantId, form)).status).toBe(500);
  const t0 = Date.now();
  expect((await tokenRequest(emu, contoso().tenantId, form)).status).toBe(200);
  expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
  expect((await tokenRequest(emu, contoso().tenantId, form)).status).toBe(200);
  const fab = emu.tenants.fabrikam.credentials.apps.reader;
  await tokenRequest(emu, emu.tenants.fabrikam.tenantId, { ...form, client_id: fab.clientId, client_secret: fab.clientSecret });
  const counts = emu.control.tokenRequestCounts();
  expect(counts.total).toBe(6);
  expect(counts.byTenant[contoso().tenantId]).toBe(5);
  expect(counts.byTenant[emu.tenants.fabrikam.tenantId]).toBe(1);
  expect(counts.byClient[full().clientId]).toBe(5);
  expect(counts.byGrant.client_credentials).toBe(6);
  expect(emu.control.tokenRequests().map((r) => r.status)).toEqual([429, 429, 500, 200, 200, 200]);
  const viaHttp = await rawClient(emu).get(`${emu.identityUrl}/_emulator/token-requests`);
  expect(viaHttp.data.counts.total).toBe(6);
});
