// The Azure Identity credential in n8n: managed identity (the emulator's IMDS-style endpoint,
// reached through the environment variable an operator sets where n8n runs) and workload identity
// (the federated token file), through n8n-core's engine and the credential test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NodeApiError } from 'n8n-workflow';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import type { RunningEmulator } from '../../emulator';
import { MicrosoftDefenderCloudAppsAlerts } from '../../nodes/MicrosoftDefenderCloudAppsAlerts/MicrosoftDefenderCloudAppsAlerts.node';
import { MicrosoftDefenderXdrIncidents } from '../../nodes/MicrosoftDefenderXdrIncidents/MicrosoftDefenderXdrIncidents.node';
import { MicrosoftDefenderCloudAppsAzureIdentityApi } from '../../credentials/MicrosoftDefenderCloudAppsAzureIdentityApi.credentials';
import { emulatorPerFile } from '../support/emulator-per-file';
import { enableEmulatorHosts } from '../support/emulator-settings';
import { CRED } from './credential-fixtures';
import { executeNode, testCredential } from './engine';

// The operator's switch for Azure identity sign-in (runtime/operator-azure-identity.ts).
process.env.MDCA_ALLOW_AZURE_IDENTITY = 'true';

jest.setTimeout(60_000);

let emulator: RunningEmulator;
let dir: string;
emulatorPerFile({ tenants: [{ name: 'contoso', throttle: false }] }, (e) => {
  emulator = e;
  enableEmulatorHosts(e);
  for (const name of ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'IMDS_ENDPOINT', 'MSI_ENDPOINT']) delete process.env[name];
  process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = e.managedIdentity.imdsHost;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdca-n8n-wi-'));
  process.env.AZURE_FEDERATED_TOKEN_FILE = path.join(dir, 'token');
  fs.writeFileSync(process.env.AZURE_FEDERATED_TOKEN_FILE, e.control.mintFederatedToken('contoso'));
  process.env.AZURE_TENANT_ID = e.tenants.contoso.tenantId;
  process.env.AZURE_CLIENT_ID = e.tenants.contoso.credentials.apps.workload.clientId;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const alerts = new MicrosoftDefenderCloudAppsAlerts();
const mi = (key: 'system' | 'automation' | 'reader') => emulator.tenants.contoso.credentials.managedIdentities[key];
function credential(fields: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject {
  const t = emulator.tenants.contoso;
  return { cloud: 'commercial', apiUrl: t.apiUrl, useTestingEndpoints: true, xdrApiUrl: t.xdrApiUrl, requestsPerMinute: 10_000, ...fields };
}

test('the form: no secret field, managed identity by default (a saved credential keeps working)', () => {
  const type = new MicrosoftDefenderCloudAppsAzureIdentityApi();
  expect(type.name).toBe(CRED.azureIdentity);
  const defaults = Object.fromEntries(type.properties.map((p) => [p.name, p.default]));
  expect(defaults).toMatchObject({ azureIdentity: 'managedIdentity', managedIdentityType: 'system', cloud: 'commercial' });
  // Masked: only the optional URLs that may carry a password of their own (proxy, Redis), no sign-in secret.
  expect(type.properties.filter((p) => p.typeOptions?.password).map((p) => p.name)).toEqual(['proxyUrl', 'redisUrl']);
  // No field names an endpoint or a file: those are the environment's (the emulator switch is a boolean).
  expect(type.properties.filter((p) => p.type === 'string' && /endpoint|file|authority|header|host/i.test(p.name)).map((p) => p.name)).toEqual([]);
});

test('system-assigned managed identity: alerts through the node', async () => {
  const r = await executeNode(alerts, { parameters: { authentication: 'azureIdentity', operation: 'getAll', limit: 2 }, credentials: { [CRED.azureIdentity]: credential({}) } });
  expect(r.items).toHaveLength(2);
});

test('credential test: managed identity by client id, and workload identity', async () => {
  const byClientId = await testCredential(alerts, CRED.azureIdentity, credential({ managedIdentityType: 'clientId', managedIdentityId: mi('automation').clientId }));
  expect(byClientId.status).toBe('OK');
  expect(byClientId.message).toMatch(/Connected \(Application\)\. Permissions: .*Investigation\.manage/);
  const workload = await testCredential(alerts, CRED.azureIdentity, credential({ azureIdentity: 'workloadIdentity' }));
  expect(workload.status).toBe('OK');
  const xdr = await testCredential(new MicrosoftDefenderXdrIncidents(), CRED.azureIdentity, credential({ azureIdentity: 'workloadIdentity' }));
  expect(xdr.message).toMatch(/Connected to Defender XDR \(Application\)/);
});

test('the reader identity cannot close alerts: the error names the permission, nothing is sent', async () => {
  const id = String(emulator.control.listAlerts('contoso')[0]._id);
  emulator.control.resetRequestLog('contoso');
  const err = await executeNode(alerts, {
    parameters: { authentication: 'azureIdentity', operation: 'closeBenign', alertIds: id },
    credentials: { [CRED.azureIdentity]: credential({ managedIdentityType: 'objectId', managedIdentityId: mi('reader').objectId }) },
  }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(NodeApiError);
  expect((err as Error).message).toMatch(/Investigation\.manage/);
  expect(emulator.control.requestLog('contoso').filter((r) => r.path.includes('close_benign'))).toHaveLength(0);
});

test('errors say what to check: a missing user-assigned id, an identity the host lacks, a missing token file', async () => {
  const noId = await testCredential(alerts, CRED.azureIdentity, credential({ managedIdentityType: 'resourceId' }));
  expect(noId).toMatchObject({ status: 'Error' });
  expect(noId.message).toMatch(/user-assigned managed identity is required.*Resource ID/);
  const lacking = await testCredential(alerts, CRED.azureIdentity, credential({ managedIdentityType: 'clientId', managedIdentityId: '3c3c3c3c-0000-4000-8000-000000000003' }));
  expect(lacking.message).toMatch(/no such managed identity.*Assign the user-assigned managed identity/);
  const file = process.env.AZURE_FEDERATED_TOKEN_FILE!;
  process.env.AZURE_FEDERATED_TOKEN_FILE = path.join(dir, 'not-there');
  try {
    const missing = await testCredential(alerts, CRED.azureIdentity, credential({ azureIdentity: 'workloadIdentity', clientId: emulator.tenants.contoso.credentials.apps.workload.clientId.toUpperCase() }));
    expect(missing.message).toMatch(/federated token file named by AZURE_FEDERATED_TOKEN_FILE could not be read \(missing\)/);
  } finally {
    process.env.AZURE_FEDERATED_TOKEN_FILE = file;
  }
});
