// Workload identity federation: the client assertion is the token the platform writes to
// AZURE_FEDERATED_TOKEN_FILE (AKS: the projected service account token), read again for every
// token request because the file rotates. The emulator plays both the external issuer (it mints
// the federated token) and Entra ID (it accepts the token for the workload app, whose federated
// credential names that issuer, subject and audience api://AzureADTokenExchange).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunningEmulator } from '../../emulator';
import { MdcaError } from '../../core';
import { createAzureIdentityProvider, createMdcaClient, providerEnvironment, validateAuthSettings } from '../../runtime';
import type { AuthSettings } from '../../runtime/settings';
import { emulatorPerFile } from '../support/emulator-per-file';
import { xdrClient } from '../xdr/helpers';
import { dataRequests, fastSettings, items } from './helpers';

let emulator: RunningEmulator;
let dir: string;
let tokenFile: string;
emulatorPerFile({ tenants: [{ name: 'contoso', throttle: false }] }, (e) => (emulator = e));
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdca-wi-'));
  tokenFile = path.join(dir, 'azure-identity-token');
  process.env.AZURE_FEDERATED_TOKEN_FILE = tokenFile;
  process.env.AZURE_TENANT_ID = emulator.tenants.contoso.tenantId;
  process.env.AZURE_CLIENT_ID = emulator.tenants.contoso.credentials.apps.workload.clientId;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  emulator.control.setClockOffsetMs(0);
  emulator.control.resetRequestLog('contoso');
  fs.writeFileSync(tokenFile, emulator.control.mintFederatedToken('contoso'));
});

const workload = (): AuthSettings => ({ kind: 'workloadIdentity' });
const tokenRequests = () => emulator.control.tokenRequests().filter((r) => r.clientId === emulator.tenants.contoso.credentials.apps.workload.clientId);
let providers = 0;
async function freshError(auth: AuthSettings): Promise<MdcaError> {
  const valid = validateAuthSettings(auth) as Extract<AuthSettings, { kind: 'workloadIdentity' }>;
  const provider = createAzureIdentityProvider(valid, providerEnvironment(fastSettings(emulator, auth)), `wi-test-${++providers}`);
  return (await provider.getToken().then(() => new Error('no error'), (e: unknown) => e)) as MdcaError;
}

test('tenant and client from AZURE_TENANT_ID / AZURE_CLIENT_ID, the assertion from the file: a token, then alerts and incidents', async () => {
  const before = tokenRequests().length;
  const client = createMdcaClient(fastSettings(emulator, workload()));
  expect(await items(await client.run('alert.getAll', {}, { maxItems: 2 }))).toHaveLength(2);
  expect((await client.insight()).permissions).toContain('Investigation.manage');
  expect((await xdrClient(emulator, workload()).insight()).permissions).toContain('Incident.ReadWrite.All');
  expect(tokenRequests().slice(before).map((r) => [r.grant, r.status])).toEqual([
    ['client_credentials', 200],
    ['client_credentials', 200],
  ]);
});

test('the credential\'s tenant and client id win over the environment', async () => {
  process.env.AZURE_CLIENT_ID = emulator.tenants.contoso.credentials.apps.full.clientId;
  try {
    const auth: AuthSettings = { kind: 'workloadIdentity', tenantId: emulator.tenants.contoso.tenantId, clientId: emulator.tenants.contoso.credentials.apps.workload.clientId };
    expect(validateAuthSettings(auth)).toEqual(auth);
    expect((await createMdcaClient(fastSettings(emulator, auth)).insight()).kind).toBe('application');
    // The environment's app has no federated credential: Entra refuses the assertion for it.
    const refused = await freshError({ kind: 'workloadIdentity' });
    expect(refused.code).toBe('AUTH_FAILED');
  } finally {
    process.env.AZURE_CLIENT_ID = emulator.tenants.contoso.credentials.apps.workload.clientId;
  }
});

