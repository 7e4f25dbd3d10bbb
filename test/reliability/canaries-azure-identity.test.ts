// Secret canaries through the secretless sign-in kinds (runtime/azure-identity.ts): the federated
// assertion in AZURE_FEDERATED_TOKEN_FILE is a secret (whoever holds it signs in as the app for
// its lifetime), and so are the access tokens a managed identity endpoint hands out. Canaries are
// planted in the token file and echoed back by the token endpoint, the managed identity endpoint
// and the MDCA API; every error and everything a Logger received is scanned. Hits go to
// test-results/canary-hits/azure-identity.json for audit:secrets.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import type { Fault, RunningEmulator } from '../../emulator';
import { MdcaError } from '../../core';
import { createAzureIdentityProvider, createMdcaClient, providerEnvironment, validateAuthSettings } from '../../runtime';
import type { AuthSettings } from '../../runtime/settings';
import { emulatorPerFile } from '../support/emulator-per-file';
import { fastSettings } from '../core/helpers';
import { CapturingLogger } from './helpers';

let emulator: RunningEmulator;
let dir: string;
let tokenFile: string;
const hits: { test: string; canary: string; where: string }[] = [];
let checked = 0;
const CANARIES: Record<string, string> = {
  // A token file holding a plain value (no JWT shape a pattern could catch): only redaction by value helps.
  plainAssertion: 'pelican saffron glacier ombudsman',
  shapedAssertion: 'CANARYfederated.assertion.0f9e8d7c6b5a',
};
const FRAGMENT = 12;

emulatorPerFile({ tenants: [{ name: 'contoso', throttle: false }] }, (e) => (emulator = e), {
  afterClose: () => {
    const out = path.resolve(__dirname, '../../test-results/canary-hits');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'azure-identity.json'), JSON.stringify({ suite: 'azure-identity', checked, hits: hits.length, details: hits }, null, 2));
  },
});
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdca-wi-canary-'));
  tokenFile = path.join(dir, 'token');
  process.env.AZURE_FEDERATED_TOKEN_FILE = tokenFile;
  process.env.AZURE_TENANT_ID = emulator.tenants.contoso.tenantId;
  process.env.AZURE_CLIENT_ID = emulator.tenants.contoso.credentials.apps.workload.clientId;
  for (const name of ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'IMDS_ENDPOINT', 'MSI_ENDPOINT']) delete process.env[name];
  process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = emulator.managedIdentity.imdsHost;
  const federated = emulator.control.mintFederatedToken('contoso');
  CANARIES.federatedToken = federated;
  CANARIES.federatedSignature = federated.split('.')[2];
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  emulator.control.clearFaults('contoso');
  emulator.control.clearTokenFaults();
});

function scan(where: string, value: unknown, logger: CapturingLogger): void {
  const parts: string[] = [logger.text()];
  if (value instanceof Error) {
    parts.push(JSON.stringify(value), util.inspect(value, { depth: 10, showHidden: true }), String(value.stack), String(value), value.message);
    if (value instanceof MdcaError) parts.push(value.hint, JSON.stringify(value.toSummary()));
  } else parts.push(util.inspect(value, { depth: 10 }), JSON.stringify(value) ?? '');
  const text = parts.join('\n');
  checked++;
  const test = expect.getState().currentTestName ?? '';
  for (const [name, secret] of Object.entries(CANARIES)) {
    if (text.includes(secret)) hits.push({ test, canary: name, where });
    else if (name === 'plainAssertion' && [...Array(secret.length - FRAGMENT + 1).keys()].some((i) => text.includes(secret.slice(i, i + FRAGMENT)))) hits.push({ test, canary: `${name} (a piece of it)`, where });
  }
}

async function attempt(where: string, auth: AuthSettings, logger: CapturingLogger): Promise<void> {
  const client = createMdcaClient(fastSettings(emulator, auth, 'contoso', { retry: { baseDelayMs: 5, maxDelayMs: 20 } }), { logger });
  try {
    const outcome = await client.run('alert.getAll', {}, { maxItems: 2 });
    const pages: unknown[] = [];
    if (outcome.kind === 'pages') for await (const page of outcome.pages) pages.push(page);
    scan(where, pages, logger);
  } catch (error) {
    expect(error).toBeInstanceOf(MdcaError);
    scan(where, error, logger);
  }
}

