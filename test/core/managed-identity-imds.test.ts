// Managed identity through the Instance Metadata Service, with real msal-node against the
// emulator's IMDS-style endpoint. The endpoint comes from the process environment, as on Azure:
// msal reads AZURE_POD_IDENTITY_AUTHORITY_HOST (set here by the test, the operator of this
// process) instead of http://169.254.169.254. msal picks its source once per process, so the App
// Service style and "not on Azure" each have their own file (a jest file is its own module
// registry and process environment).
import type { RunningEmulator } from '../../emulator';
import { MdcaError } from '../../core';
import { createAzureIdentityProvider, createMdcaClient, isHostLocal, managedIdentityNetworkClient, providerEnvironment, validateAuthSettings } from '../../runtime';
import type { AuthSettings } from '../../runtime/settings';
import { emulatorPerFile } from '../support/emulator-per-file';
import { xdrClient } from '../xdr/helpers';
import { graphClient } from '../graph/helpers';
import { dataRequests, fastSettings, items } from './helpers';

let emulator: RunningEmulator;
emulatorPerFile({ tenants: [{ name: 'contoso', throttle: false }] }, (e) => {
  emulator = e;
  for (const name of ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'IMDS_ENDPOINT', 'MSI_ENDPOINT', 'IDENTITY_SERVER_THUMBPRINT']) delete process.env[name];
  process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = e.managedIdentity.imdsHost;
});
beforeEach(() => {
  emulator.control.clearFaults('contoso');
  emulator.control.resetRequestLog('contoso');
  emulator.control.setClockOffsetMs(0);
});

const mi = (key: 'system' | 'automation' | 'reader') => emulator.tenants.contoso.credentials.managedIdentities[key];
const imdsRequests = () => emulator.control.tokenRequests().filter((r) => r.endpoint === 'imds');
let providers = 0;
/** A token straight from a provider of its own, past msal's process-wide cache. */
async function freshToken(auth: AuthSettings, resource?: string): Promise<string> {
  const valid = validateAuthSettings(auth) as Extract<AuthSettings, { kind: 'managedIdentity' }>;
  const provider = createAzureIdentityProvider(valid, providerEnvironment(fastSettings(emulator, auth), resource), `mi-test-${++providers}`);
  return (await provider.getToken({ forceRefresh: true })).token;
}
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;

test('system-assigned: a token from IMDS for the MDCA resource, then alerts', async () => {
  const before = imdsRequests().length;
  const client = createMdcaClient(fastSettings(emulator, { kind: 'managedIdentity' }));
  expect(await items(await client.run('alert.getAll', {}, { maxItems: 3 }))).toHaveLength(3);
  const insight = await client.insight();
  expect(insight.kind).toBe('application');
  expect(insight.permissions).toContain('Investigation.manage');
  const sent = imdsRequests().slice(before);
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatchObject({ grant: 'managed_identity', status: 200, clientId: '' });
});

test.each([
  ['clientId', () => mi('automation').clientId],
  ['resourceId', () => mi('automation').resourceId!],
  ['objectId', () => mi('automation').objectId],
] as const)('user-assigned by %s', async (identity, id) => {
  const client = createMdcaClient(fastSettings(emulator, { kind: 'managedIdentity', identity, identityId: id() }));
  expect(await items(await client.run('activity.getAll', {}, { maxItems: 2 }))).toHaveLength(2);
  expect(claimsOf(await freshToken({ kind: 'managedIdentity', identity, identityId: id() }))).toMatchObject({ appid: mi('automation').clientId, oid: mi('automation').objectId, xms_mirid: mi('automation').resourceId });
});

test('a permission the identity lacks is refused before anything is sent, naming it', async () => {
  const client = createMdcaClient(fastSettings(emulator, { kind: 'managedIdentity', identity: 'clientId', identityId: mi('reader').clientId }));
  expect((await client.insight()).permissions).toEqual(['Investigation.read']);
  const [alert] = emulator.control.listAlerts('contoso');
  const error = (await client.run('alert.closeBenign', { alertIds: [alert._id] }).catch((e: unknown) => e)) as MdcaError;
  expect(error.code).toBe('PERMISSION_MISSING');
  expect(error.message).toContain('Investigation.manage');
  expect(dataRequests(emulator, 'close_benign')).toHaveLength(0);
});

