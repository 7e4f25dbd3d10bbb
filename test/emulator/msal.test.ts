// Real @azure/msal-node (the pinned version) against the emulator: client secret, certificate, ROPC, device code
// and refresh token, each token then used on an MDCA endpoint.
import { ConfidentialClientApplication, PublicClientApplication, Configuration, LogLevel } from '@azure/msal-node';
import { startEmulator, RunningEmulator } from '../../emulator';
import { apiClient, msalNetworkClient, tokenRequest } from '../support/emulator-client';

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }], deviceCodeIntervalSeconds: 1 });
});
afterAll(() => emu.close());

const t = () => emu.tenants.contoso;
const DEFAULT_SCOPE = () => [`${emu.resource}/.default`];
const DELEGATED = () => [`${emu.resource}/Investigation.read`];

function config(clientId: string, extra: Partial<Configuration['auth']> = {}): Configuration {
  return {
    auth: { clientId, authority: t().authority, knownAuthorities: [emu.identityHost], ...extra },
    system: { networkClient: msalNetworkClient(emu), loggerOptions: { logLevel: LogLevel.Error, loggerCallback: () => undefined, piiLoggingEnabled: false } },
  };
}

async function callsApi(accessToken: string): Promise<void> {
  const res = await apiClient(emu, `Bearer ${accessToken}`).post('/api/v1/alerts/', { limit: 1 });
  expect(res.status).toBe(200);
  expect(res.data.data).toHaveLength(1);
}

test('client secret', async () => {
  const app = new ConfidentialClientApplication(config(t().credentials.apps.full.clientId, { clientSecret: t().credentials.apps.full.clientSecret }));
  const result = await app.acquireTokenByClientCredential({ scopes: DEFAULT_SCOPE() });
  expect(result?.accessToken).toBeTruthy();
  await callsApi(result!.accessToken);
});

test('certificate (thumbprintSha256 + x5c)', async () => {
  const cert = t().credentials.apps.cert;
  const app = new ConfidentialClientApplication(
    config(cert.clientId, { clientCertificate: { thumbprintSha256: cert.thumbprintSha256, privateKey: cert.privateKeyPem, x5c: cert.certificatePem } }),
  );
  const result = await app.acquireTokenByClientCredential({ scopes: DEFAULT_SCOPE() });
  await callsApi(result!.accessToken);
});

test('username/password (ROPC)', async () => {
  const user = t().credentials.users.analyst;
  const app = new PublicClientApplication(config(t().credentials.apps.public.clientId));
  const result = await app.acquireTokenByUsernamePassword({ scopes: DELEGATED(), username: user.username, password: user.password });
  expect(result?.account?.username).toBe(user.username);
  await callsApi(result!.accessToken);
});

test('device code, approved through the control API while msal polls', async () => {
  const user = t().credentials.users.analyst;
  const app = new PublicClientApplication(config(t().credentials.apps.public.clientId));
  const result = await app.acquireTokenByDeviceCode({
    scopes: DELEGATED(),
    deviceCodeCallback: (response) => {
      setTimeout(() => emu.control.approveDeviceCode(response.userCode, user.username), 300);
    },
  });
  expect(result?.account?.homeAccountId).toBe(`${user.oid}.${t().tenantId}`);
  await callsApi(result!.accessToken);
});

test('refresh token', async () => {
  const user = t().credentials.users.analyst;
  const ropc = await tokenRequest(emu, t().tenantId, { grant_type: 'password', client_id: t().credentials.apps.public.clientId, username: user.username, password: user.password, scope: `${DELEGATED()[0]} offline_access openid profile` });
  const app = new PublicClientApplication(config(t().credentials.apps.public.clientId));
  const result = await app.acquireTokenByRefreshToken({ refreshToken: ropc.data.refresh_token, scopes: DELEGATED() });
  await callsApi(result!.accessToken);
});

test('wrong secret surfaces AADSTS7000215', async () => {
  const app = new ConfidentialClientApplication(config(t().credentials.apps.full.clientId, { clientSecret: 'definitely-wrong' }));
  await expect(app.acquireTokenByClientCredential({ scopes: DEFAULT_SCOPE() })).rejects.toMatchObject({ errorCode: 'invalid_client', errorMessage: expect.stringContaining('AADSTS7000215') });
});
