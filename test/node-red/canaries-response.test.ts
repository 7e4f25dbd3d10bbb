// Secret canaries through the Node-RED response nodes (mdca-entra-user, mdca-entra-risky-user,
// mdca-mde-machine, mdca-mde-machine-action), run by `npm run audit:secrets` like
// canaries-graph.test.ts: the emulator answers error bodies that echo the connection's own secret
// (client secret or password, also percent-encoded), an access token and a storage SAS signature,
// on a read, on an action for one target and on an action for a list; a connection with a canary
// secret fails to sign in. Nothing of it may reach a msg (records included), a status, a Catch
// message or the runtime log.
import type { RunningEmulator } from '../../emulator';
import type { ResponseFault } from '../../emulator/faults';
import { alertUsers } from '../containment/entra-helpers';
import { evidenceDevices } from '../support/mde-emulator';
import { emulatorAndNodeRedPerFile, helper, responseConnection, runOperationNode } from './helpers';

let emulator: RunningEmulator;
// One tenant per connection kind: the Entra ID budget (50 calls per minute per tenant, paced in
// real time by the runtime) would otherwise hold the second kind's calls for a minute.
const TENANTS = ['contoso', 'fabrikam'];
jest.setTimeout(120_000);

emulatorAndNodeRedPerFile({ tenants: TENANTS.map((name) => ({ name, throttle: false })) }, (e) => (emulator = e), {
  each: () => {
    for (const t of TENANTS) {
      // The Graph listener's own limit (150 per minute) is not what these cases are about.
      emulator.control.graph.setThrottle(t, false);
      emulator.control.graph.clearFaults(t);
      emulator.control.mde.reset(t);
    }
  },
});

const SAS_SIGNATURE = 'bnJDYW5hcnlQYWNrYWdlU2ln%2BnrSAS%3D';
const sasUrl = `https://canarypackages.blob.core.windows.net/packages/nr.zip?sv=2023-11-03&sr=b&sp=r&sig=${SAS_SIGNATURE}`;

interface Case {
  type: string;
  operation: string;
  payload: (tenant: string) => Record<string, unknown>;
  match: { method: string; pathIncludes: string };
  service: 'graph' | 'mde';
}

const CASES: Case[] = [
  { type: 'mdca-entra-user', operation: 'user.get', payload: (t) => ({ user: alertUsers(emulator, t)[0].userPrincipalName }), match: { method: 'GET', pathIncludes: '/users' }, service: 'graph' },
  { type: 'mdca-entra-user', operation: 'user.revokeSessions', payload: (t) => ({ users: alertUsers(emulator, t).slice(0, 2).map((u) => u.userPrincipalName), comment: 'nr canary' }), match: { method: 'POST', pathIncludes: '/revokeSignInSessions' }, service: 'graph' },
  { type: 'mdca-entra-user', operation: 'user.disable', payload: (t) => ({ users: alertUsers(emulator, t)[0].id }), match: { method: 'PATCH', pathIncludes: '/users' }, service: 'graph' },
  { type: 'mdca-entra-risky-user', operation: 'riskyUser.confirmCompromised', payload: (t) => ({ users: alertUsers(emulator, t).slice(0, 2).map((u) => u.id) }), match: { method: 'POST', pathIncludes: '/confirmCompromised' }, service: 'graph' },
  { type: 'mdca-mde-machine', operation: 'machine.get', payload: (t) => ({ machineId: evidenceDevices(emulator, t)[0].mdeDeviceId }), match: { method: 'GET', pathIncludes: '/api/machines' }, service: 'mde' },
  { type: 'mdca-mde-machine', operation: 'machine.isolate', payload: (t) => ({ machineIds: evidenceDevices(emulator, t).slice(0, 2).map((d) => d.mdeDeviceId), comment: 'nr canary' }), match: { method: 'POST', pathIncludes: '/isolate' }, service: 'mde' },
  { type: 'mdca-mde-machine', operation: 'machine.runAntivirusScan', payload: (t) => ({ machineIds: evidenceDevices(emulator, t)[0].mdeDeviceId, comment: 'nr canary' }), match: { method: 'POST', pathIncludes: '/runAntiVirusScan' }, service: 'mde' },
  { type: 'mdca-mde-machine-action', operation: 'machineAction.getPackageUri', payload: () => ({ actionId: '0c5a8c3e-1f0b-4b53-9e9e-000000000022' }), match: { method: 'GET', pathIncludes: '/GetPackageUri' }, service: 'mde' },
];

