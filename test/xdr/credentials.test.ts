// Every credential kind against the XDR listener with real msal, the permission preflight, and
// the audience separation between the MDCA and XDR APIs.
import { startEmulator, RunningEmulator } from '../../emulator';
import { XDR_RESOURCE } from '../../core';
import { createMdcaClient, providerEnvironment, signInWithDeviceCode } from '../../runtime';
import { settingsFor } from '../support/emulator-settings';
import { listItems, xdrClient, xdrRequests, xdrSettings } from './helpers';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }], deviceCodeIntervalSeconds: 1 });
});
afterAll(async () => {
  await emulator.close();
});

const someIncident = () => emulator.control.xdr.listIncidents('contoso').find((i) => i.status === 'Active')!;

test.each(['appSecret', 'appCertificate', 'userPassword'] as const)('%s: list, get, update and hunt', async (kind) => {
  const client = xdrClient(emulator, kind);
  const list = await listItems(await client.run('incident.getAll', {}, { maxItems: 5 }));
  expect(list).toHaveLength(5);
  const target = someIncident();
  await expect(client.run('incident.get', { incidentId: target.incidentId })).resolves.toMatchObject({ kind: 'item' });
  await client.run('incident.update', { incidentId: target.incidentId, assignedTo: `${kind}@contoso.example`, comment: `by ${kind}` });
  const after = emulator.control.xdr.getIncident('contoso', target.incidentId as number)!;
  expect(after.assignedTo).toBe(`${kind}@contoso.example`);
  const comments = after.comments as { createdBy: string }[];
  if (kind === 'userPassword') expect(comments[comments.length - 1].createdBy).toBe(emulator.tenants.contoso.credentials.users.analyst.username);
  await expect(client.run('advancedHunting.run', { query: 'CloudAppEvents | take 2' })).resolves.toMatchObject({ kind: 'result' });
  const insight = await client.insight();
  expect(insight.audience).toBe(XDR_RESOURCE);
  expect(insight.kind).toBe(kind === 'userPassword' ? 'delegated' : 'application');
  expect(insight.permissions).toEqual(kind === 'userPassword' ? ['Incident.ReadWrite', 'AdvancedHunting.Read'] : ['Incident.ReadWrite.All', 'AdvancedHunting.Read.All']);
  expect(insight.unlocked.map((u) => u.id)).toEqual(['incident.getAll', 'incident.get', 'incident.update', 'incident.addComment', 'advancedHunting.run']);
});

test('refresh token from a device-code sign-in for the XDR scopes', async () => {
  const t = emulator.tenants.contoso;
  const settings = xdrSettings(emulator, { kind: 'refreshToken', tenantId: t.tenantId, clientId: t.credentials.apps.public.clientId, refreshToken: 'placeholder' });
  const env = providerEnvironment(settings, XDR_RESOURCE);
  const signedIn = await signInWithDeviceCode({ tenantId: t.tenantId, clientId: t.credentials.apps.public.clientId }, env, (prompt) => {
    expect(emulator.control.approveDeviceCode(prompt.userCode, t.credentials.users.analyst.username)).toBe(true);
  });
  expect(emulator.control.lastDeviceCode()?.scope).toContain('https://api.security.microsoft.com/Incident.ReadWrite');
  const rotated: string[] = [];
  const client = xdrClient(emulator, { kind: 'refreshToken', tenantId: t.tenantId, clientId: t.credentials.apps.public.clientId, refreshToken: signedIn.refreshToken });
  const list = await listItems(await client.run('incident.getAll', {}, { maxItems: 3 }));
  expect(list).toHaveLength(3);
  expect((await client.insight()).permissions).toContain('Incident.ReadWrite');
  expect(rotated).toEqual([]);
});

test('an MDCA refresh token can be redeemed for the XDR resource (multi-resource refresh tokens)', async () => {
  const t = emulator.tenants.contoso;
  const signedIn = await signInWithDeviceCode({ tenantId: t.tenantId, clientId: t.credentials.apps.public.clientId }, providerEnvironment(settingsFor(emulator, 'appSecret')), (prompt) => {
    emulator.control.approveDeviceCode(prompt.userCode, t.credentials.users.analyst.username);
  });
  const client = xdrClient(emulator, { kind: 'refreshToken', tenantId: t.tenantId, clientId: t.credentials.apps.public.clientId, refreshToken: signedIn.refreshToken });
  expect((await client.insight()).permissions).toEqual(['Incident.ReadWrite', 'AdvancedHunting.Read']);
});

test('the legacy MDCA API token cannot call XDR: a configuration error before anything is sent', () => {
  expect(() => xdrClient(emulator, 'apiToken')).toThrow(expect.objectContaining({ code: 'CONFIGURATION_INVALID', message: expect.stringContaining('legacy MDCA API token') }));
});

