// Each credential kind gets a token from the emulator's Entra ID through real msal-node and
// calls MDCA; the credential insight reports what the token unlocks.
import { startEmulator, RunningEmulator } from '../../emulator';
import { createMdcaClient, providerEnvironment, signInWithDeviceCode } from '../../runtime';
import { adminConsentUrl, MdcaError } from '../../core';
import { authFor } from '../support/emulator-settings';
import { fastSettings, items } from './helpers';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }], deviceCodeIntervalSeconds: 1 });
});
afterAll(async () => {
  await emulator.close();
});

test.each(['appSecret', 'appCertificate', 'userPassword', 'apiToken'] as const)('%s gets a token and lists alerts', async (kind) => {
  const client = createMdcaClient(fastSettings(emulator, kind));
  const list = await items(await client.run('alert.getAll', {}, { maxItems: 5 }));
  expect(list).toHaveLength(5);
  const log = emulator.control.requestLog('contoso');
  expect(log[log.length - 1].authKind).toBe(kind === 'apiToken' ? 'token' : 'bearer');
});

test('device code sign-in yields a refresh token that runs headless', async () => {
  const t = emulator.tenants.contoso;
  const settings = fastSettings(emulator, 'userPassword');
  const prompts: string[] = [];
  const signIn = signInWithDeviceCode({ tenantId: t.tenantId, clientId: t.credentials.apps.public.clientId }, providerEnvironment(settings), (prompt) => {
    prompts.push(prompt.userCode);
    setTimeout(() => emulator.control.approveDeviceCode(prompt.userCode, t.credentials.users.analyst.username), 200);
  });
  const { refreshToken, username } = await signIn;
  expect(prompts).toHaveLength(1);
  expect(username).toBe(t.credentials.users.analyst.username);
  expect(refreshToken.length).toBeGreaterThan(10);
  const client = createMdcaClient({ ...settings, auth: { kind: 'refreshToken', tenantId: t.tenantId, clientId: t.credentials.apps.public.clientId, refreshToken } });
  const insight = await client.insight();
  expect(insight.kind).toBe('delegated');
  expect(insight.permissions).toContain('Investigation.manage');
  expect(await items(await client.run('activity.getAll', {}, { maxItems: 3 }))).toHaveLength(3);
}, 30_000);

test('insight lists the permissions and the operations they unlock', async () => {
  const reader = createMdcaClient(fastSettings(emulator, 'appReader'));
  const insight = await reader.insight();
  expect(insight).toMatchObject({ kind: 'application', permissions: ['Investigation.read'], verified: false });
  const unlocked = insight.unlocked.map((u) => u.id);
  expect(unlocked).toContain('alert.getAll');
  expect(unlocked).not.toContain('alert.closeBenign');
  expect(unlocked).not.toContain('discovery.uploadLog');
});

test('a wrong client secret names the AADSTS code and the fix, never the secret', async () => {
  const auth = { ...authFor(emulator, 'appSecret'), clientSecret: 'CANARY-wrong-secret-3f9a7b21c' } as const;
  const client = createMdcaClient(fastSettings(emulator, auth));
  const error = (await client.run('alert.getAll', {}, { maxItems: 1 }).catch((e: unknown) => e)) as MdcaError;
  expect(error).toBeInstanceOf(MdcaError);
  expect(error.code).toBe('AUTH_FAILED');
  expect(error.details.identityCode).toBe('AADSTS7000215');
  expect(error.hint).toMatch(/secret/i);
  const serialized = `${JSON.stringify(error)} ${error.message} ${error.stack} ${String(error)}`;
  expect(serialized).not.toContain('CANARY-wrong-secret-3f9a7b21c');
});

test('a wrong password and an unknown tenant give their own AADSTS codes', async () => {
  const wrongPassword = { ...authFor(emulator, 'userPassword'), password: 'not-the-password' } as const;
  const e1 = (await createMdcaClient(fastSettings(emulator, wrongPassword)).insight().catch((e: unknown) => e)) as MdcaError;
  expect(e1.details.identityCode).toBe('AADSTS50126');
  const unknownTenant = { ...authFor(emulator, 'appSecret'), tenantId: '00000000-0000-4000-8000-000000000000' } as const;
  const e2 = (await createMdcaClient(fastSettings(emulator, unknownTenant)).insight().catch((e: unknown) => e)) as MdcaError;
  expect(e2.code).toBe('AUTH_FAILED');
  expect(e2.details.identityCode).toBe('AADSTS90002');
});

test('bad credential fields fail before any request, naming the field', () => {
  const count = emulator.control.tokenRequestCounts().total;
  expect(() => createMdcaClient(fastSettings(emulator, { kind: 'appSecret', tenantId: 'not a tenant', clientId: 'x', clientSecret: 's' }))).toThrow(
    expect.objectContaining({ code: 'CONFIGURATION_INVALID', details: { field: 'tenantId' } }),
  );
  expect(() => createMdcaClient(fastSettings(emulator, { kind: 'appCertificate', tenantId: emulator.tenants.contoso.tenantId, clientId: '11111111-1111-4111-8111-111111111111', certificatePem: 'nope', privateKeyPem: 'nope' }))).toThrow(
    expect.objectContaining({ details: { field: 'certificatePem' } }),
  );
  expect(emulator.control.tokenRequestCounts().total).toBe(count);
});

test('admin consent URL for partner apps', () => {
  expect(adminConsentUrl('11111111-1111-4111-8111-111111111111')).toBe(
    'https://login.microsoftonline.com/common/oauth2/authorize?prompt=consent&client_id=11111111-1111-4111-8111-111111111111&response_type=code&sso_reload=true',
  );
});
