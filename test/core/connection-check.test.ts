// The connection check and the check-tenant command against the emulator over HTTPS: every read
// operation of every service runs green (Entra ID: none, it would name a user; Defender for
// Endpoint: one list of one machine), nothing but reads is sent, locked operations name their
// permission, the report holds no secret even when the services echo them, and the emulator's key
// profile stored in the repository is the one the emulator produces (`npm run docs` rewrites it).
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { startEmulator, RunningEmulator } from '../../emulator';
import {
  assertReadOnly,
  CHECK_READ_POLICY,
  checkServiceConnection,
  hasSampleInputs,
  notRunReason,
  operationCounts,
  renderConnectionReport,
  ServiceCheckReport,
  ServiceKeyProfile,
} from '../../core/connection-check';
import { compareShapes, shapeOfAll } from '../../core/record-shape';
import { grantHint } from '../../core/grant-hint';
import type { AnyOperationDefinition } from '../../core/operations/types';
import type { GrantedAccess } from '../../core/service-client';
import type { ServiceDescriptor } from '../../core/services/descriptor';
import { ENTRA_SERVICE } from '../../core/services/entra';
import { GRAPH_SERVICE } from '../../core/services/graph';
import { MDCA_SERVICE } from '../../core/services/mdca';
import { MDE_SERVICE } from '../../core/services/mde';
import { XDR_SERVICE } from '../../core/services/xdr';
import { createServiceClient } from '../../runtime';
import { tenantCheckConfig } from '../../runtime/check-tenant/config';
import { runTenantCheck } from '../../runtime/check-tenant/run';
import { main } from '../../runtime/check-tenant/cli';
import { enableEmulatorHosts } from '../support/emulator-settings';
import { configureOperatorTesting, operatorTesting } from '../../runtime/operator';

const PROFILE_FILE = path.resolve(__dirname, '../../core/connection-check/emulator-key-profile.json');
const SERVICES = [MDCA_SERVICE, XDR_SERVICE, GRAPH_SERVICE, ENTRA_SERVICE, MDE_SERVICE];

const isRead = (op: (typeof SERVICES)[number]['operations'][number]): boolean => op.access === 'read' && Object.values(op.steps ?? {}).every((s) => s.access === 'read');

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }] });
  emulator.control.mde.setThrottle('contoso', false);
  enableEmulatorHosts(emulator);
});
afterAll(async () => {
  configureOperatorTesting(undefined);
  await emulator?.close();
});
beforeEach(() => {
  emulator.control.clearFaults('contoso');
  emulator.control.xdr.clearFaults('contoso');
  emulator.control.graph.clearFaults('contoso');
  emulator.control.mde.clearFaults('contoso');
});

/** The environment a user would set for the emulator's tenant. */
function envFor(kind: 'appSecret' | 'appReader' | 'userPassword' | 'apiToken'): NodeJS.ProcessEnv {
  const t = emulator.tenants.contoso;
  const c = t.credentials;
  // The emulator's throttle is off: no need to pace the check to a real tenant's budget.
  const hosts = { MDCA_API_URL: t.apiUrl, MDCA_XDR_API_URL: t.xdrApiUrl, MDCA_GRAPH_API_URL: t.graphApiUrl, MDCA_MDE_API_URL: t.mdeApiUrl, MDCA_CHECK_REQUESTS_PER_MINUTE: '10000' };
  switch (kind) {
    case 'appSecret':
      return { ...hosts, MDCA_AUTH_KIND: 'appSecret', MDCA_TENANT_ID: t.tenantId, MDCA_CLIENT_ID: c.apps.full.clientId, MDCA_CLIENT_SECRET: c.apps.full.clientSecret };
    case 'appReader':
      return { ...hosts, MDCA_AUTH_KIND: 'appSecret', MDCA_TENANT_ID: t.tenantId, MDCA_CLIENT_ID: c.apps.reader.clientId, MDCA_CLIENT_SECRET: c.apps.reader.clientSecret };
    case 'userPassword':
      return { ...hosts, MDCA_AUTH_KIND: 'userPassword', MDCA_TENANT_ID: t.tenantId, MDCA_CLIENT_ID: c.apps.public.clientId, MDCA_USERNAME: c.users.analyst.username, MDCA_PASSWORD: c.users.analyst.password };
    case 'apiToken':
      return { ...hosts, MDCA_AUTH_KIND: 'apiToken', MDCA_API_TOKEN: c.legacyTokens.full };
  }
}

