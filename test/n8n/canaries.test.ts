// Secret canaries for the n8n nodes (case 21 of docs/reliability.md), run by
// `npm run audit:secrets`. Canary values are planted as the client secret, password, refresh
// token and legacy token of failing credentials; working credentials use their real secret values
// as canaries. Every surface a user or log collector sees is checked: output items,
// continue-on-fail error items, thrown errors (message, description, stack, JSON) and
// credential-test messages. MDCA and Microsoft Graph security run the same cases from one table
// (SERVICES); Graph also gets error bodies echoing the credential's own secrets and a foreign
// @odata.nextLink carrying them. Hits are written to test-results/canary-hits/n8n.json for
// audit:secrets.
import { startEmulator, RunningEmulator } from '../../emulator';
import { CanaryLog } from '../support/canary-log';
import { MicrosoftDefenderCloudAppsAlerts } from '../../nodes/MicrosoftDefenderCloudAppsAlerts/MicrosoftDefenderCloudAppsAlerts.node';
import { MicrosoftDefenderCloudAppsTrigger } from '../../nodes/MicrosoftDefenderCloudAppsTrigger/MicrosoftDefenderCloudAppsTrigger.node';
import { MicrosoftGraphSecurityAlerts } from '../../nodes/MicrosoftGraphSecurityAlerts/MicrosoftGraphSecurityAlerts.node';
import { MicrosoftGraphSecurityTrigger } from '../../nodes/MicrosoftGraphSecurityTrigger/MicrosoftGraphSecurityTrigger.node';
import type { ICredentialDataDecryptedObject, INodeParameters, INodeType } from 'n8n-workflow';
import type { Fault } from '../../emulator';
import type { EmulatorAuthKind } from '../support/emulator-settings';
import { CRED, credentialData, graphCredentialData } from './credential-fixtures';
import { executeNode as runNode, pollNode as runPoll, testCredential as runCredentialTest } from './engine';
import { MdcaAuthError } from '../../core';
import { sharedTransport } from '../../runtime';
import { oauth2XdrTokenProvider } from '../../nodes/adapter/xdr';

jest.setTimeout(60_000);

let emulator: RunningEmulator;
beforeAll(async () => {
  // fabrikam only serves as the foreign host of a next-page link (it must receive nothing).
  emulator = await startEmulator({ tenants: [{ name: 'contoso' }, { name: 'fabrikam' }] });
  for (const tenant of ['contoso', 'fabrikam']) {
    emulator.control.setThrottle(tenant, false);
    emulator.control.graph.setThrottle(tenant, false);
  }
});

const canaries = new CanaryLog('n8n');
const check = canaries.check.bind(canaries);
const mine = () => canaries.mine();
afterAll(async () => {
  await emulator?.close();
  canaries.write();
});

/**
 * The services whose nodes run every case: the alerts node, the trigger and its event, the
 * credential for the service, the emulator's fault control and list path, and a get that fails.
 */
interface HostService {
  name: string;
  node: INodeType;
  trigger: INodeType;
  event: string;
  cred: (kind: EmulatorAuthKind, extra?: ICredentialDataDecryptedObject) => { type: string; data: ICredentialDataDecryptedObject };
  control: () => { injectFaults(tenant: string, faults: Fault[]): void; clearFaults(tenant: string): void; resetRequestLog(tenant: string): void; requestLog(tenant: string): Array<{ path: string }> };
  listPath: string;
  missing: INodeParameters;
  /** The service's error body around a message. */
  errorBody: (message: string) => Record<string, unknown>;
}

const SERVICES: HostService[] = [
  {
    name: 'MDCA',
    node: new MicrosoftDefenderCloudAppsAlerts(),
    trigger: new MicrosoftDefenderCloudAppsTrigger(),
    event: 'newAlerts',
    cred: (kind, extra) => credentialData(emulator, kind, extra),
    control: () => emulator.control,
    listPath: '/alerts',
    missing: { operation: 'get', alertId: '000000000000000000000000' },
    errorBody: (message) => ({ detail: message }),
  },
  {
    name: 'Microsoft Graph',
    node: new MicrosoftGraphSecurityAlerts(),
    trigger: new MicrosoftGraphSecurityTrigger(),
    event: 'graphAlertChanges',
    cred: (kind, extra) => graphCredentialData(emulator, kind, extra),
    control: () => emulator.control.graph,
    listPath: '/alerts_v2',
    missing: { operation: 'get', alertId: 'no-such-alert' },
    errorBody: (message) => ({ error: { code: 'BadRequest', message, innerError: { date: '2026-01-01T00:00:00', 'request-id': 'canary-request' } } }),
  },
];
const byName = (name: string) => SERVICES.find((s) => s.name === name)!;
const EACH = SERVICES.map((s) => s.name);



const authOf = (type: string) => (type === CRED.app ? 'app' : type === CRED.user ? 'user' : 'apiToken');

