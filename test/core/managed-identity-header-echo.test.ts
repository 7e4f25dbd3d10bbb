// A managed identity endpoint that echoes the IDENTITY_HEADER it received (a GUID, which no
// redaction pattern recognises) in its error text: the header's value never reaches the error a
// host shows (runtime/azure-identity.ts, endpointSecrets).
import http from 'node:http';
import util from 'node:util';
import type { AddressInfo } from 'node:net';

// The operator's switch for Azure identity sign-in (runtime/operator-azure-identity.ts).
process.env.MDCA_ALLOW_AZURE_IDENTITY = 'true';

const HEADER = '3f2b8c1e-9d4a-4e6b-8f1c-2a7d5e9b0c4f';
let server: http.Server;
let url = '';
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const got = String(req.headers['x-identity-header'] ?? '');
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ statusCode: 400, message: `Invalid request, header ${got} not accepted for this resource`, correlationId: 'x' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/msi/token`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

test('the IDENTITY_HEADER an endpoint echoes is not in the error', async () => {
  for (const name of ['AZURE_POD_IDENTITY_AUTHORITY_HOST', 'IMDS_ENDPOINT', 'MSI_ENDPOINT', 'IDENTITY_SERVER_THUMBPRINT']) delete process.env[name];
  process.env.IDENTITY_ENDPOINT = url;
  process.env.IDENTITY_HEADER = HEADER;
  let error: unknown;
  await jest.isolateModulesAsync(async () => {
    const runtime = (await import('../../runtime')) as typeof import('../../runtime');
    error = await runtime.createMdcaClient({ cloud: 'commercial', apiUrl: 'contoso.us3.portal.cloudappsecurity.com', auth: { kind: 'managedIdentity' } } as never).insight().catch((e: unknown) => e);
  });
  expect(error).toBeInstanceOf(Error);
  const shown = `${JSON.stringify(error)} ${util.inspect(error, { depth: 8 })} ${(error as Error).message}`;
  // The endpoint's own words still reach the user, without the header.
  expect(shown).toMatch(/not accepted/);
  expect(shown).not.toContain(HEADER);
});