/** Every request the emulator's four APIs received (Entra ID is on the Graph listener), as "METHOD path". */
function apiRequests(): string[] {
  const log = [...emulator.control.requestLog('contoso'), ...emulator.control.xdr.requestLog('contoso'), ...emulator.control.graph.requestLog('contoso'), ...emulator.control.mde.requestLog('contoso')];
  return log.map((r) => `${r.method} ${r.path}`);
}

function clearRequestLogs(): void {
  emulator.control.resetRequestLog('contoso');
  emulator.control.xdr.resetRequestLog('contoso');
  emulator.control.graph.resetRequestLog('contoso');
  emulator.control.mde.resetRequestLog('contoso');
}

test('every read operation of every service has a way to get its required inputs, or a reason the check does not run it', () => {
  for (const service of SERVICES) {
    for (const op of service.operations.filter((o) => o.access === 'read')) expect([service.id, op.id, hasSampleInputs(service.id, op) || notRunReason(service.id, op.id) !== undefined]).toEqual([service.id, op.id, true]);
  }
  // Entra ID: every read names a user, which the check never picks; MDE: one machine list only.
  expect(ENTRA_SERVICE.operations.filter(isRead).map((o) => o.id).filter((id) => !notRunReason('entra', id))).toEqual([]);
  expect(MDE_SERVICE.operations.filter(isRead).map((o) => o.id).filter((id) => !notRunReason('mde', id))).toEqual(['machine.getAll']);
});

test('a key profile holds key names and types, never values; keys that are data are not shown', () => {
  // The connection check profiles records with core/record-shape.ts, data-looking keys folded.
  const profile = shapeOfAll([{ id: 'x', 'alice@contoso.com': 'value-1', appData: { saas: 11161, 'user name': 'Alice' }, tags: ['t'], gone: null }, { id: 7 }], { foldDataKeys: true });
  expect(profile).toEqual({
    type: 'object',
    keys: {
      '(other keys)': 'string',
      appData: { type: 'object', keys: { '(other keys)': 'string', saas: 'number' } },
      gone: 'null',
      id: 'string|number',
      tags: { type: 'array', items: 'string' },
    },
  });
  expect(JSON.stringify(profile)).not.toMatch(/alice|value-1|Alice|11161/);
  // Tenant against emulator: a type the emulator never gives differs; a subset of its types, or null, does not.
  const tenant = shapeOfAll([{ id: 1, extra: true, gone: null, name: 'a' }]);
  const emulator = shapeOfAll([{ id: 'x', gone: 'y', kept: 'z', name: 'b' }, { name: 3 }]);
  expect(compareShapes(tenant, emulator, { typesWithin: true })).toEqual([
    { path: 'extra', kind: 'missing', expected: 'boolean' },
    { path: 'id', kind: 'type', expected: 'number', actual: 'string' },
    { path: 'kept', kind: 'extra', actual: 'string' },
  ]);
});

test('the grant hint names the API of the consent screen, the kind of permission and, for a user, the role', () => {
  expect(grantHint(MDE_SERVICE.permissions, false, ['Machine.Isolate', 'Machine.Scan'])).toBe('In Entra ID > App registrations > your app > API permissions > Add a permission > APIs my organization uses > "WindowsDefenderATP", add the Application permissions Machine.Isolate, Machine.Scan, then grant admin consent.');
  expect(grantHint(ENTRA_SERVICE.permissions, true, ['User.RevokeSessions.All'])).toMatch(/"Microsoft Graph", add the Delegated permission User\.RevokeSessions\.All, then grant admin consent\. The signed-in user also needs the matching Microsoft Entra admin .* role\.$/);
});

