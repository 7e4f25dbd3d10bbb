// Secret canaries through the response actions of Entra ID (Graph users and Identity Protection)
// and Defender for Endpoint (case 21 in docs/reliability.md), run by `npm run audit:secrets`.
// The emulator answers error bodies that echo the working credential's own secret (client secret,
// a line of the certificate key, the user's password, also percent-encoded), an access token of
// the tenant and a storage SAS signature, on reads, on the read before an action and on the action
// itself (4xx, a 500 after which the action's outcome is unknown, a text body); credentials with a
// canary secret fail to sign in. Every text our code emits is checked: thrown errors (message,
// hint, stack, JSON, inspect), the per-target records, client events and every log line. Hits are
// written to test-results/canary-hits/containment.json.
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { startEmulator, RunningEmulator, Fault } from '../../emulator';
import type { ResponseFault } from '../../emulator/faults';
import { ENTRA_SERVICE, MDE_SERVICE, OperationOutcome } from '../../core';
import type { ClientEvent } from '../../core';
import { createServiceClient, ServiceConnection } from '../../runtime/create-service-client';
import type { AuthSettings } from '../../runtime/settings';
import { authFor, EmulatorAuthKind } from '../support/emulator-settings';
import { graphConnection } from '../graph/helpers';
import { mdeConnection } from '../containment/mde-helpers';
import { alertUsers } from '../containment/entra-helpers';
import { evidenceDevices } from '../support/mde-emulator';
import { CapturingLogger } from './helpers';

jest.setTimeout(60_000);

let emulator: RunningEmulator;
const hits: { test: string; canary: string; where: string }[] = [];
let checked = 0;

beforeAll(async () => {
  emulator = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }] });
});
afterAll(async () => {
  await emulator?.close();
  const dir = path.resolve(__dirname, '../../test-results/canary-hits');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'containment.json'), JSON.stringify({ suite: 'containment', checked, hits: hits.length, details: hits }, null, 2));
});
afterEach(() => {
  emulator.control.graph.clearFaults('contoso');
  emulator.control.mde.reset('contoso');
});

/** A storage signature as a package link carries it; percent-encoding splits its random run. */
const SAS_SIGNATURE = 'Zm9vYmFyQ2FuYXJ5U2lnbmF0dXJl%2BcanarySAS%3D';
const sasUrl = `https://canarypackages.blob.core.windows.net/packages/case20.zip?sv=2023-11-03&sr=b&se=2026-12-31T00%3A00%3A00Z&sp=r&sig=${SAS_SIGNATURE}`;

function textOf(value: unknown): string {
  const e = value as { message?: string; hint?: string; stack?: string } | undefined;
  let json = '';
  try {
    json = JSON.stringify(value) ?? '';
  } catch {
    json = String(value);
  }
  return [json, util.inspect(value, { depth: 8 }), e?.message, e?.hint, e?.stack, String(value)].join('\n');
}

function check(where: string, value: unknown, canaries: Record<string, string>): void {
  checked++;
  const text = textOf(value);
  const test = expect.getState().currentTestName ?? '';
  for (const [name, secret] of Object.entries(canaries)) if (secret && text.includes(secret)) hits.push({ test, canary: name, where });
}
const mine = () => hits.filter((h) => h.test === expect.getState().currentTestName);

/** The credential's own secret: client secret, password, or one line of the certificate key. */
function ownSecret(auth: AuthSettings): string {
  const a = auth as { clientSecret?: string; password?: string; privateKeyPem?: string };
  return a.clientSecret ?? a.password ?? String(a.privateKeyPem ?? '').split('\n').find((line) => line.length >= 60 && !line.startsWith('-----')) ?? '';
}

interface Service {
  name: string;
  connection: (kind: EmulatorAuthKind | AuthSettings) => ServiceConnection;
  descriptor: typeof ENTRA_SERVICE | typeof MDE_SERVICE;
  faults: () => { injectFaults(tenant: string, faults: Fault[]): void; clearFaults(tenant: string): void };
  errorBody: (message: string) => Record<string, unknown>;
  /** Operations and inputs whose calls get the faults (`pathIncludes`, `method`). */
  calls: () => Array<{ operation: string; input: Record<string, unknown>; match: { method: string; pathIncludes: string } }>;
}

const SERVICES: Service[] = [
  {
    name: 'Entra ID',
    connection: (kind) => graphConnection(emulator, kind),
    descriptor: ENTRA_SERVICE,
    faults: () => emulator.control.graph,
    errorBody: (message) => ({ error: { code: 'Request_BadRequest', message, innerError: { date: '2026-12-07T00:00:00', 'request-id': 'canary', 'client-request-id': message } } }),
    calls: () => {
      const [a, b] = alertUsers(emulator).map((u) => u.userPrincipalName);
      return [
        { operation: 'user.get', input: { user: a }, match: { method: 'GET', pathIncludes: '/users' } },
        { operation: 'user.revokeSessions', input: { users: [a, b] }, match: { method: 'POST', pathIncludes: '/revokeSignInSessions' } },
        { operation: 'user.disable', input: { users: a, comment: 'canary case' }, match: { method: 'PATCH', pathIncludes: '/users' } },
        { operation: 'user.disable', input: { users: [a, b] }, match: { method: 'GET', pathIncludes: '/users' } },
        { operation: 'riskyUser.confirmCompromised', input: { users: [a, b] }, match: { method: 'POST', pathIncludes: '/confirmCompromised' } },
        { operation: 'riskyUser.get', input: { user: alertUsers(emulator)[0].id }, match: { method: 'GET', pathIncludes: '/riskyUsers' } },
      ];
    },
  },
  {
    name: 'Defender for Endpoint',
    connection: (kind) => mdeConnection(emulator, kind),
    descriptor: MDE_SERVICE,
    faults: () => emulator.control.mde,
    errorBody: (message) => ({ error: { code: 'InvalidRequestBody', message, target: message } }),
    calls: () => {
      const [m1, m2] = evidenceDevices(emulator).map((d) => d.mdeDeviceId);
      return [
        { operation: 'machine.get', input: { machineId: m1 }, match: { method: 'GET', pathIncludes: '/api/machines' } },
        { operation: 'machine.find', input: { findBy: 'dnsName', value: evidenceDevices(emulator)[0].deviceDnsName }, match: { method: 'GET', pathIncludes: '/api/machines' } },
        { operation: 'machine.isolate', input: { machineIds: [m1, m2], comment: 'canary case' }, match: { method: 'POST', pathIncludes: '/isolate' } },
        { operation: 'machine.runAntivirusScan', input: { machineIds: m1, comment: 'canary case' }, match: { method: 'GET', pathIncludes: '/api/machineactions' } },
        { operation: 'machineAction.getPackageUri', input: { actionId: '0c5a8c3e-1f0b-4b53-9e9e-000000000020' }, match: { method: 'GET', pathIncludes: '/GetPackageUri' } },
      ];
    },
  },
];