const CANARY = {
  clientSecret: 'CANARY-n8n-client-secret-9c41',
  password: 'CANARY-n8n-Passw0rd-2b7e',
  refreshToken: 'CANARY-n8n-refresh-token-d05a',
  apiToken: 'CANARYn8nToken0123456789abcdefABCDEF0123456789xyz',
};

describe('n8n canary', () => {
  const failing: [string, EmulatorAuthKind, ICredentialDataDecryptedObject][] = [
    ['client secret', 'appSecret', { clientSecret: CANARY.clientSecret }],
    ['password', 'userPassword', { password: CANARY.password }],
    ['refresh token', 'userPassword', { userAuthMethod: 'refreshToken', refreshToken: CANARY.refreshToken }],
    ['legacy token', 'apiToken', { apiToken: CANARY.apiToken }],
  ];
  test.each(EACH.flatMap((service) => failing.map(([label, kind, extra]) => [service, label, kind, extra] as const)))('canary %s, %s: thrown errors, error items, trigger errors and credential-test messages are clean', async (service, _label, kind, extra) => {
    const { node: alerts, trigger, event, cred } = byName(service);
    const c = cred(kind, extra);
    const params = { authentication: authOf(c.type), operation: 'getAll', limit: 2 };
    const thrown = await runNode(alerts, { parameters: params, credentials: { [c.type]: c.data } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(thrown).toBeInstanceOf(Error);
    check('thrown error', thrown, CANARY);
    const cof = await runNode(alerts, { parameters: params, credentials: { [c.type]: c.data }, continueOnFail: true });
    expect(cof.items[0].json.error).toBeDefined();
    check('error item', cof.items, CANARY);
    const polled = await runPoll(trigger, { parameters: { authentication: authOf(c.type), event }, credentials: { [c.type]: c.data }, mode: 'manual', staticData: {} }).then(
      (r) => r,
      (e: unknown) => e,
    );
    check('trigger poll', polled, CANARY);
    // The Graph nodes offer no legacy-token credential to test (the node refuses it, above).
    if (service === 'MDCA' || kind !== 'apiToken') {
      const tested = await runCredentialTest(alerts, c.type, c.data);
      expect(tested.status).toBe('Error');
      check('credential test message', tested, CANARY);
    }
    expect(mine()).toEqual([]);
  });

  const working = (service: string) => (service === 'MDCA' ? (['appSecret', 'userPassword', 'apiToken'] as const) : (['appSecret', 'userPassword'] as const));
  test.each(EACH.flatMap((service) => working(service).map((kind) => [service, kind] as const)))('canary %s, working %s credential: its real secret is absent from output items and the credential test', async (service, kind) => {
    const { node: alerts, cred, missing: missingGet } = byName(service);
    const c = cred(kind);
    const secrets = { clientSecret: String(c.data.clientSecret ?? ''), password: String(c.data.password ?? ''), apiToken: String(c.data.apiToken ?? '') };
    expect(Object.values(secrets).some(Boolean)).toBe(true);
    const r = await runNode(alerts, { parameters: { authentication: authOf(c.type), operation: 'getAll', limit: 3, simplify: false }, credentials: { [c.type]: c.data } });
    expect(r.items.length).toBeGreaterThan(0);
    check('output items', r.items, secrets);
    // A failing operation on a working credential: the error item (404) carries no secret either.
    const missing = await runNode(alerts, { parameters: { authentication: authOf(c.type), ...missingGet }, credentials: { [c.type]: c.data }, continueOnFail: true });
    check('error item', missing.items, secrets);
    const tested = await runCredentialTest(alerts, c.type, c.data);
    expect(tested.status).toBe('OK');
    check('credential test message', tested, secrets);
    expect(mine()).toEqual([]);
  });

  /** The working credential's own secret; for a certificate, one line of its key (a secret on its own). */
  const ownSecret = (c: { data: ICredentialDataDecryptedObject }) =>
    String(c.data.clientSecret ?? c.data.password ?? String(c.data.privateKeyPem ?? '').split('\n').find((line) => line.length >= 60 && !line.startsWith('-----')) ?? '');

  test.each(EACH.flatMap((service) => (['appSecret', 'appCertificate', 'userPassword'] as const).map((kind) => [service, kind] as const)))(
    'canary %s, %s credential: the service echoing the credential\'s own secret in its error body reaches no error or item',
    async (service, kind) => {
      const { node: alerts, cred, control, listPath, errorBody } = byName(service);
      const c = cred(kind);
      const secret = ownSecret(c);
      expect(secret.length).toBeGreaterThan(10);
      const faults: [string, Fault][] = [
        ['400 service body', { status: 400, body: errorBody(`bad_secret:${secret}`) }],
        ['403 service body', { status: 403, body: errorBody(`denied for ${encodeURIComponent(secret)}`) }],
        ['404 text', { status: 404, body: `not found: ${secret}`, contentType: 'text/plain' }],
        ['200 HTML', { status: 200, body: `<html>${secret}</html>`, contentType: 'text/html' }],
      ];
      for (const [where, fault] of faults) {
        for (const continueOnFail of [false, true]) {
          control().clearFaults('contoso');
          control().injectFaults('contoso', [{ ...fault, match: { pathIncludes: listPath } } as Fault]);
          const r = await runNode(alerts, { parameters: { authentication: authOf(c.type), operation: 'getAll', limit: 2 }, credentials: { [c.type]: c.data }, continueOnFail }).then(
            (ok) => ok.items,
            (e: unknown) => e,
          );
          if (continueOnFail) expect((r as Array<{ json: { error?: unknown } }>)[0].json.error).toBeDefined();
          else expect(r).toBeInstanceOf(Error);
          check(`${where}${continueOnFail ? ' (error item)' : ''}`, r, { secret });
        }
      }
      control().clearFaults('contoso');
      expect(mine()).toEqual([]);
    },
  );

  // A next-page link is followed only on the Graph origin and the list's own path: one to another
  // host the operator allowed (fabrikam's listener) carrying the secrets is an error, nothing is
  // sent there, and the error and items carry none of the link's text.
  test.each(['appSecret', 'userPassword'] as const)('canary Microsoft Graph, %s credential: a foreign @odata.nextLink carrying the secrets is refused, nothing sent', async (kind) => {
    const { node: alerts, cred, listPath } = byName('Microsoft Graph');
    const c = cred(kind);
    const secret = ownSecret(c);
    const foreign = new URL(emulator.tenants.fabrikam.graphApiUrl);
    const own = new URL(emulator.tenants.contoso.graphApiUrl);
    const query = new URLSearchParams({ $skiptoken: secret, password: secret }).toString();
    for (const link of [`${foreign.origin}/v1.0/security/alerts_v2?${query}`, `https://evil.example/v1.0/security/alerts_v2?${query}`, `${own.origin}/v1.0/users?${query}`]) {
      for (const continueOnFail of [false, true]) {
        emulator.control.graph.clearFaults('contoso');
        emulator.control.graph.injectFaults('contoso', [{ status: 200, body: { value: [{ id: 'canary-page' }], '@odata.nextLink': link }, match: { pathIncludes: listPath } }]);
        emulator.control.graph.resetRequestLog('contoso');
        emulator.control.graph.resetRequestLog('fabrikam');
        const r = await runNode(alerts, { parameters: { authentication: authOf(c.type), operation: 'getAll', returnAll: true }, credentials: { [c.type]: c.data }, continueOnFail }).then(
          (ok) => ok.items,
          (e: unknown) => e,
        );
        if (continueOnFail) expect(JSON.stringify(r)).toMatch(/next-page link/);
        else expect(String((r as Error).message)).toMatch(/next-page link/);
        check(`foreign nextLink${continueOnFail ? ' (error item)' : ''}`, r, { secret, link });
        expect(emulator.control.graph.requestLog('contoso').filter((e) => e.path.includes(listPath))).toHaveLength(1);
        expect(emulator.control.graph.requestLog('fabrikam')).toEqual([]);
      }
    }
    expect(mine()).toEqual([]);
  });

  // Redaction by value (threat model in docs/reliability.md): the OAuth2 credential's Defender XDR
  // token is redeemed by this package itself; a token endpoint answering
  // `{"error":"bad_secret:<refresh token>"}` with CR/LF must not put the refresh token, the client
  // secret or a forged log line into the error.
  test('canary OAuth2 → Defender XDR: the token endpoint echoing the refresh token and client secret in error', async () => {
    const t = emulator.tenants.contoso;
    // Ordinary-looking values: only redaction by value catches them.
    const secrets = { refreshToken: 'walrus-clementine-bridge', clientSecret: 'heron lemonade tunnel' };
    const data = { clientId: t.credentials.apps.full.clientId, clientSecret: secrets.clientSecret, oauthTokenData: { refresh_token: secrets.refreshToken } };
    const endpoint = `${emulator.identityUrl}/${t.tenantId}/oauth2/v2.0/token`;
    for (const body of [
      { error: `bad_secret:${secrets.refreshToken}\r\n2026-01-01T00:00:00Z [error] forged ${secrets.clientSecret}` },
      { error: `invalid_grant ${new URLSearchParams({ r: secrets.refreshToken, s: secrets.clientSecret }).toString()}` },
    ]) {
      emulator.control.clearTokenFaults();
      emulator.control.injectTokenFaults([{ status: 400, body }]);
      const provider = oauth2XdrTokenProvider(data, endpoint, sharedTransport(emulator.caPem));
      const error = await provider.getToken().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(MdcaAuthError);
      check('OAuth2 XDR token error', error, secrets);
      canaries.checked++;
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u001f\u007f-\u009f]/.test((error as Error).message)) canaries.hits.push({ test: expect.getState().currentTestName ?? '', canary: 'control character', where: 'OAuth2 XDR token error' });
    }
    emulator.control.clearTokenFaults();
    expect(mine()).toEqual([]);
  });
});
