// Secret canaries through the n8n nodes of the response actions: Microsoft Entra ID Users and Risky
// Users, Microsoft Defender for Endpoint Machines and Machine Actions (run by
// `npm run audit:secrets`). The emulator answers error bodies that echo the working credential's
// own secret (client secret, a line of the certificate key, the password, also percent-encoded),
// an access token and a storage SAS signature; credentials with canary secrets fail to sign in;
// the token endpoint echoes the OAuth2 credential's refresh token and client secret while a
// Graph or WindowsDefenderATP token is redeemed. Checked: thrown errors (message, description,
// stack, JSON), continue-on-fail error items, output items (the per-target records) and
// credential-test messages. Hits are written to test-results/canary-hits/entra-mde.json.
import { startEmulator, RunningEmulator } from '../../emulator';
import { CanaryLog, surfaceText } from '../support/canary-log';
import type { Fault } from '../../emulator';
import type { ResponseFault } from '../../emulator/faults';
import { MicrosoftEntraIdUsers } from '../../nodes/MicrosoftEntraIdUsers/MicrosoftEntraIdUsers.node';
import { MicrosoftEntraIdRiskyUsers } from '../../nodes/MicrosoftEntraIdRiskyUsers/MicrosoftEntraIdRiskyUsers.node';
import { MicrosoftDefenderEndpointMachines } from '../../nodes/MicrosoftDefenderEndpointMachines/MicrosoftDefenderEndpointMachines.node';
import { MicrosoftDefenderEndpointMachineActions } from '../../nodes/MicrosoftDefenderEndpointMachineActions/MicrosoftDefenderEndpointMachineActions.node';
import type { ICredentialDataDecryptedObject, INodeParameters, INodeType } from 'n8n-workflow';
import type { EmulatorAuthKind } from '../support/emulator-settings';
import { evidenceDevices } from '../support/mde-emulator';
import { alertUsers } from '../containment/entra-helpers';
import { CRED, credentialData, oauth2CredentialData, signedInTokens } from './credential-fixtures';
import { executeNode as runNode, testCredential as runCredentialTest } from './engine';

jest.setTimeout(60_000);

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }] });
});
afterEach(() => {
  emulator.control.graph.clearFaults('contoso');
  emulator.control.mde.reset('contoso');
  emulator.control.clearTokenFaults();
});

const canaries = new CanaryLog('entra-mde');
const check = canaries.check.bind(canaries);
const mine = () => canaries.mine();
afterAll(async () => {
  await emulator?.close();
  canaries.write();
});


const authOf = (type: string) => (type === CRED.app ? 'app' : type === CRED.user ? 'user' : type === CRED.oAuth2 ? 'oAuth2' : 'apiToken');

const SAS_SIGNATURE = 'bjhuQ2FuYXJ5UGFja2FnZVNpZw%2Fn8nSAS%3D';
const sasUrl = `https://canarypackages.blob.core.windows.net/packages/n8n.zip?sv=2023-11-03&sr=b&sp=r&sig=${SAS_SIGNATURE}`;

/** The credential's own secret: client secret, password, or one line of the certificate key. */
const ownSecret = (data: ICredentialDataDecryptedObject) =>
  String(data.clientSecret || data.password || String(data.privateKeyPem ?? '').split('\n').find((line) => line.length >= 60 && !line.startsWith('-----')) || '');

interface Service {
  name: string;
  /** The credential reaching the service's emulated listener. */
  cred: (kind: EmulatorAuthKind, extra?: ICredentialDataDecryptedObject) => { type: string; data: ICredentialDataDecryptedObject };
  faults: () => { injectFaults(tenant: string, faults: Fault[]): void; clearFaults(tenant: string): void };
  errorBody: (message: string) => Record<string, unknown>;
  /** Node runs whose calls get the faults. */
  runs: () => Array<{ node: INodeType; parameters: INodeParameters; match: { method: string; pathIncludes: string } }>;
  /** A node for the credential test. */
  node: INodeType;
}

const entraUsers = new MicrosoftEntraIdUsers();
const riskyUsers = new MicrosoftEntraIdRiskyUsers();
const machines = new MicrosoftDefenderEndpointMachines();
const machineActions = new MicrosoftDefenderEndpointMachineActions();