test('Defender XDR and Microsoft Graph: the token is asked for each service\'s resource', async () => {
  const auth: AuthSettings = { kind: 'managedIdentity' };
  const xdr = xdrClient(emulator, auth);
  expect((await xdr.insight()).permissions).toEqual(expect.arrayContaining(['Incident.ReadWrite.All']));
  const graph = graphClient(emulator, auth);
  expect((await graph.insight()).permissions).toEqual(expect.arrayContaining(['SecurityAlert.ReadWrite.All']));
  const reader = xdrClient(emulator, { kind: 'managedIdentity', identity: 'objectId', identityId: mi('reader').objectId });
  const refused = (await reader.run('incident.update', { incidentId: 1, status: 'Resolved' }).catch((e: unknown) => e)) as MdcaError;
  expect(refused.code).toBe('PERMISSION_MISSING');
  expect(refused.message).toContain('Incident.ReadWrite.All');
});

test('one token for many calls; an expired token is refreshed once from the endpoint', async () => {
  const client = createMdcaClient(fastSettings(emulator, { kind: 'managedIdentity', identity: 'clientId', identityId: mi('automation').clientId }));
  await client.insight();
  const before = imdsRequests().length;
  await Promise.all([1, 2, 3].map(() => client.run('alert.getAll', {}, { maxItems: 1 }).then(items)));
  expect(imdsRequests().length).toBe(before);
  // Two hours later on the emulator's clock the cached token is expired at the API: one 401, one
  // forced refresh from the managed identity endpoint, then the call goes through.
  emulator.control.setClockOffsetMs(2 * 3_600_000);
  expect(await items(await client.run('alert.getAll', {}, { maxItems: 1 }))).toHaveLength(1);
  expect(imdsRequests().length).toBe(before + 1);
  expect(dataRequests(emulator, '/api/v1/alerts').filter((r) => r.status === 401)).toHaveLength(1);
});

test('an identity the host does not have: the error says which and what to assign', async () => {
  const unknown = '6f1c1d5e-0000-4000-8000-00000000abcd';
  const error = (await createMdcaClient(fastSettings(emulator, { kind: 'managedIdentity', identity: 'clientId', identityId: unknown })).insight().catch((e: unknown) => e)) as MdcaError;
  expect(error).toBeInstanceOf(MdcaError);
  expect(error.code).toBe('AUTH_FAILED');
  expect(error.message).toMatch(/Instance Metadata Service.*no such managed identity.*Identity not found/);
  expect(error.hint).toMatch(/Assign the user-assigned managed identity with this client id/);

  emulator.control.setManagedIdentityAssigned('contoso', 'system', false);
  try {
    const off = (await freshToken({ kind: 'managedIdentity', identity: 'system' }).catch((e: unknown) => e)) as MdcaError;
    expect(off.code).toBe('AUTH_FAILED');
    expect(off.hint).toMatch(/Turn on the system-assigned managed identity/);
  } finally {
    emulator.control.setManagedIdentityAssigned('contoso', 'system', true);
  }
  expect(claimsOf(await freshToken({ kind: 'managedIdentity', identity: 'system' }))).toMatchObject({ oid: mi('system').objectId });
});

test('bad identity fields fail before any request, naming the field', () => {
  const before = imdsRequests().length;
  const bad = (auth: AuthSettings) => () => createMdcaClient(fastSettings(emulator, auth));
  expect(bad({ kind: 'managedIdentity', identity: 'clientId' })).toThrow(expect.objectContaining({ code: 'CONFIGURATION_INVALID', details: { field: 'managedIdentityId' } }));
  expect(bad({ kind: 'managedIdentity', identity: 'objectId', identityId: 'not-a-guid' })).toThrow(expect.objectContaining({ details: { field: 'managedIdentityId' } }));
  expect(bad({ kind: 'managedIdentity', identity: 'resourceId', identityId: mi('automation').clientId })).toThrow(/resource id has the wrong format/);
  expect(bad({ kind: 'managedIdentity', identity: 'nope' as never })).toThrow(expect.objectContaining({ details: { field: 'managedIdentity' } }));
  expect(imdsRequests().length).toBe(before);
});

test('plain http goes only to the host itself (loopback, link-local); elsewhere nothing is sent', async () => {
  expect(['169.254.169.254', '127.0.0.1', 'localhost', '[::1]', '[fe80::1]'].every(isHostLocal)).toBe(true);
  expect(['10.0.0.4', 'metadata.example.com', '169.255.0.1', '[2001:db8::1]'].some(isHostLocal)).toBe(false);
  const seen: unknown[] = [];
  const client = managedIdentityNetworkClient(undefined, () => (o) => seen.push(o));
  await expect(client.sendGetRequestAsync('http://192.0.2.10/metadata/identity/oauth2/token?resource=x', { headers: { Metadata: 'true' } })).rejects.toThrow(/plain http is used only for loopback and link-local/);
  expect(seen).toEqual([{ kind: 'network', code: 'INSECURE_ENDPOINT' }]);
});
