// The credential "Test" of each of the four credential kinds, OAuth2 through n8n-core's own
// httpRequestWithAuthentication (its token refresh on 401 against the emulator), and secret canaries.
import { startEmulator, RunningEmulator } from '../../emulator';
import { MicrosoftDefenderCloudAppsAlerts } from '../../nodes/MicrosoftDefenderCloudAppsAlerts/MicrosoftDefenderCloudAppsAlerts.node';
import { MicrosoftDefenderCloudAppsIpRanges } from '../../nodes/MicrosoftDefenderCloudAppsIpRanges/MicrosoftDefenderCloudAppsIpRanges.node';
import { MicrosoftDefenderCloudAppsTrigger } from '../../nodes/MicrosoftDefenderCloudAppsTrigger/MicrosoftDefenderCloudAppsTrigger.node';
import { MicrosoftDefenderCloudAppsAppApi } from '../../credentials/MicrosoftDefenderCloudAppsAppApi.credentials';
import { MicrosoftDefenderCloudAppsUserApi } from '../../credentials/MicrosoftDefenderCloudAppsUserApi.credentials';
import { MicrosoftDefenderCloudAppsOAuth2Api, MDCA_DELEGATED_SCOPE, OAUTH2_SCOPE } from '../../credentials/MicrosoftDefenderCloudAppsOAuth2Api.credentials';
import { MicrosoftDefenderCloudAppsTokenApi } from '../../credentials/MicrosoftDefenderCloudAppsTokenApi.credentials';
import { MicrosoftDefenderCloudAppsAzureIdentityApi } from '../../credentials/MicrosoftDefenderCloudAppsAzureIdentityApi.credentials';
import { MDCA_RESOURCE_APP_ID } from '../../core/clouds';
import { enableEmulatorHosts } from '../support/emulator-settings';
import { CRED, credentialData, delegatedToken, oauth2CredentialData, signedInTokens } from './credential-fixtures';
import { executeNode, pollNode, testCredential as runCredentialTest } from './engine';

jest.setTimeout(60_000);

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
  emulator.control.setThrottle('contoso', false);
});
afterAll(async () => {
  await emulator?.close();
});

const alerts = new MicrosoftDefenderCloudAppsAlerts();