const SERVICES: Service[] = [
  {
    name: 'Entra ID',
    cred: (kind, extra) => {
      const base = credentialData(emulator, kind);
      return { type: base.type, data: { ...base.data, graphApiUrl: emulator.tenants.contoso.graphApiUrl, ...extra } };
    },
    faults: () => emulator.control.graph,
    errorBody: (message) => ({ error: { code: 'Request_BadRequest', message, innerError: { date: '2026-12-07T00:00:00', 'request-id': 'canary', 'client-request-id': message } } }),
    runs: () => {
      const [a, b] = alertUsers(emulator).map((u) => u.userPrincipalName);
      return [
        { node: entraUsers, parameters: { resource: 'user', operation: 'get', user: a }, match: { method: 'GET', pathIncludes: '/users' } },
        { node: entraUsers, parameters: { resource: 'user', operation: 'revokeSessions', users: `${a},${b}` }, match: { method: 'POST', pathIncludes: '/revokeSignInSessions' } },
        { node: entraUsers, parameters: { resource: 'user', operation: 'disable', users: a }, match: { method: 'PATCH', pathIncludes: '/users' } },
        { node: riskyUsers, parameters: { resource: 'riskyUser', operation: 'confirmCompromised', users: `${a},${b}` }, match: { method: 'POST', pathIncludes: '/confirmCompromised' } },
      ];
    },
    node: entraUsers,
  },
  {
    name: 'Defender for Endpoint',
    cred: (kind, extra) => {
      const base = credentialData(emulator, kind);
      return { type: base.type, data: { ...base.data, mdeApiUrl: emulator.tenants.contoso.mdeApiUrl, ...extra } };
    },
    faults: () => emulator.control.mde,
    errorBody: (message) => ({ error: { code: 'InvalidRequestBody', message, target: message } }),
    runs: () => {
      const [m1, m2] = evidenceDevices(emulator).map((d) => d.mdeDeviceId);
      return [
        { node: machines, parameters: { resource: 'machine', operation: 'get', machineId: m1 }, match: { method: 'GET', pathIncludes: '/api/machines' } },
        { node: machines, parameters: { resource: 'machine', operation: 'isolate', machineIds: `${m1},${m2}`, comment: 'n8n canary' }, match: { method: 'POST', pathIncludes: '/isolate' } },
        { node: machines, parameters: { resource: 'machine', operation: 'runAntivirusScan', machineIds: m1, comment: 'n8n canary' }, match: { method: 'POST', pathIncludes: '/runAntiVirusScan' } },
        { node: machineActions, parameters: { resource: 'machineAction', operation: 'getPackageUri', actionId: '0c5a8c3e-1f0b-4b53-9e9e-000000000021' }, match: { method: 'GET', pathIncludes: '/GetPackageUri' } },
      ];
    },
    node: machines,
  },
];
const EACH = SERVICES.map((s) => [s.name, s] as const);

