// The emulated Azure host over raw HTTPS: the managed identity endpoints (IMDS and App Service
// style) and the federated token exchange, as Azure's and Entra ID's documentation describe them.
import type { RunningEmulator } from '../../emulator';
import { emulatorPerFile } from '../support/emulator-per-file';
import { apiClient, rawClient, tokenRequest } from '../support/emulator-client';

let emu: RunningEmulator;
emulatorPerFile({ tenants: [{ name: 'contoso', throttle: false }, { name: 'fabrikam', throttle: false }] }, (e) => (emu = e));

const mi = (tenant: string, key: 'system' | 'automation' | 'reader') => emu.tenants[tenant].credentials.managedIdentities[key];
const imds = (query: Record<string, string>, headers: Record<string, string> = { Metadata: 'true' }, tenant = '') =>
  rawClient(emu, emu.identityUrl).get(`${tenant ? `/${tenant}` : ''}/metadata/identity/oauth2/token`, { params: { 'api-version': '2018-02-01', ...query }, headers });
const appService = (query: Record<string, string>, header?: string) =>
  rawClient(emu, emu.identityUrl).get('/msi/token', { params: { 'api-version': '2019-08-01', ...query }, headers: header === undefined ? {} : { 'X-IDENTITY-HEADER': header } });
const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;

test('IMDS: system-assigned token for the MDCA resource, numbers as strings, usable at the API', async () => {
  const r = await imds({ resource: emu.resource });
  expect(r.status).toBe(200);
  expect(r.data).toMatchObject({ token_type: 'Bearer', resource: emu.resource, client_id: mi('contoso', 'system').clientId, expires_in: '3599' });
  expect(r.data.expires_on).toMatch(/^\d+$/);
  expect(claims(r.data.access_token)).toMatchObject({ oid: mi('contoso', 'system').objectId, idtyp: 'app', tid: emu.tenants.contoso.tenantId });
  expect((await apiClient(emu, `Bearer ${r.data.access_token}`).post('/api/v1/alerts/', { limit: 1 })).status).toBe(200);
});

test('IMDS: user-assigned by client_id, object_id and msi_res_id; another tenant\'s host by path', async () => {
  const a = mi('contoso', 'automation');
  for (const q of [{ client_id: a.clientId }, { object_id: a.objectId }, { msi_res_id: a.resourceId! }] as Record<string, string>[]) {
    const r = await imds({ resource: 'https://api.security.microsoft.com', ...q });
    expect(r.status).toBe(200);
    expect(claims(r.data.access_token)).toMatchObject({ appid: a.clientId, xms_mirid: a.resourceId, roles: expect.arrayContaining(['Incident.ReadWrite.All']) });
  }
  const other = await imds({ resource: emu.resource }, { Metadata: 'true' }, 'fabrikam');
  expect(claims(other.data.access_token)).toMatchObject({ tid: emu.tenants.fabrikam.tenantId, oid: mi('fabrikam', 'system').objectId });
  // Another tenant's identity is not on this host.
  expect((await imds({ resource: emu.resource, client_id: mi('fabrikam', 'automation').clientId })).data).toEqual({ error: 'invalid_request', error_description: 'Identity not found' });
});

test('IMDS refusals: no Metadata header, no resource, unknown resource, identity detached', async () => {
  expect((await imds({ resource: emu.resource }, {})).data).toEqual({ error: 'invalid_request', error_description: 'Required metadata header not specified' });
  expect((await imds({})).status).toBe(400);
  const unknown = await imds({ resource: 'https://unknown.example' });
  expect(unknown.data.error).toBe('invalid_resource');
  emu.control.setManagedIdentityAssigned('contoso', 'reader', false);
  try {
    expect((await imds({ resource: emu.resource, client_id: mi('contoso', 'reader').clientId })).data.error_description).toBe('Identity not found');
  } finally {
    emu.control.setManagedIdentityAssigned('contoso', 'reader', true);
  }
});

test('App Service: the X-IDENTITY-HEADER must be the platform\'s; mi_res_id names a user-assigned identity', async () => {
  expect((await appService({ resource: emu.resource })).status).toBe(401);
  expect((await appService({ resource: emu.resource }, 'wrong')).status).toBe(401);
  const ok = await appService({ resource: emu.resource, mi_res_id: mi('contoso', 'reader').resourceId! }, emu.managedIdentity.identityHeader);
  expect(ok.status).toBe(200);
  expect(ok.data.expires_in).toBeUndefined();
  expect(claims(ok.data.access_token).roles).toEqual(['Investigation.read']);
  expect(emu.control.tokenRequests().filter((r) => r.endpoint === 'appService').map((r) => r.status)).toEqual([401, 401, 200]);
});

test('federated token exchange: the workload app accepts its issuer, subject and audience only', async () => {
  const t = emu.tenants.contoso;
  const form = (assertion: string) => ({
    grant_type: 'client_credentials',
    client_id: t.credentials.apps.workload.clientId,
    scope: `${emu.resource}/.default`,
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: assertion,
  });
  // Over the control API, as a separate process would mint it.
  const minted = await rawClient(emu, emu.identityUrl).post('/_emulator/tenants/contoso/federated-token', {});
  const ok = await tokenRequest(emu, t.tenantId, form(minted.data.token));
  expect(ok.status).toBe(200);
  expect(claims(ok.data.access_token)).toMatchObject({ appid: t.credentials.apps.workload.clientId, roles: expect.arrayContaining(['Investigation.manage']) });
  for (const [override, code] of [
    [{ iss: 'https://evil.example/' }, 70021],
    [{ sub: 'system:serviceaccount:x:y' }, 70021],
    [{ aud: ['api://other'] }, 70021],
    [{ exp: Math.floor(Date.now() / 1000) - 60 }, 700024],
  ] as const) {
    const r = await tokenRequest(emu, t.tenantId, form(emu.control.mintFederatedToken('contoso', override)));
    expect(r.data.error_codes).toEqual([code]);
  }
  // A signature that is not the issuer's: refused as a malformed token.
  const forged = minted.data.token.replace(/\.[^.]+$/, '.AAAA');
  expect((await tokenRequest(emu, t.tenantId, form(forged))).data.error_codes).toEqual([50027]);
  // The certificate app does not take federated tokens.
  const certApp = await tokenRequest(emu, t.tenantId, { ...form(minted.data.token), client_id: t.credentials.apps.cert.clientId });
  expect(certApp.status).toBe(401);
});