test('reader app: list works, update fails the preflight with nothing sent', async () => {
  const reader = xdrClient(emulator, 'appReader');
  await expect(reader.run('incident.getAll', {}, { maxItems: 2 })).resolves.toMatchObject({ kind: 'pages' });
  const before = xdrRequests(emulator).length;
  const target = someIncident();
  const error = await reader.run('incident.update', { incidentId: target.incidentId, status: 'InProgress' }).catch((e: unknown) => e);
  expect(error).toMatchObject({ code: 'PERMISSION_MISSING', details: { permissions: ['Incident.ReadWrite.All'] }, hint: expect.stringContaining('Microsoft Threat Protection') });
  await expect(reader.run('advancedHunting.run', { query: 'CloudAppEvents | take 1' })).rejects.toMatchObject({ code: 'PERMISSION_MISSING', details: { permissions: ['AdvancedHunting.Read.All'] } });
  expect(xdrRequests(emulator).length).toBe(before);
  // Skipping the preflight, the emulator answers 403 in the XDR shape.
  await expect(reader.run('incident.update', { incidentId: target.incidentId, status: 'InProgress' }, { skipPermissionCheck: true })).rejects.toMatchObject({
    code: 'PERMISSION_MISSING',
    details: { status: 403, serviceMessage: expect.stringContaining('Incident.ReadWrite') },
  });
  expect((await reader.insight()).unlocked.map((u) => u.id)).toEqual(['incident.getAll', 'incident.get']);
});

test('reader user (delegated Incident.Read) cannot update', async () => {
  const t = emulator.tenants.contoso;
  const client = xdrClient(emulator, { kind: 'userPassword', tenantId: t.tenantId, clientId: t.credentials.apps.public.clientId, username: t.credentials.users.reader.username, password: t.credentials.users.reader.password });
  await expect(client.run('incident.get', { incidentId: someIncident().incidentId })).resolves.toMatchObject({ kind: 'item' });
  await expect(client.run('incident.update', { incidentId: someIncident().incidentId, status: 'InProgress' }, { skipPermissionCheck: true })).rejects.toMatchObject({ code: 'PERMISSION_MISSING', details: { status: 403 } });
});

test('tokens do not cross APIs: an MDCA token is refused by XDR and the other way round', async () => {
  const mdcaToken = emulator.control.mintAccessToken('contoso');
  const xdrToken = emulator.control.mintAccessToken('contoso', { aud: 'https://api.security.microsoft.com', roles: ['Incident.ReadWrite.All'] });
  const get = async (url: string, token: string) => {
    const https = await import('node:https');
    return new Promise<number>((resolve, reject) => {
      https.get(url, { ca: emulator.caPem, headers: { authorization: `Bearer ${token}` } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      }).on('error', reject);
    });
  };
  expect(await get(`${emulator.tenants.contoso.xdrApiUrl}/api/incidents?$top=1`, mdcaToken)).toBe(401);
  expect(await get(`${emulator.tenants.contoso.xdrApiUrl}/api/incidents?$top=1`, xdrToken)).toBe(200);
  expect(await get(`${emulator.tenants.contoso.apiUrl}/api/v1/alerts/`, xdrToken)).toBe(401);
  // The MDCA client of the same credential keeps working next to the XDR one (separate providers).
  const mdca = createMdcaClient(settingsFor(emulator, 'appSecret', 'contoso', { pacing: { budget: 10_000 } }));
  expect((await mdca.insight()).audience).toBe('05a65629-4c1b-48c1-a78b-804c4abdd4af');
});

test('the XDR API URL is the cloud default unless a testing host is allowed', () => {
  const t = emulator.tenants.contoso;
  const settings = xdrSettings(emulator, 'appSecret');
  expect(xdrClient(emulator, 'appSecret', 'contoso', { xdrApiUrl: undefined, testing: undefined }).baseUrl).toBe('https://api.security.microsoft.com');
  expect(xdrClient(emulator, 'appSecret', 'contoso', { cloud: 'gccHigh', xdrApiUrl: undefined, testing: undefined }).baseUrl).toBe('https://api-gov.security.microsoft.us');
  expect(() => xdrClient(emulator, 'appSecret', 'contoso', { xdrApiUrl: 'https://evil.example.com', testing: settings.testing })).toThrow(expect.objectContaining({ code: 'CONFIGURATION_INVALID' }));
  expect(() => xdrClient(emulator, 'appSecret', 'contoso', { xdrApiUrl: 'https://api-gcc.security.microsoft.us' })).toThrow(/another cloud/);
  expect(xdrClient(emulator, 'appSecret').baseUrl).toBe(t.xdrApiUrl);
});