describe.each(EACH)('n8n canary %s', (_name, service) => {
  test.each(['appSecret', 'appCertificate', 'userPassword'] as const)('%s credential: error bodies echoing its secret, a token and a SAS signature reach no error, error item or output item', async (kind) => {
    const c = service.cred(kind);
    const secret = ownSecret(c.data);
    expect(secret.length).toBeGreaterThan(10);
    const token = emulator.control.mintAccessToken('contoso', { roles: ['User.Read.All'] } as never);
    const canaries = { secret, encodedSecret: encodeURIComponent(secret), token, tokenBody: token.split('.')[1], sasSignature: SAS_SIGNATURE, sasSignatureDecoded: decodeURIComponent(SAS_SIGNATURE) };
    const echo = `bad_secret:${secret} for Bearer ${token}; denied ${encodeURIComponent(secret)}; package ${sasUrl}`;
    const faults: Array<[string, ResponseFault]> = [
      ['400 service body', { status: 400, body: service.errorBody(echo), times: 10 }],
      ['403 service body', { status: 403, body: service.errorBody(echo), times: 10 }],
      ['500 service body', { status: 500, body: service.errorBody(echo), times: 10 }],
      ['404 text body', { status: 404, body: echo, contentType: 'text/plain', times: 10 }],
    ];
    let echoesShown = 0;
    for (const run of service.runs()) {
      for (const [label, fault] of faults) {
        // A read answered 500 is retried with the credential's real backoff; the 500 after a
        // read's retries is covered at the core (test/reliability/canaries-containment.test.ts).
        if (fault.status === 500 && run.match.method === 'GET') continue;
        for (const continueOnFail of [false, true]) {
          service.faults().clearFaults('contoso');
          service.faults().injectFaults('contoso', [{ ...fault, match: run.match }]);
          const r = await runNode(run.node, { parameters: { authentication: authOf(c.type), ...run.parameters }, credentials: { [c.type]: c.data }, continueOnFail }).then(
            (ok) => ok.items,
            (e: unknown) => e,
          );
          const where = `${String(run.parameters.operation)} ${run.match.method} ${label}${continueOnFail ? ' (continue on fail)' : ''}`;
          check(where, r, canaries);
          if (surfaceText(r).includes('bad_secret:')) echoesShown++;
        }
      }
    }
    // The service's message does reach the workflow (without the secrets).
    expect(echoesShown).toBeGreaterThan(5);
    expect(mine()).toEqual([]);
  });

  test.each([
    ['client secret', 'appSecret', { clientSecret: 'CANARY-n8n-entra-mde-secret-7f3a' }],
    ['password', 'userPassword', { password: 'CANARY-n8n-entra-mde-Passw0rd-41c9' }],
    ['refresh token', 'userPassword', { userAuthMethod: 'refreshToken', refreshToken: 'CANARY-n8n-entra-mde-refresh-0d2e' }],
  ] as const)('canary %s that fails to sign in: thrown errors, error items and the credential-test message are clean', async (_label, kind, extra) => {
    const c = service.cred(kind, extra);
    const canary = String(Object.values(extra)[Object.values(extra).length - 1]);
    const run = service.runs()[0];
    const params = { authentication: authOf(c.type), ...run.parameters };
    const thrown = await runNode(run.node, { parameters: params, credentials: { [c.type]: c.data } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(thrown).toBeInstanceOf(Error);
    check('thrown error', thrown, { canary });
    const cof = await runNode(run.node, { parameters: params, credentials: { [c.type]: c.data }, continueOnFail: true });
    expect(cof.items[0].json.error).toBeDefined();
    check('error item', cof.items, { canary });
    const tested = await runCredentialTest(service.node, c.type, c.data);
    expect(tested.status).toBe('Error');
    check('credential test message', tested, { canary });
    expect(mine()).toEqual([]);
  });

  test('OAuth2: the token endpoint echoing the refresh token and the client secret while a token is redeemed', async () => {
    // n8n holds an MDCA token: the node redeems its refresh token for one of this service.
    const tokens = await signedInTokens(emulator, '05a65629-4c1b-48c1-a78b-804c4abdd4af/Investigation.read');
    const clientSecret = 'heron lemonade tunnel canary';
    const c = service.cred('appSecret');
    const data = { ...oauth2CredentialData(emulator), ...(c.data.graphApiUrl ? { graphApiUrl: c.data.graphApiUrl } : {}), ...(c.data.mdeApiUrl ? { mdeApiUrl: c.data.mdeApiUrl } : {}), clientSecret, oauthTokenData: tokens };
    const canaries = { refreshToken: tokens.refresh_token, accessToken: tokens.access_token, clientSecret };
    const run = service.runs()[0];
    for (const body of [
      { error: 'invalid_grant', error_description: `bad_secret:${tokens.refresh_token}\r\n2026-01-01T00:00:00Z [error] forged ${clientSecret}` },
      { error: `invalid_client ${new URLSearchParams({ r: tokens.refresh_token, s: clientSecret }).toString()}` },
    ]) {
      for (const continueOnFail of [false, true]) {
        emulator.control.clearTokenFaults();
        emulator.control.injectTokenFaults([{ status: 400, body, times: 5 }]);
        const r = await runNode(run.node, { parameters: { authentication: 'oAuth2', ...run.parameters }, credentials: { [CRED.oAuth2]: data }, continueOnFail }).then(
          (ok) => ok.items,
          (e: unknown) => e,
        );
        if (continueOnFail) expect((r as Array<{ json: { error?: unknown } }>)[0].json.error).toBeDefined();
        else expect(r).toBeInstanceOf(Error);
        check(`OAuth2 token redemption${continueOnFail ? ' (error item)' : ''}`, r, canaries);
      }
    }
    expect(mine()).toEqual([]);
  });
});
