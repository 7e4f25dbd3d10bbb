// The credential-editor row of the threat model (docs/reliability.md): someone who may edit a
// shared n8n credential but may not read its secret changes every field (one at a time, every value
// an attacker would try, plus the fields older versions offered, which the REST API still accepts)
// and runs the credential tests and a node. The secret and any authorization header must never
// reach the attacker's hosts, however far a run gets. The emulator hosts are allowed the way an
// operator allows them, never by a field.
import { startEmulator, RunningEmulator } from '../../emulator';
import type { CredentialInformation, ICredentialDataDecryptedObject, IDataObject, INodeProperties } from 'n8n-workflow';
import { MicrosoftDefenderCloudAppsAlerts } from '../../nodes/MicrosoftDefenderCloudAppsAlerts/MicrosoftDefenderCloudAppsAlerts.node';
import { MicrosoftDefenderXdrIncidents } from '../../nodes/MicrosoftDefenderXdrIncidents/MicrosoftDefenderXdrIncidents.node';
import { MicrosoftDefenderCloudAppsAppApi } from '../../credentials/MicrosoftDefenderCloudAppsAppApi.credentials';
import { MicrosoftDefenderCloudAppsUserApi } from '../../credentials/MicrosoftDefenderCloudAppsUserApi.credentials';
import { MicrosoftDefenderCloudAppsOAuth2Api } from '../../credentials/MicrosoftDefenderCloudAppsOAuth2Api.credentials';
import { MicrosoftDefenderCloudAppsTokenApi } from '../../credentials/MicrosoftDefenderCloudAppsTokenApi.credentials';
import { MicrosoftDefenderCloudAppsAzureIdentityApi } from '../../credentials/MicrosoftDefenderCloudAppsAzureIdentityApi.credentials';
import { Attacker, attackerValues, startAttacker } from '../support/attacker';
import { CRED, credentialData, oauth2CredentialData, xdrCredentialData } from './credential-fixtures';
import { executeNode as runNode, testCredential as runCredentialTest } from './engine';

jest.setTimeout(300_000);

let emulator: RunningEmulator;
let attacker: Attacker;
beforeAll(async () => {
  emulator = await startEmulator();
  emulator.control.setThrottle('contoso', false);
  emulator.control.xdr.setThrottle('contoso', false);
  attacker = await startAttacker();
});
beforeEach(() => attacker.reset());
afterAll(async () => {
  await attacker?.close();
  await emulator?.close();
});

const alerts = new MicrosoftDefenderCloudAppsAlerts();
const incidents = new MicrosoftDefenderXdrIncidents();
const REDIS_PASSWORD = 'redis-Secret-7f3a9c21';
const OAUTH_CLIENT_SECRET = 'oauth-client-Secret-5d1e8b40';

type Credential = { type: string; data: ICredentialDataDecryptedObject };

// Every kind carries the emulator's Defender XDR address too (an operator-allowed host), so each
// run reaches the XDR calls quickly instead of waiting on the real Microsoft host.
const kinds: Record<string, () => Credential> = {
  'app (client secret)': () => xdrCredentialData(emulator, 'appSecret'),
  'app (certificate)': () => xdrCredentialData(emulator, 'appCertificate', { privateKeyPassphrase: 'key-Passphrase-1c9d' }),
  'user (password)': () => xdrCredentialData(emulator, 'userPassword'),
  'legacy API token': () => credentialData(emulator, 'apiToken'),
  OAuth2: () => ({ type: CRED.oAuth2, data: { ...oauth2CredentialData(emulator), xdrApiUrl: emulator.tenants.contoso.xdrApiUrl, clientSecret: OAUTH_CLIENT_SECRET } }),
};

const types: Record<string, { properties: INodeProperties[] }> = {
  [CRED.app]: new MicrosoftDefenderCloudAppsAppApi(),
  [CRED.user]: new MicrosoftDefenderCloudAppsUserApi(),
  [CRED.oAuth2]: new MicrosoftDefenderCloudAppsOAuth2Api(),
  [CRED.apiToken]: new MicrosoftDefenderCloudAppsTokenApi(),
  [CRED.azureIdentity]: new MicrosoftDefenderCloudAppsAzureIdentityApi(),
};

/** Fields older versions showed: gone from the form, still writable through n8n's REST API. */
const LEGACY_FIELDS = ['testingAllowHosts', 'testingAuthorityHost', 'testingCaPem', 'redisPassword', 'redisTls'];

function secretsOf(data: IDataObject): string[] {
  const token = (data.oauthTokenData ?? {}) as IDataObject;
  const pem = typeof data.privateKeyPem === 'string' ? data.privateKeyPem.split('\n').filter((l) => l && !l.startsWith('-----')) : [];
  return [data.clientSecret, data.password, data.apiToken, data.privateKeyPassphrase, token.access_token, token.refresh_token, REDIS_PASSWORD, ...pem]
    .filter((s): s is string => typeof s === 'string' && s.length >= 8);
}