describe('credential types', () => {
  it('have Api class names, documentation URLs, icons and password fields for secrets', () => {
    const types = [new MicrosoftDefenderCloudAppsAppApi(), new MicrosoftDefenderCloudAppsUserApi(), new MicrosoftDefenderCloudAppsOAuth2Api(), new MicrosoftDefenderCloudAppsTokenApi(), new MicrosoftDefenderCloudAppsAzureIdentityApi()];
    expect(types.map((t) => t.name).sort()).toEqual(Object.values(CRED).sort());
    for (const t of types) {
      expect(t.documentationUrl).toMatch(/^https:\/\//);
      expect(t.icon).toEqual({ light: 'file:mdca.svg', dark: 'file:mdca.dark.svg' });
      for (const p of t.properties) {
        if (/secret|password|token|privateKey|passphrase/i.test(p.name) && p.type === 'string' && p.name !== 'testingCaPem') expect(p.typeOptions?.password).toBe(true);
      }
      const testing = t.properties.find((p) => p.name === 'useTestingEndpoints');
      expect(testing?.default).toBe(false);
    }
    const oauth = new MicrosoftDefenderCloudAppsOAuth2Api();
    expect(oauth.extends).toEqual(['oAuth2Api']);
    expect(MDCA_DELEGATED_SCOPE.split(' ')).toHaveLength(7);
    expect(MDCA_DELEGATED_SCOPE).toContain('05a65629-4c1b-48c1-a78b-804c4abdd4af/Investigation.read');
    expect(MDCA_DELEGATED_SCOPE).toContain('offline_access');
    const byName = Object.fromEntries(oauth.properties.map((p) => [p.name, p.default]));
    // MDCA scopes first (n8n's stored token is for the first resource), then the Defender XDR
    // scopes, then offline_access: one consent for both APIs.
    expect(byName).toMatchObject({ grantType: 'authorizationCode', authentication: 'body', scope: OAUTH2_SCOPE });
    expect(OAUTH2_SCOPE.split(' ')).toEqual([
      ...MDCA_DELEGATED_SCOPE.split(' ').filter((s) => s !== 'offline_access'),
      'https://api.security.microsoft.com/Incident.ReadWrite',
      'https://api.security.microsoft.com/AdvancedHunting.Read',
      'offline_access',
    ]);
    expect(String(byName.authUrl)).toContain('/oauth2/v2.0/authorize');
    expect(String(byName.accessTokenUrl)).toContain('login.microsoftonline.us');
  });

  it('every node lists every credential behind the authentication selector, tested by the node', () => {
    for (const node of [alerts, new MicrosoftDefenderCloudAppsTrigger()]) {
      expect(node.description.credentials?.map((c) => c.name).sort()).toEqual(Object.values(CRED).sort());
      expect(node.description.credentials?.every((c) => c.testedBy === 'mdcaCredentialTest')).toBe(true);
    }
  });
});

describe('credential test', () => {
  it.each([
    ['app secret', 'appSecret', /Connected \(Application\)\. Permissions: .*Investigation\.read/],
    ['app certificate', 'appCertificate', /Connected \(Application\)/],
    ['user password (ROPC)', 'userPassword', /Connected \(User \(delegated\)\)/],
    ['legacy token', 'apiToken', /Connected \(Legacy API token\)/],
  ] as const)('%s: OK with permissions and unlocked operations', async (_label, kind, pattern) => {
    const c = credentialData(emulator, kind);
    const r = await runCredentialTest(alerts, c.type, c.data);
    expect(r.status).toBe('OK');
    expect(r.message).toMatch(pattern);
    expect(r.message).toMatch(/Unlocks: \d+ operations/);
  });

  it('reader app: OK, lists fewer unlocked operations', async () => {
    const c = credentialData(emulator, 'appReader');
    const r = await runCredentialTest(alerts, c.type, c.data);
    expect(r.status).toBe('OK');
    expect(r.message).not.toMatch(/Investigation\.manage/);
  });

  it('OAuth2 (delegated token from oauthTokenData): OK', async () => {
    const r = await runCredentialTest(alerts, CRED.oAuth2, oauth2CredentialData(emulator));
    expect(r.status).toBe('OK');
    expect(r.message).toMatch(/User \(delegated\)/);
  });

  it('wrong secret: Error with the Entra code and a hint, no secret', async () => {
    const c = credentialData(emulator, 'appSecret', { clientSecret: 'CANARY-client-secret-5f1e' });
    const r = await runCredentialTest(alerts, c.type, c.data);
    expect(r.status).toBe('Error');
    expect(r.message).toMatch(/AADSTS7000215|secret/i);
    expect(r.message).not.toContain('CANARY');
  });

  it('API URL outside the allowed hosts: Error before anything is sent', async () => {
    const c = credentialData(emulator, 'apiToken');
    // The operator allows only the identity endpoint: the emulator's API host is then just a host.
    enableEmulatorHosts(emulator, [emulator.identityHost]);
    const r = await runCredentialTest(alerts, c.type, c.data).finally(() => enableEmulatorHosts(emulator));
    expect(r.status).toBe('Error');
    expect(r.message).toMatch(/API URL|host/i);
  });
});

describe('OAuth2 credential in nodes', () => {
  it('requests go through httpRequestWithAuthentication; a 401 makes n8n refresh once and resend', async () => {
    const data = oauth2CredentialData(emulator);
    // An expired token: the emulator answers 401, n8n refreshes with the refresh token, the call succeeds.
    const signedIn = await signedInTokens(emulator, `${MDCA_RESOURCE_APP_ID}/Investigation.read ${MDCA_RESOURCE_APP_ID}/Investigation.manage`);
    const now = Math.floor(Date.now() / 1000);
    const expired = delegatedToken(emulator, 'Investigation.read Investigation.manage', 'contoso', { exp: now - 600, iat: now - 4000, nbf: now - 4000 });
    data.oauthTokenData = { ...signedIn, access_token: expired };
    emulator.control.resetTokenRequests();
    emulator.control.resetRequestLog('contoso');
    const r = await executeNode(alerts, { parameters: { authentication: 'oAuth2', operation: 'getAll', limit: 3 }, credentials: { [CRED.oAuth2]: data } });
    expect(r.items).toHaveLength(3);
    // One refresh, and n8n stored the new token in the credential.
    expect(emulator.control.tokenRequests().filter((t) => t.grant === 'refresh_token').map((t) => t.status)).toEqual([200]);
    const stored = r.credentials[CRED.oAuth2].oauthTokenData as { access_token: string };
    expect(stored.access_token).not.toBe(expired);
    // The first request (expired token) was refused, then resent with the new one.
    const sent = emulator.control.requestLog('contoso').filter((e) => e.authKind === 'bearer');
    expect(sent.length).toBeGreaterThanOrEqual(2);
    expect(sent[0].status).toBe(401);
    expect(sent[sent.length - 1].status).toBe(200);
  });

  it('discovery upload: API calls go through n8n, the storage PUT does not carry the credential', async () => {
    const { MicrosoftDefenderCloudAppsDiscovery } = await import('../../nodes/MicrosoftDefenderCloudAppsDiscovery/MicrosoftDefenderCloudAppsDiscovery.node');
    const log = Buffer.from('line\n'.repeat(20));
    emulator.control.resetRequestLog('contoso');
    const r = await executeNode(new MicrosoftDefenderCloudAppsDiscovery(), {
      parameters: { authentication: 'oAuth2', operation: 'uploadLog', fileName: 'oauth.log', source: 'SQUID', inputStreamName: 'Proxy' },
      credentials: { [CRED.oAuth2]: oauth2CredentialData(emulator) },
      items: [{ json: {}, binary: { data: { data: log.toString('base64'), mimeType: 'text/plain' } } }],
    });
    expect(r.items[0].json).toMatchObject({ finalized: true, bytes: log.length });
    // upload_url + done_upload, each with the OAuth2 bearer; the PUT went to storage directly.
    expect(emulator.control.requestLog('contoso').filter((e) => e.authKind === 'bearer').map((e) => e.status)).toEqual([200, 200]);
  });

  it('the delegated preflight names the missing scope', async () => {
    const data = oauth2CredentialData(emulator, 'Investigation.read');
    const err = await executeNode(new MicrosoftDefenderCloudAppsIpRanges(), {
      parameters: { authentication: 'oAuth2', operation: 'create', name: 'x', category: 1, subnets: '10.1.0.0/16' },
      credentials: { [CRED.oAuth2]: data },
    }).catch((e) => e);
    expect(err.message).toMatch(/Investigation\.manage|Settings\.manage/);
    expect(err.description).toMatch(/Delegated/);
  });

  it('trigger polls with OAuth2 too', async () => {
    const staticData = {};
    const first = await pollNode(new MicrosoftDefenderCloudAppsTrigger(), {
      parameters: { authentication: 'oAuth2', event: 'newAlerts' },
      credentials: { [CRED.oAuth2]: oauth2CredentialData(emulator) },
      staticData,
    });
    expect(first).toBeNull();
    expect(staticData).toHaveProperty('cursor');
  });
});

describe('secrets never reach outputs or errors', () => {
  const CANARIES = ['CANARY-client-secret-5f1e', 'CANARY-Passw0rd-77aa', 'CANARYtoken0123456789abcdefABCDEF0123456789', 'CANARY-refresh-token-31'];
  const leaks = (value: unknown): string[] => {
    const text = [JSON.stringify(value), (value as Error)?.message, (value as { description?: string })?.description, String((value as Error)?.stack ?? '')].join('\n');
    return CANARIES.filter((c) => text.includes(c));
  };

  it.each([
    ['app secret', () => credentialData(emulator, 'appSecret', { clientSecret: CANARIES[0] })],
    ['user password', () => credentialData(emulator, 'userPassword', { password: CANARIES[1] })],
    ['legacy token', () => credentialData(emulator, 'apiToken', { apiToken: CANARIES[2] })],
    ['refresh token', () => credentialData(emulator, 'userPassword', { userAuthMethod: 'refreshToken', refreshToken: CANARIES[3] })],
  ])('%s: thrown error, continue-on-fail item and credential test are clean', async (_label, make) => {
    const c = make();
    const params = { authentication: c.type === CRED.app ? 'app' : c.type === CRED.user ? 'user' : 'apiToken', operation: 'getAll', limit: 2 };
    const thrown = await executeNode(alerts, { parameters: params, credentials: { [c.type]: c.data } }).catch((e) => e);
    expect(thrown).toBeInstanceOf(Error);
    expect(leaks(thrown)).toEqual([]);
    const cof = await executeNode(alerts, { parameters: params, credentials: { [c.type]: c.data }, continueOnFail: true });
    expect(cof.items[0].json.error).toBeDefined();
    expect(leaks(cof.items)).toEqual([]);
    const test = await runCredentialTest(alerts, c.type, c.data);
    expect(test.status).toBe('Error');
    expect(leaks(test)).toEqual([]);
  });

  it('working credentials: output items carry none of the credential values', async () => {
    for (const kind of ['appSecret', 'userPassword', 'apiToken'] as const) {
      const c = credentialData(emulator, kind);
      const secrets = [c.data.clientSecret, c.data.password, c.data.apiToken].filter(Boolean).map(String);
      const params = { authentication: c.type === CRED.app ? 'app' : c.type === CRED.user ? 'user' : 'apiToken', operation: 'getAll', limit: 3, simplify: false };
      const r = await executeNode(alerts, { parameters: params, credentials: { [c.type]: c.data } });
      const text = JSON.stringify(r.items);
      for (const s of secrets) expect(text).not.toContain(s);
    }
  });
});