const errorBody = (service: Case['service'], message: string) =>
  service === 'graph' ? { error: { code: 'Request_BadRequest', message, innerError: { 'request-id': 'canary', 'client-request-id': message } } } : { error: { code: 'InvalidRequestBody', message, target: message } };
const control = (service: Case['service']) => (service === 'graph' ? emulator.control.graph : emulator.control.mde);

test.each([
  ['appSecret', 'contoso'],
  ['userPassword', 'fabrikam'],
] as const)('canary: %s connection, error bodies echoing its secret, a token and a SAS signature reach no msg, record, status, Catch message or log', async (kind, T) => {
  const c = responseConnection(emulator, kind, 'cfg', {}, T);
  const secret = c.credentials.cfg.clientSecret ?? c.credentials.cfg.password;
  expect(secret.length).toBeGreaterThan(10);
  const token = emulator.control.mintAccessToken(T, { roles: ['User.Read.All'] } as never);
  const echo = `bad_secret:${secret} for Bearer ${token}; denied ${encodeURIComponent(secret)}; package ${sasUrl}`;
  const faults = (service: Case['service']): Array<[string, ResponseFault]> => [
    ['400', { status: 400, body: errorBody(service, echo), times: 10 }],
    ['403', { status: 403, body: errorBody(service, echo), times: 10 }],
    ['text 404', { status: 404, body: echo, contentType: 'text/plain', times: 10 }],
  ];
  let echoesShown = 0;
  for (const testCase of CASES) {
    for (const [label, fault] of faults(testCase.service)) {
      control(testCase.service).clearFaults(T);
      control(testCase.service).injectFaults(T, [{ ...fault, match: testCase.match }]);
      const r = await runOperationNode(c, testCase.type, testCase.operation, { payload: testCase.payload(T) }, {}, { expectError: true });
      const everything = JSON.stringify([r.out, r.errors, r.statuses, helper.log().args], (_k, v) => (typeof v === 'function' ? undefined : v));
      const where = `${testCase.operation} ${label}`;
      for (const [name, s] of Object.entries({ secret, encodedSecret: encodeURIComponent(secret), token, tokenBody: token.split('.')[1], sasSignature: SAS_SIGNATURE, sasSignatureDecoded: decodeURIComponent(SAS_SIGNATURE) })) {
        expect([where, name, everything.includes(s)]).toEqual([where, name, false]);
      }
      if (everything.includes('bad_secret:')) echoesShown++;
    }
  }
  // The service's message does reach the flow (without the secrets).
  expect(echoesShown).toBeGreaterThan(5);
});

test('canary: a connection whose secret fails to sign in puts it in no msg, status, Catch message or log', async () => {
  const canary = 'CANARY-nr-response-s3cr3t-8d2f';
  const c = responseConnection(emulator, 'appSecret');
  c.credentials.cfg.clientSecret = canary;
  const T = 'contoso';
  for (const testCase of [CASES[0], CASES[5]]) {
    const r = await runOperationNode(c, testCase.type, testCase.operation, { payload: testCase.payload(T) }, {}, { expectError: true });
    expect(r.errors.map((m) => (m.mdcaError as { code: string }).code)).toEqual(['AUTH_FAILED']);
    const everything = JSON.stringify([r.out, r.errors, r.statuses, helper.log().args], (_k, v) => (typeof v === 'function' ? undefined : v));
    expect(everything).not.toContain(canary);
  }
});
