// The Azure sign-in kinds of the "mdca-config" node: managed identity (the emulator's IMDS-style
// endpoint, reached through the environment variable the operator of Node-RED sets) and workload
// identity (the federated token file), through real nodes of the test helper.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunningEmulator } from '../../emulator';
import { settingsFromConfig } from '../../node-red/lib/config';
import { connection, emulatorAndNodeRedPerFile, loadOperationNode, onCall, OperationRunResult, xdrConnection } from './helpers';

let emulator: RunningEmulator;
let dir: string;
emulatorAndNodeRedPerFile({ tenants: [{ name: 'contoso', throttle: false }] }, (e) => {
  emulator = e;
  for (const name of ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'IMDS_ENDPOINT', 'MSI_ENDPOINT']) delete process.env[name];
  process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = e.managedIdentity.imdsHost;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdca-nr-wi-'));
  process.env.AZURE_FEDERATED_TOKEN_FILE = path.join(dir, 'token');
  fs.writeFileSync(process.env.AZURE_FEDERATED_TOKEN_FILE, e.control.mintFederatedToken('contoso'));
  process.env.AZURE_TENANT_ID = e.tenants.contoso.tenantId;
  process.env.AZURE_CLIENT_ID = e.tenants.contoso.credentials.apps.workload.clientId;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const mi = (key: 'system' | 'automation' | 'reader') => emulator.tenants.contoso.credentials.managedIdentities[key];

async function run(c: ReturnType<typeof connection>, type: string, operation: string, msg: Record<string, unknown> = {}): Promise<OperationRunResult> {
  const { n1, statuses, out, caught, ended } = await loadOperationNode(c, type, operation, { maxItems: 3 });
  const done = new Promise<void>((resolve) => onCall('n1', 'done', () => resolve()));
  const settled = new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (ended()) {
        clearInterval(check);
        resolve();
      }
    }, 20);
  });
  n1.receive(msg);
  await Promise.race([done, settled, new Promise((_, reject) => setTimeout(() => reject(new Error(`no result; statuses ${JSON.stringify(statuses)}`)), 30_000))]);
  await new Promise((r) => setTimeout(r, 50));
  return { out: out.messages, errors: caught.messages, statuses };
}

test('the connection holds no secret and names no endpoint: only the kind and the identity id', () => {
  const settings = settingsFromConfig({ authKind: 'managedIdentity', managedIdentityType: 'resourceId', managedIdentityId: ` ${mi('automation').resourceId} `, apiUrl: emulator.tenants.contoso.apiUrl }, {});
  expect(settings.auth).toEqual({ kind: 'managedIdentity', identity: 'resourceId', identityId: mi('automation').resourceId });
  expect(settingsFromConfig({ authKind: 'managedIdentity' }, {}).auth).toEqual({ kind: 'managedIdentity', identity: 'system', identityId: '' });
  expect(settingsFromConfig({ authKind: 'workloadIdentity', tenantId: '', clientId: '' }, {}).auth).toEqual({ kind: 'workloadIdentity', tenantId: '', clientId: '' });
});

test('system-assigned managed identity: mdca-alert lists alerts', async () => {
  const r = await run(connection(emulator, { kind: 'managedIdentity' }, 'cfg', { managedIdentityType: 'system' }), 'mdca-alert', 'alert.getAll');
  expect(r.errors).toEqual([]);
  expect((r.out[0].payload as unknown[]).length).toBe(3);
  expect(r.statuses[r.statuses.length - 1]).toMatchObject({ fill: 'green' });
});

test('workload identity (tenant and client from the environment): mdca-xdr-incident lists incidents', async () => {
  const c = xdrConnection(emulator, { kind: 'workloadIdentity' });
  const r = await run(c, 'mdca-xdr-incident', 'incident.getAll');
  expect(r.errors).toEqual([]);
  expect((r.out[0].payload as unknown[]).length).toBeGreaterThan(0);
});

test('the reader identity: the missing permission is named in the status and msg.mdcaError, nothing sent', async () => {
  emulator.control.resetRequestLog('contoso');
  const [alert] = emulator.control.listAlerts('contoso');
  const c = connection(emulator, { kind: 'managedIdentity' }, 'cfg', { managedIdentityType: 'clientId', managedIdentityId: mi('reader').clientId });
  const r = await run(c, 'mdca-alert', 'alert.closeBenign', { payload: { alertIds: [alert._id] } });
  expect(r.errors).toHaveLength(1);
  expect(JSON.stringify(r.errors[0].mdcaError)).toMatch(/Investigation\.manage/);
  expect(r.statuses.some((s) => /missing permission|PERMISSION/i.test(String(s.text)))).toBe(true);
  expect(emulator.control.requestLog('contoso').filter((e) => e.path.includes('close_benign'))).toHaveLength(0);
});

test('a user-assigned identity without its id: the node reports the field and the fix', async () => {
  const c = connection(emulator, { kind: 'managedIdentity' }, 'cfg', { managedIdentityType: 'objectId', managedIdentityId: '' });
  const r = await run(c, 'mdca-alert', 'alert.getAll');
  expect(r.errors).toHaveLength(1);
  expect(r.errors[0].mdcaError).toMatchObject({ code: 'CONFIGURATION_INVALID', field: 'managedIdentityId' });
  expect(String((r.errors[0].mdcaError as { hint: string }).hint)).toMatch(/Object \(principal\) ID/);
});
