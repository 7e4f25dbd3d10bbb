// Secret canaries for the n8n nodes (case 21 of docs/reliability.md), run by
// `npm run audit:secrets`. Canary values are planted as the client secret, password, refresh
// token and legacy token of failing credentials; working credentials use their real secret values
// as canaries. Every surface a user or log collector sees is checked: output items,
// continue-on-fail error items, thrown errors (message, description, stack, JSON) and
// credential-test messages. Hits are written to test-results/canary-hits/n8n.json for
// audit:secrets.
import fs from 'node:fs';
import path from 'node:path';
import { startEmulator, RunningEmulator } from '../../emulator';
import { MicrosoftDefenderCloudAppsAlerts } from '../../nodes/MicrosoftDefenderCloudAppsAlerts/MicrosoftDefenderCloudAppsAlerts.node';
import { MicrosoftDefenderCloudAppsTrigger } from '../../nodes/MicrosoftDefenderCloudAppsTrigger/MicrosoftDefenderCloudAppsTrigger.node';
import { CRED, credentialData } from './credential-fixtures';
import { executeNode as runNode, pollNode as runPoll, testCredential as runCredentialTest } from './engine';
import { MdcaAuthError } from '../../core';
import { sharedTransport } from '../../runtime';
import { oauth2XdrTokenProvider } from '../../nodes/adapter/xdr';

jest.setTimeout(60_000);

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
  emulator.control.setThrottle('contoso', false);
});

const hits: { test: string; canary: string; where: string }[] = [];
let checked = 0;
afterAll(async () => {
  await emulator?.close();
  const dir = path.resolve(__dirname, '../../test-results/canary-hits');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'n8n.json'), JSON.stringify({ suite: 'n8n', checked, hits: hits.length, details: hits }, null, 2));
});

const alerts = new MicrosoftDefenderCloudAppsAlerts();
const trigger = new MicrosoftDefenderCloudAppsTrigger();

function surfaceText(value: unknown): string {
  const e = value as { message?: string; description?: string; stack?: string; cause?: unknown } | undefined;
  let json = '';
  try {
    json = JSON.stringify(value) ?? '';
  } catch {
    json = String(value);
  }
  return [json, e?.message, e?.description, e?.stack, e?.cause ? String((e.cause as Error).message ?? e.cause) : ''].join('\n');
}

function check(where: string, value: unknown, canaries: Record<string, string>): void {
  checked++;
  const text = surfaceText(value);
  const test = expect.getState().currentTestName ?? '';
  for (const [name, secret] of Object.entries(canaries)) if (secret && text.includes(secret)) hits.push({ test, canary: name, where });
}

const mine = () => hits.filter((h) => h.test === expect.getState().currentTestName);
const authOf = (type: string) => (type === CRED.app ? 'app' : type === CRED.user ? 'user' : 'apiToken');

const CANARY = {
  clientSecret: 'CANARY-n8n-client-secret-9c41',
  password: 'CANARY-n8n-Passw0rd-2b7e',
  refreshToken: 'CANARY-n8n-refresh-token-d05a',
  apiToken: 'CANARYn8nToken0123456789abcdefABCDEF0123456789xyz',
};

describe('n8n canary', () => {
  test.each([
    ['client secret', () => credentialData(emulator, 'appSecret', { clientSecret: CANARY.clientSecret })],
    ['password', () => credentialData(emulator, 'userPassword', { password: CANARY.password })],
    ['refresh token', () => credentialData(emulator, 'userPassword', { userAuthMethod: 'refreshToken', refreshToken: CANARY.refreshToken })],
    ['legacy token', () => credentialData(emulator, 'apiToken', { apiToken: CANARY.apiToken })],
  ])('canary %s: thrown errors, error items, trigger errors and credential-test messages are clean', async (_label, make) => {
    const c = make();
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
    const polled = await runPoll(trigger, { parameters: { authentication: authOf(c.type), event: 'newAlerts' }, credentials: { [c.type]: c.data }, mode: 'manual', staticData: {} }).then(
      (r) => r,
      (e: unknown) => e,
    );
    check('trigger poll', polled, CANARY);
    const tested = await runCredentialTest(alerts, c.type, c.data);
    expect(tested.status).toBe('Error');
    check('credential test message', tested, CANARY);
    expect(mine()).toEqual([]);
  });

  test.each(['appSecret', 'userPassword', 'apiToken'] as const)('canary working %s credential: its real secret is absent from output items and the credential test', async (kind) => {
    const c = credentialData(emulator, kind);
    const secrets = { clientSecret: String(c.data.clientSecret ?? ''), password: String(c.data.password ?? ''), apiToken: String(c.data.apiToken ?? '') };
    expect(Object.values(secrets).some(Boolean)).toBe(true);
    const r = await runNode(alerts, { parameters: { authentication: authOf(c.type), operation: 'getAll', limit: 3, simplify: false }, credentials: { [c.type]: c.data } });
    expect(r.items.length).toBeGreaterThan(0);
    check('output items', r.items, secrets);
    // A failing operation on a working credential: the error item (404) carries no secret either.
    const missing = await runNode(alerts, { parameters: { authentication: authOf(c.type), operation: 'get', alertId: '000000000000000000000000' }, credentials: { [c.type]: c.data }, continueOnFail: true });
    check('error item', missing.items, secrets);
    const tested = await runCredentialTest(alerts, c.type, c.data);
    expect(tested.status).toBe('OK');
    check('credential test message', tested, secrets);
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
      checked++;
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u001f\u007f-\u009f]/.test((error as Error).message)) hits.push({ test: expect.getState().currentTestName ?? '', canary: 'control character', where: 'OAuth2 XDR token error' });
    }
    emulator.control.clearTokenFaults();
    expect(mine()).toEqual([]);
  });
});
