// Managed identity through the App Service / Container Apps / Functions endpoint: the platform
// sets IDENTITY_ENDPOINT and IDENTITY_HEADER in the process environment and msal sends the header
// to that endpoint only. Here the emulator plays the platform; the test, as the operator of this
// process, sets the two variables. The header is a secret of the platform: it never appears in
// an error.
import util from 'node:util';
import type { RunningEmulator } from '../../emulator';
import { MdcaError } from '../../core';
import { createMdcaClient } from '../../runtime';
import { emulatorPerFile } from '../support/emulator-per-file';
import { graphClient } from '../graph/helpers';
import { fastSettings, items } from './helpers';

let emulator: RunningEmulator;
emulatorPerFile({ tenants: [{ name: 'contoso', throttle: false }] }, (e) => {
  emulator = e;
  for (const name of ['AZURE_POD_IDENTITY_AUTHORITY_HOST', 'IMDS_ENDPOINT', 'MSI_ENDPOINT', 'IDENTITY_SERVER_THUMBPRINT']) delete process.env[name];
  process.env.IDENTITY_ENDPOINT = e.managedIdentity.appServiceEndpoint;
  process.env.IDENTITY_HEADER = e.managedIdentity.identityHeader;
});

const mi = (key: 'system' | 'automation' | 'reader') => emulator.tenants.contoso.credentials.managedIdentities[key];
const appServiceRequests = () => emulator.control.tokenRequests().filter((r) => r.endpoint === 'appService');

test('system-assigned and user-assigned (resource id) tokens from the App Service endpoint', async () => {
  const before = appServiceRequests().length;
  const system = createMdcaClient(fastSettings(emulator, { kind: 'managedIdentity' }));
  expect(await items(await system.run('alert.getAll', {}, { maxItems: 2 }))).toHaveLength(2);
  const byResourceId = graphClient(emulator, { kind: 'managedIdentity', identity: 'resourceId', identityId: mi('automation').resourceId! });
  expect((await byResourceId.insight()).permissions).toEqual(expect.arrayContaining(['SecurityIncident.ReadWrite.All']));
  expect(appServiceRequests().slice(before).map((r) => r.status)).toEqual([200, 200]);
});

test('a wrong IDENTITY_HEADER: the error names the variables to check, never the header value', async () => {
  const wrongHeader = 'CANARY-identity-header-7e1f2a9c';
  let error: unknown;
  // msal reads the environment once per process: a fresh copy of the runtime (and of msal) sees the new value.
  await jest.isolateModulesAsync(async () => {
    process.env.IDENTITY_HEADER = wrongHeader;
    try {
      const runtime = (await import('../../runtime')) as typeof import('../../runtime');
      error = await runtime.createMdcaClient(fastSettings(emulator, { kind: 'managedIdentity', identity: 'clientId', identityId: mi('reader').clientId })).insight().catch((e: unknown) => e);
    } finally {
      process.env.IDENTITY_HEADER = emulator.managedIdentity.identityHeader;
    }
  });
  const e = error as MdcaError;
  expect(e).toMatchObject({ code: 'AUTH_FAILED', status: 401 });
  expect(e.message).toMatch(/App Service \/ Container Apps endpoint \(IDENTITY_ENDPOINT\) refused the token request \(HTTP 401\)/);
  expect(e.hint).toMatch(/IDENTITY_HEADER/);
  const shown = `${JSON.stringify(e)} ${util.inspect(e, { depth: 8 })} ${String(e.stack)} ${e.hint}`;
  expect(shown).not.toContain(wrongHeader);
  expect(shown).not.toContain(emulator.managedIdentity.identityHeader);
});

test('an identity the App Service resource does not have', async () => {
  const error = (await createMdcaClient(fastSettings(emulator, { kind: 'managedIdentity', identity: 'objectId', identityId: '0b0b0b0b-0000-4000-8000-000000000001' })).insight().catch((e: unknown) => e)) as MdcaError;
  expect(error.code).toBe('AUTH_FAILED');
  expect(error.message).toMatch(/has no such managed identity: No Managed Identity found for specified ClientId\/ResourceId\/PrincipalId\.$/);
  expect(error.hint).toMatch(/object id/);
});