/** A service answer that repeats the secret the client sent (or holds). */
const echo = (secret: string) => `assertion=${secret}; "${secret}" (${secret.toUpperCase() === secret ? '' : 'as sent'})`;
let tenantSeq = 0;
/** Each case its own provider (a distinct tenant spelling), so no cached token hides a failure. */
const workload = (): AuthSettings => ({ kind: 'workloadIdentity', tenantId: ++tenantSeq % 2 ? emulator.tenants.contoso.tenantId : emulator.tenants.contoso.tenantId.toUpperCase() });

test('canary assertions in the token file never reach an error or a log', async () => {
  for (const content of [CANARIES.plainAssertion, CANARIES.shapedAssertion, `${CANARIES.federatedToken}x`]) {
    fs.writeFileSync(tokenFile, content);
    const logger = new CapturingLogger();
    await attempt(`file holds ${content.slice(0, 8)}…`, { kind: 'workloadIdentity' }, logger);
    emulator.control.setClockOffsetMs(0);
  }
  expect(hits.filter((h) => h.test === expect.getState().currentTestName)).toEqual([]);
});

test('the token endpoint and the API echo the assertion: scrubbed everywhere', async () => {
  for (const secret of [CANARIES.federatedToken, CANARIES.plainAssertion]) {
    const faults: Fault[] = [
      { status: 400, body: { error: 'invalid_client', error_description: `AADSTS70021: No matching federated identity record. ${echo(secret)}`, error_codes: [70021] } },
      { status: 401, body: { error: 'invalid_client', error_description: echo(secret) } },
      { status: 500, body: `<html>${echo(secret)}</html>` },
    ];
    for (const [i, fault] of faults.entries()) {
      fs.writeFileSync(tokenFile, secret);
      emulator.control.injectTokenFaults([{ ...fault, match: { grant: 'client_credentials' } } as Fault]);
      const logger = new CapturingLogger();
      await attempt(`token endpoint fault ${i}`, workload(), logger);
      emulator.control.clearTokenFaults();
    }
  }
  // A good sign-in, then API answers that echo the assertion it was made from.
  fs.writeFileSync(tokenFile, CANARIES.federatedToken);
  for (const fault of [
    { status: 400, body: { detail: echo(CANARIES.federatedToken) } },
    { status: 403, body: { detail: echo(CANARIES.federatedToken) } },
    { status: 200, body: `<html>${echo(CANARIES.federatedToken)}</html>`, contentType: 'text/html' },
  ] as Fault[]) {
    emulator.control.injectFaults('contoso', [fault]);
    const logger = new CapturingLogger();
    await attempt(`API fault ${(fault as { status: number }).status}`, workload(), logger);
  }
  expect(hits.filter((h) => h.test === expect.getState().currentTestName)).toEqual([]);
});

test('the managed identity endpoint and the API echo its access token: scrubbed everywhere', async () => {
  const auth: AuthSettings = { kind: 'managedIdentity', identity: 'clientId', identityId: emulator.tenants.contoso.credentials.managedIdentities.automation.clientId };
  const logger = new CapturingLogger();
  await attempt('good sign-in', auth, logger);
  // The token this identity holds (msal keeps one per identity and resource for the whole process).
  const provider = createAzureIdentityProvider(validateAuthSettings(auth) as Extract<AuthSettings, { kind: 'managedIdentity' }>, providerEnvironment(fastSettings(emulator, auth)), 'canary-mi');
  CANARIES.accessToken = (await provider.getToken()).token;
  emulator.control.injectFaults('contoso', [{ status: 400, body: { detail: echo(CANARIES.accessToken) } }]);
  await attempt('API echo', auth, logger);
  emulator.control.injectTokenFaults([{ status: 400, body: { error: 'invalid_request', error_description: echo(CANARIES.accessToken) }, match: { grant: 'managed_identity' } } as Fault]);
  await attempt('endpoint echo', { kind: 'managedIdentity', identity: 'objectId', identityId: emulator.tenants.contoso.credentials.managedIdentities.reader.objectId }, logger);
  expect(hits.filter((h) => h.test === expect.getState().currentTestName)).toEqual([]);
});