test('the file is read again for each token request (it rotates)', async () => {
  const client = createMdcaClient(fastSettings(emulator, { kind: 'workloadIdentity', tenantId: emulator.tenants.contoso.tenantId }));
  await client.insight();
  // The platform rotated the file to a token Entra does not accept: the next refresh shows it.
  emulator.control.setClockOffsetMs(2 * 3_600_000);
  fs.writeFileSync(tokenFile, emulator.control.mintFederatedToken('contoso', { sub: 'system:serviceaccount:other:intruder' }));
  const error = (await client.run('alert.getAll', {}, { maxItems: 1 }).then(items).catch((e: unknown) => e)) as MdcaError;
  expect(error.code).toBe('AUTH_FAILED');
  expect(error.details.identityCode).toBe('AADSTS70021');
  expect(error.message).toContain("Assertion Subject: 'system:serviceaccount:other:intruder'");
  expect(error.hint).toMatch(/federated credential/);
  // Rotated again to a good one (minted on the emulator's clock, two hours on): the same client works.
  fs.writeFileSync(tokenFile, emulator.control.mintFederatedToken('contoso'));
  expect(await items(await client.run('alert.getAll', {}, { maxItems: 1 }))).toHaveLength(1);
  expect(dataRequests(emulator, '/api/v1/alerts').filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(1);
});

test('federated tokens Entra refuses: wrong audience, expired, not a JWT', async () => {
  fs.writeFileSync(tokenFile, emulator.control.mintFederatedToken('contoso', { aud: ['api://not-the-exchange'] }));
  const audience = await freshError(workload());
  expect(audience.details.identityCode).toBe('AADSTS70021');
  expect(audience.message).toContain("Assertion Issuer: 'https://oidc.emulator.invalid/contoso/'");

  fs.writeFileSync(tokenFile, emulator.control.mintFederatedToken('contoso', { exp: Math.floor(Date.now() / 1000) - 600, iat: Math.floor(Date.now() / 1000) - 4200 }));
  const expired = await freshError(workload());
  expect(expired.details.identityCode).toBe('AADSTS700024');

  fs.writeFileSync(tokenFile, 'not a token at all');
  const garbage = await freshError(workload());
  expect(garbage.details.identityCode).toBe('AADSTS50027');
  expect(garbage.hint).toMatch(/AZURE_FEDERATED_TOKEN_FILE/);
});

test('a missing, unreadable or empty file, or no AZURE_FEDERATED_TOKEN_FILE: the error names the variable', async () => {
  const before = tokenRequests().length;
  fs.rmSync(tokenFile);
  const missing = await freshError(workload());
  expect(missing).toMatchObject({ code: 'CONFIGURATION_INVALID', details: { field: 'AZURE_FEDERATED_TOKEN_FILE' } });
  expect(missing.message).toBe('The federated token file named by AZURE_FEDERATED_TOKEN_FILE could not be read (missing).');

  fs.mkdirSync(tokenFile);
  const directory = await freshError(workload());
  expect(directory.message).toBe('The federated token file named by AZURE_FEDERATED_TOKEN_FILE could not be read (EISDIR).');
  fs.rmdirSync(tokenFile);

  fs.writeFileSync(tokenFile, '  \n');
  expect((await freshError(workload())).message).toMatch(/is empty/);

  delete process.env.AZURE_FEDERATED_TOKEN_FILE;
  try {
    expect(() => createMdcaClient(fastSettings(emulator, workload()))).toThrow(expect.objectContaining({ code: 'CONFIGURATION_INVALID', details: { field: 'AZURE_FEDERATED_TOKEN_FILE' } }));
  } finally {
    process.env.AZURE_FEDERATED_TOKEN_FILE = tokenFile;
  }
  delete process.env.AZURE_TENANT_ID;
  try {
    expect(() => createMdcaClient(fastSettings(emulator, workload()))).toThrow(expect.objectContaining({ details: { field: 'tenantId' }, hint: expect.stringMatching(/AZURE_TENANT_ID/) }));
  } finally {
    process.env.AZURE_TENANT_ID = emulator.tenants.contoso.tenantId;
  }
  expect(tokenRequests().length).toBe(before);
});
