// "Not on Azure": no platform variable is set and nothing answers at the Instance Metadata
// Service. A real 169.254.169.254 cannot be used in a test, so the operator's
// AZURE_POD_IDENTITY_AUTHORITY_HOST points at a closed local port, which fails the same way a
// host without IMDS does: the error says no endpoint answered and where to look.
import net from 'node:net';
import type { RunningEmulator } from '../../emulator';
import { MdcaError } from '../../core';
import { createMdcaClient } from '../../runtime';
import { emulatorPerFile } from '../support/emulator-per-file';
import { fastSettings } from './helpers';

let emulator: RunningEmulator;
let closedPort = 0;
emulatorPerFile({ tenants: [{ name: 'contoso', throttle: false }] }, (e) => (emulator = e));
beforeAll(async () => {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closedPort = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  for (const name of ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'IMDS_ENDPOINT', 'MSI_ENDPOINT', 'IDENTITY_SERVER_THUMBPRINT']) delete process.env[name];
  process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = `http://127.0.0.1:${closedPort}`;
});

test('no managed identity endpoint: a network error that says this host does not look like Azure', async () => {
  const error = (await createMdcaClient(fastSettings(emulator, { kind: 'managedIdentity' })).insight().catch((e: unknown) => e)) as MdcaError;
  expect(error).toBeInstanceOf(MdcaError);
  expect(error.code).toBe('NETWORK_ERROR');
  expect(error.message).toBe('No managed identity endpoint answered: Instance Metadata Service (AZURE_POD_IDENTITY_AUTHORITY_HOST) (ECONNREFUSED).');
  expect(error.hint).toMatch(/does not seem to run on Azure with a managed identity/);
  expect(error.hint).toMatch(/IDENTITY_ENDPOINT and IDENTITY_HEADER/);
});