function candidates(p: INodeProperties | undefined): CredentialInformation[] {
  const attack = attackerValues(attacker);
  if (!p) return [...attack, true, 'true'];
  if (p.type === 'boolean') return [true, false];
  // A number (the request budget) cannot name a host; a small budget would only make each run
  // wait for the pacer.
  if (p.type === 'number') return [10_000];
  if (p.type === 'options') return [...(p.options ?? []).flatMap((o) => ('value' in o ? [o.value] : [])), ...attack];
  return attack;
}

const authOf = (type: string) => (type === CRED.app ? 'app' : type === CRED.user ? 'user' : type === CRED.oAuth2 ? 'oAuth2' : 'apiToken');

/** What n8n would run with this credential: both credential tests and a read of each API. */
async function exercise(c: Credential): Promise<void> {
  const ignore = () => undefined;
  await runCredentialTest(alerts, c.type, c.data).catch(ignore);
  await runNode(alerts, { parameters: { authentication: authOf(c.type), operation: 'getAll', limit: 1 }, credentials: { [c.type]: c.data } }).catch(ignore);
  if (c.type === CRED.apiToken) return;
  await runCredentialTest(incidents, c.type, c.data).catch(ignore);
  await runNode(incidents, { parameters: { authentication: authOf(c.type), resource: 'incident', operation: 'getAll', limit: 1 }, credentials: { [c.type]: c.data } }).catch(ignore);
}

function expectNothingLeaked(secrets: string[], what: string): void {
  const received = attacker.received();
  for (const secret of secrets) {
    if (received.includes(secret)) throw new Error(`${what}: a secret (${secret.slice(0, 4)}…) reached the attacker's host`);
  }
  expect({ what, authorizationHeader: /"authorization"\s*:/i.test(received) }).toEqual({ what, authorizationHeader: false });
}

describe('every credential kind works as configured (so the attacks below are meaningful)', () => {
  it.each(Object.keys(kinds))('%s: the credential test connects to the emulator', async (kind) => {
    const c = kinds[kind]();
    const r = await runCredentialTest(alerts, c.type, c.data);
    expect(r.status).toBe('OK');
  });
});

describe('an editor who changes one field at a time never receives the secret', () => {
  for (const kind of Object.keys(kinds)) {
    it(`${kind}: every field, every attacker value`, async () => {
      const base = kinds[kind]();
      const properties = types[base.type].properties.filter((p) => p.type !== 'notice' && p.type !== 'hidden');
      const names = [...properties.map((p) => p.name), ...LEGACY_FIELDS];
      for (const name of names) {
        for (const value of candidates(properties.find((p) => p.name === name))) {
          const c = { type: base.type, data: { ...base.data, useTestingEndpoints: true, [name]: value } };
          await exercise(c);
          expectNothingLeaked(secretsOf(base.data), `${kind}, ${name} = ${String(value).slice(0, 60)}`);
        }
      }
    });
  }
});

describe('a credential editor who may not read the secret', () => {
  it('the emulator fields of older versions point the credential at the attacker, with the attacker CA', async () => {
    for (const kind of Object.keys(kinds)) {
      const base = kinds[kind]();
      const data = {
        ...base.data,
        useTestingEndpoints: true,
        testingAllowHosts: attacker.httpsHost,
        testingAuthorityHost: attacker.httpsUrl,
        testingCaPem: attacker.caPem,
        apiUrl: attacker.httpsUrl,
        xdrApiUrl: attacker.httpsUrl,
      };
      await exercise({ type: base.type, data });
      expectNothingLeaked(secretsOf(base.data), `${kind}, legacy emulator fields`);
    }
  });

  it('an extra CA alone no longer joins the trust store of the real connection', async () => {
    const base = kinds['app (client secret)']();
    // Only the CA changes; the hosts stay the operator's. The attacker's certificate must still be
    // refused for every host, including the one an XDR URL edit points at.
    const data = { ...base.data, useTestingEndpoints: true, testingCaPem: attacker.caPem, xdrApiUrl: attacker.httpsUrl };
    await exercise({ type: base.type, data });
    expectNothingLeaked(secretsOf(base.data), 'extra CA');
  });

  it('a Redis host changed while the saved Redis password stays', async () => {
    for (const kind of Object.keys(kinds)) {
      const base = kinds[kind]();
      // What older versions saved: the URL in one field, its password in another.
      const data = { ...base.data, redisSharing: true, redisUrl: `redis://${attacker.tcpHost}/0`, redisPassword: REDIS_PASSWORD };
      await exercise({ type: base.type, data });
      expectNothingLeaked(secretsOf(base.data), `${kind}, Redis URL changed`);
    }
  });
});