/** Runs an operation, keeping everything it emitted: outcome (records), error, events, log lines. */
async function runCapturing(connection: ServiceConnection, descriptor: Service['descriptor'], operation: string, input: Record<string, unknown>) {
  const logger = new CapturingLogger();
  const events: ClientEvent[] = [];
  const client = createServiceClient(descriptor as typeof MDE_SERVICE, connection, { logger });
  const result = await client.run(operation, input, { onEvent: (e) => events.push(e) }).then(
    (outcome: OperationOutcome) => ({ outcome, error: undefined as unknown }),
    (error: unknown) => ({ outcome: undefined, error }),
  );
  return { ...result, events, log: logger.text() };
}

const KINDS: EmulatorAuthKind[] = ['appSecret', 'appCertificate', 'userPassword'];

describe.each(SERVICES.map((s) => [s.name, s] as const))('canary %s', (_name, service) => {
  test.each(KINDS)('%s credential: error bodies echoing its secret, a token and a SAS signature reach no error, record, event or log line', async (kind) => {
    const auth = authFor(emulator, kind);
    const secret = ownSecret(auth);
    expect(secret.length).toBeGreaterThan(10);
    const token = emulator.control.mintAccessToken('contoso', { aud: 'https://graph.microsoft.com', roles: ['User.Read.All'] } as never);
    const canaries = { secret, encodedSecret: encodeURIComponent(secret), token, tokenBody: token.split('.')[1], sasSignature: SAS_SIGNATURE, sasSignatureDecoded: decodeURIComponent(SAS_SIGNATURE) };
    const echo = `bad_secret:${secret} for Bearer ${token}; denied ${encodeURIComponent(secret)}; package ${sasUrl}`;
    // Each fault answers every matching call (a lookup that falls back to a second query meets it too).
    const faults: Array<[string, ResponseFault]> = [
      ['400 service body', { status: 400, body: service.errorBody(echo), times: 10 }],
      ['403 service body', { status: 403, body: service.errorBody(echo), times: 10 }],
      ['404 service body', { status: 404, body: service.errorBody(echo), times: 10 }],
      ['500 service body', { status: 500, body: service.errorBody(echo), times: 10 }],
      ['400 text body', { status: 400, body: echo, contentType: 'text/plain', times: 10 }],
    ];
    let echoesShown = 0;
    for (const call of service.calls()) {
      for (const [label, fault] of faults) {
        service.faults().clearFaults('contoso');
        service.faults().injectFaults('contoso', [{ ...fault, match: call.match }]);
        const r = await runCapturing(service.connection(kind), service.descriptor, call.operation, call.input);
        const where = `${call.operation} ${call.match.method} ${label}`;
        check(`${where}: error`, r.error, canaries);
        check(`${where}: records`, r.outcome, canaries);
        check(`${where}: events`, r.events, canaries);
        check(`${where}: log`, r.log, canaries);
        if (textOf(r.error).includes('bad_secret:') || textOf(r.outcome).includes('bad_secret:')) echoesShown++;
        // Something went wrong visibly: an error, or a record that says so (a read before an action
        // that was refused is said in the record's message; the action was still sent once).
        const visible = r.error !== undefined || /"status":"(failed|outcomeUnknown|notFound)"|"found":false|"message":"Sent without checking/.test(JSON.stringify(r.outcome)) || JSON.stringify(r.outcome);
        expect([where, visible]).toEqual([where, true]);
      }
    }
    // The service's message does reach the user (without the secrets): the canaries were looked for where they would show.
    expect(echoesShown).toBeGreaterThan(10);
    expect(mine()).toEqual([]);
  });

  test.each([
    ['client secret', (a: AuthSettings) => ({ ...a, clientSecret: 'Cn8Q~canary.containment_secret~0a1b2c3d4e' })],
    ['password', (a: AuthSettings) => ({ ...a, password: 'CANARY-containment-Passw0rd!' })],
  ] as const)('a canary %s that fails to sign in reaches no error or log line', async (label, plant) => {
    const auth = plant(authFor(emulator, label === 'password' ? 'userPassword' : 'appSecret')) as AuthSettings;
    const canary = ownSecret(auth);
    const call = service.calls()[0];
    const r = await runCapturing(service.connection(auth), service.descriptor, call.operation, call.input);
    expect(r.error).toBeDefined();
    check('sign-in error', r.error, { canary, encoded: encodeURIComponent(canary) });
    check('sign-in log', r.log, { canary, encoded: encodeURIComponent(canary) });
    expect(mine()).toEqual([]);
  });
});