test('the check refuses any operation that is not a read', () => {
  for (const service of SERVICES) {
    for (const op of service.operations) {
      const isRead = op.access === 'read' && Object.values(op.steps ?? {}).every((s) => s.access === 'read');
      if (isRead) expect(() => assertReadOnly(op)).not.toThrow();
      else expect(() => assertReadOnly(op)).toThrow(/read operations only/);
    }
  }
});

test('check-tenant with an app secret: every read operation the check runs is green, only reads are sent, the stored emulator key profile is current', async () => {
  clearRequestLogs();
  const reports = await runTenantCheck(tenantCheckConfig(envFor('appSecret')));
  const ran = reports.flatMap((r) => (r.operations ?? []).map((o) => `${r.service}:${o.id}:${o.status}${o.reason ? ` ${o.reason}` : ''}`));
  const expected = SERVICES.flatMap((s) => s.operations.filter(isRead).map((o) => `${s.id}:${o.id}:${notRunReason(s.id, o.id) ? `skipped ${notRunReason(s.id, o.id)}` : 'ok'}`));
  const reads = expected.filter((e) => e.endsWith(':ok'));
  expect(ran).toEqual(expected);
  expect(ran.filter((r) => r.startsWith('entra:'))).toEqual(['entra:user.get:skipped not run: names a user; the check names none and reads no user', 'entra:riskyUser.get:skipped not run: names a user; the check names none and reads no user']);
  // Defender for Endpoint: one request, one machine ($top=1), none of its 100 calls a minute more.
  expect(reports.find((r) => r.service === 'mde')?.operations?.find((o) => o.id === 'machine.getAll')).toMatchObject({ status: 'ok', records: 1 });
  expect(emulator.control.mde.requestLog('contoso').map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/machines']);
  // Entra ID: nothing read (the Graph security reads are the only Graph requests).
  expect(apiRequests().filter((r) => /\/(users|identityProtection)\b/.test(r))).toEqual([]);
  expect(reports.map((r) => [r.service, r.signedIn, r.identity?.kind, r.identity?.tenantId])).toEqual(SERVICES.map((s) => [s.id, true, 'application', emulator.tenants.contoso.tenantId]));
  for (const r of reports) {
    expect(r.locked).toEqual([]);
    expect(r.identity?.appId).toBe(emulator.tenants.contoso.credentials.apps.full.clientId);
  }
  // Reads only: GETs, and POSTs to list and query endpoints, never a write path.
  for (const request of apiRequests()) expect(request).toMatch(/^(GET |POST \/api\/v1\/(alerts|activities|entities|subnet|files)\/$|POST \/api\/v1\/discovery\/discovered_apps\/categories\/$|POST \/api\/advancedhunting\/run$|POST \/v1\.0\/security\/runHuntingQuery$)/);

  const generated: Record<string, ServiceKeyProfile> = Object.fromEntries(reports.map((r) => [r.service, r.keyProfile ?? {}]));
  // Where the check reads fewer records than the emulator holds (MDE: one machine), the stored
  // profile is of all of them: a tenant's record differs only where no emulated record looks like it.
  for (const service of SERVICES) {
    const policy = CHECK_READ_POLICY[service.id];
    if (!policy?.maxItems) continue;
    const t = emulator.tenants.contoso;
    const apiUrl = ({ entra: t.graphApiUrl, mde: t.mdeApiUrl } as Record<string, string>)[service.id];
    const client = createServiceClient(service as ServiceDescriptor<AnyOperationDefinition, GrantedAccess>, { cloud: 'commercial', apiUrl, testing: operatorTesting(), auth: { kind: 'appSecret', tenantId: t.tenantId, clientId: t.credentials.apps.full.clientId, clientSecret: t.credentials.apps.full.clientSecret } });
    for (const id of policy.only) {
      const outcome = await client.run(id, {}, { maxItems: 200 });
      const records: unknown[] = [];
      if (outcome.kind === 'pages') for await (const page of outcome.pages) records.push(...page.items);
      generated[service.id][id] = shapeOfAll(records, { foldDataKeys: true });
    }
  }
  const text = `${JSON.stringify(generated, null, 2)}\n`;
  if (process.env.MDCA_UPDATE_DOCS === '1') fs.writeFileSync(PROFILE_FILE, text);
  // Stale: run `npm run docs` and commit core/connection-check/emulator-key-profile.json.
  expect(fs.readFileSync(PROFILE_FILE, 'utf8')).toBe(text);
  // Against the emulator itself, no key differs (compared with the profile loaded at the start:
  // when `npm run docs` has just rewritten it, the next run checks this).
  if (process.env.MDCA_UPDATE_DOCS !== '1') expect(reports.flatMap((r) => (r.operations ?? []).filter((o) => o.keyDifferences).map((o) => o.id))).toEqual([]);
  const rendered = renderConnectionReport(reports);
  expect(rendered).toContain(`Summary: ${reads.length} ok, 0 failed, ${expected.length - reads.length} skipped.`);
  expect(rendered).toContain('Budget headers');
}, 120_000);

test('a reader app sees what stays locked and the permission each operation needs; locked reads are skipped, never sent', async () => {
  clearRequestLogs();
  const reports = await runTenantCheck(tenantCheckConfig({ ...envFor('appReader'), MDCA_CHECK_SERVICES: 'mdca' }));
  const [mdca] = reports;
  expect(mdca.permissions).toEqual(['Investigation.read']);
  expect(mdca.locked.find((l) => l.id === 'alert.closeBenign')?.needs).toEqual(['Investigation.manage', 'Discovery.manage']);
  expect(mdca.locked.find((l) => l.id === 'discovery.listStreams')?.needs).toEqual(['Discovery.read', 'Discovery.manage']);
  const streams = mdca.operations?.find((o) => o.id === 'discovery.listStreams');
  expect(streams).toMatchObject({ status: 'skipped', reason: 'locked: needs Discovery.read or Discovery.manage' });
  expect(apiRequests().some((r) => r.includes('/discovery/'))).toBe(false);
  expect(renderConnectionReport(reports)).toContain('discovery.listStreams needs Discovery.read or Discovery.manage');
}, 60_000);

test('a reader app: the response actions of Entra ID and Defender for Endpoint stay locked, each with its permission and where to grant it; nothing is written', async () => {
  clearRequestLogs();
  const [entra, mde] = await runTenantCheck(tenantCheckConfig({ ...envFor('appReader'), MDCA_CHECK_SERVICES: 'entra,mde' }));
  expect([entra.service, entra.signedIn, mde.service, mde.signedIn]).toEqual(['entra', true, 'mde', true]);
  expect(entra.permissions).toEqual(expect.arrayContaining(['User.Read.All', 'IdentityRiskyUser.Read.All']));
  expect(entra.unlocked.map((u) => u.id)).toEqual(['user.get', 'riskyUser.get']);
  expect(entra.locked.find((l) => l.id === 'user.disable')?.needs).toContain('User.EnableDisableAccount.All');
  expect(entra.locked.find((l) => l.id === 'riskyUser.dismiss')?.needs).toContain('IdentityRiskyUser.ReadWrite.All');
  expect(entra.grantHint).toMatch(/"Microsoft Graph", add the Application permissions .*User\.EnableDisableAccount\.All/);
  expect(mde.permissions).toEqual(['Machine.Read.All']);
  expect(mde.locked.find((l) => l.id === 'machine.isolate')?.needs).toEqual(['Machine.Isolate']);
  expect(mde.locked.find((l) => l.id === 'machine.runAntivirusScan')?.needs).toEqual(['Machine.Scan']);
  expect(mde.grantHint).toMatch(/"WindowsDefenderATP", add the Application permissions .*Machine\.Isolate/);
  expect(mde.operations?.find((o) => o.id === 'machine.getAll')).toMatchObject({ status: 'ok', records: 1 });
  const text = renderConnectionReport([entra, mde]);
  expect(text).toContain('machine.isolate needs Machine.Isolate');
  expect(text).toMatch(/How to grant +In Entra ID > App registrations .*"WindowsDefenderATP"/);
  expect(apiRequests()).toEqual(['GET /api/machines']);
}, 60_000);

test('a user sign-in: the delegated grants of Entra ID and Defender for Endpoint', async () => {
  const [entra, mde] = await runTenantCheck(tenantCheckConfig({ ...envFor('userPassword'), MDCA_CHECK_SERVICES: 'entra,mde' }));
  for (const r of [entra, mde]) expect(r.identity).toMatchObject({ kind: 'delegated', userPrincipalName: emulator.tenants.contoso.credentials.users.analyst.username });
  expect(mde.operations?.find((o) => o.id === 'machine.getAll')).toMatchObject({ status: 'ok' });
  // The analyst's consented scopes cover every operation: nothing locked, nothing to grant.
  for (const r of [entra, mde]) expect([r.service, r.locked, r.grantHint]).toEqual([r.service, [], undefined]);
}, 60_000);

test('a user sign-in shows the user; a legacy token says XDR, Graph, Entra ID and Defender for Endpoint cannot be checked with it', async () => {
  const user = await runTenantCheck(tenantCheckConfig({ ...envFor('userPassword'), MDCA_CHECK_SERVICES: 'graph' }));
  expect(user[0].identity).toMatchObject({ kind: 'delegated', userPrincipalName: emulator.tenants.contoso.credentials.users.analyst.username });
  const legacy = await runTenantCheck(tenantCheckConfig(envFor('apiToken')));
  expect(legacy.map((r) => [r.service, r.signedIn, r.error?.code])).toEqual([
    ['mdca', true, undefined],
    ['xdr', false, 'CONFIGURATION_INVALID'],
    ['graph', false, 'CONFIGURATION_INVALID'],
    ['entra', false, 'CONFIGURATION_INVALID'],
    ['mde', false, 'CONFIGURATION_INVALID'],
  ]);
  expect(legacy[4].error?.hint).toContain('WindowsDefenderATP');
  expect(legacy[0].identity?.kind).toBe('legacy');
}, 60_000);

test('the n8n and Node-RED form of the check (one client, no reads) lists identity, host and grants', async () => {
  const t = emulator.tenants.contoso;
  const client = createServiceClient(XDR_SERVICE, { cloud: 'commercial', apiUrl: t.xdrApiUrl, testing: operatorTesting(), auth: { kind: 'appSecret', tenantId: t.tenantId, clientId: t.credentials.apps.full.clientId, clientSecret: t.credentials.apps.full.clientSecret } });
  const report: ServiceCheckReport = await checkServiceConnection(client, { now: () => 0 });
  expect(report).toMatchObject({ service: 'xdr', cloud: 'commercial', apiHost: new URL(t.xdrApiUrl).host, signedIn: true });
  expect(report.operations).toBeUndefined();
  expect(report.unlocked.map((u) => u.id)).toContain('incident.getAll');
});

describe('check-tenant command', () => {
  test('refuses a secret on the command line without echoing it, and needs a sign-in', async () => {
    let out = '';
    expect(await main(['check-tenant', '--client-secret', 'quokka-on-the-command-line'], {}, (t) => (out += t))).toBe(2);
    expect(out).not.toContain('quokka');
    expect(out).toContain('never on the command line');
    out = '';
    expect(await main(['check-tenant'], {}, (t) => (out += t))).toBe(2);
    expect(out).toContain('MDCA_AUTH_KIND');
  });

  test('reads a JSON file, prints the report and exits 0 when every read is green', async () => {
    const env = envFor('appSecret');
    const file = path.join(fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'check-tenant-')), 'tenant.json');
    fs.writeFileSync(file, JSON.stringify({ apiUrl: env.MDCA_API_URL, xdrApiUrl: env.MDCA_XDR_API_URL, graphApiUrl: env.MDCA_GRAPH_API_URL, services: ['mdca'], requestsPerMinute: 10000, auth: { kind: 'appSecret', tenantId: env.MDCA_TENANT_ID, clientId: env.MDCA_CLIENT_ID, clientSecret: env.MDCA_CLIENT_SECRET } }));
    let out = '';
    expect(await main(['check-tenant', '--config', file], {}, (t) => (out += t))).toBe(0);
    expect(out).toContain('== MDCA ==');
    expect(out).toMatch(/OK +alert\.getAll/);
    expect(out).not.toContain(String(env.MDCA_CLIENT_SECRET));
  }, 60_000);
});

describe('canaries: the report is safe to paste', () => {
  const SECRET_VARIABLES = ['MDCA_CLIENT_SECRET', 'MDCA_PASSWORD', 'MDCA_API_TOKEN'];

  test.each(['appSecret', 'userPassword', 'apiToken'] as const)('%s: no secret or token reaches the text or the JSON report, even when every service echoes them', async (kind) => {
    const env: NodeJS.ProcessEnv = { ...envFor(kind), MDCA_CHECK_MAX_ITEMS: '2' };
    const canaries: Record<string, string> = Object.fromEntries(SECRET_VARIABLES.filter((v) => env[v]).map((v) => [v, String(env[v])]));
    const accessToken = emulator.control.mintAccessToken('contoso', { appid: 'canary-app' });
    canaries.accessToken = accessToken;
    canaries.accessTokenSignature = accessToken.split('.')[2];
    const echo = Object.values(canaries).join(' | ');
    const secret = Object.values(canaries)[0];
    // Answers a check may meet, each echoing the secrets: a throttle with budget headers that carry
    // a secret instead of a number (then the real answer), refusals with JSON and HTML bodies.
    const faults = (paths: string[]) => [
      { status: 429, headers: { 'retry-after': '0', 'x-ratelimit-remaining': secret, 'ratelimit-limit': '30' }, body: { error: echo }, match: { pathIncludes: paths[0] } },
      ...paths.slice(1).map((p) => ({ status: 400, times: 3, body: { error: { code: 'BadRequest', message: `failed for ${echo}` } }, match: { pathIncludes: p } })),
      { status: 403, times: 3, body: `<html>${echo}</html>`, contentType: 'text/html', match: { pathIncludes: paths[0] } },
    ];
    emulator.control.injectFaults('contoso', faults(['/api/v1/alerts/', '/api/v1/files/', '/api/v1/entities/']));
    emulator.control.xdr.injectFaults('contoso', faults(['/api/incidents', '/api/advancedhunting/run']));
    emulator.control.graph.injectFaults('contoso', faults(['/security/alerts_v2', '/security/runHuntingQuery']));
    emulator.control.mde.injectFaults('contoso', faults(['/api/machines']));
    let out = '';
    await main(['check-tenant'], env, (text) => (out += text));
    await main(['check-tenant', '--json'], env, (text) => (out += text));
    out += util.inspect(await runTenantCheck(tenantCheckConfig(env)), { depth: 12 });
    // A sign-in refused with the secrets echoed in the identity service's answer.
    emulator.control.injectTokenFaults([{ status: 400, body: { error: 'invalid_request', error_description: `bad ${echo}` } }]);
    await main(['check-tenant'], env, (text) => (out += text));
    emulator.control.clearTokenFaults();

    expect(out).toContain('x-ratelimit-remaining: (not a number, not shown)');
    expect(out).toContain('ratelimit-limit: 30');
    expect(out).toMatch(/FAILED/);
    // Two text reports (the second after the refused sign-in) and one JSON report.
    expect(out.match(/check-tenant: read-only connection check/g)?.length).toBe(2);
    expect(out).toContain('"counts"');
    const hits = Object.entries(canaries).filter(([, value]) => out.includes(value)).map(([name]) => name);
    expect(hits).toEqual([]);
  }, 120_000);
});
