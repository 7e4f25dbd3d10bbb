// End to end in a real n8n 2.40.7: the packed package is installed as a community package, the
// emulator runs in this process (its ports are known once started and written into the
// credential), n8n trusts its CA through NODE_EXTRA_CA_CERTS, and workflows are run with
// `n8n execute`. Assertions are on n8n's parsed output and on the emulator's state.
import * as fs from 'fs';
import * as path from 'path';
import { startEmulator, RunningEmulator } from '../../emulator';
import { settingsFor, emulatorOperatorEnv } from '../support/emulator-settings';
import { mdcaAppCredential } from '../support/n8n-credentials';
import { createN8n, N8nExecution, N8nRuntime, outputItems, packageTarball } from '../support/n8n-runtime';
import { workflowNode } from '../support/n8n-workflow';
import { freePort, ProxyServer, TINYPROXY_INSTALL_TIMEOUT_MS } from '../support/proxy-server';

jest.setTimeout(600_000);

const PKG = '@mdca-lowcode/n8n-nodes-defender-cloud-apps';
const CRED_ID = 'mdcaAppCred00001';
const CRED = { microsoftDefenderCloudAppsAppApi: { id: CRED_ID, name: 'MDCA (app)' } };
const EXAMPLES = path.join(__dirname, '..', '..', 'examples', 'n8n');

let emulator: RunningEmulator;
let n8n: N8nRuntime;

function must(r: N8nExecution): N8nExecution {
  if (!r.ok) throw new Error(`execution ${r.status}: ${JSON.stringify(r.error)}\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-2000)}`);
  return r;
}

let n = 0;
function node(name: string, type: string, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  n++;
  return workflowNode(`b0000000-0000-4000-8000-${String(n).padStart(12, '0')}`, name, type, [n * 200, 0], parameters, extra);
}
const mdca = (name: string, resource: string, parameters: Record<string, unknown>) => node(name, `${PKG}.microsoftDefenderCloudApps${resource}`, parameters, { credentials: CRED });
function connections(pairs: [string, string][]) {
  const c: Record<string, { main: { node: string; type: string; index: number }[][] }> = {};
  for (const [a, b] of pairs) (c[a] ??= { main: [[]] }).main[0].push({ node: b, type: 'main', index: 0 });
  return c;
}

/** Imports a workflow that `n8n execute` starts at its Manual trigger "Start"; node ids count from 1 again (node()). */
async function importFromStart(id: string, name: string, nodes: () => Array<Record<string, unknown>>, pairs: [string, string][]): Promise<string> {
  n = 0;
  return n8n.importWorkflow({ id, name, settings: { executionOrder: 'v1' }, nodes: [node('Start', 'n8n-nodes-base.manualTrigger', {}), ...nodes()], connections: connections(pairs) });
}

beforeAll(async () => {
  emulator = await startEmulator();
  emulator.control.setThrottle('contoso', false);
  n8n = await createN8n({ install: [packageTarball()], extraCaCertFile: emulator.caFile, env: emulatorOperatorEnv(emulator) });
  await n8n.importCredentials([mdcaAppCredential(emulator, CRED_ID, 'MDCA (app)', { requestsPerMinute: 1000 })]);
});
afterAll(async () => {
  await n8n?.cleanup();
  await emulator?.close();
});

describe('MDCA nodes in a real n8n', () => {
  it('one workflow, several branches: alerts → close benign, IP range create/update/delete, activities paging, entities, files, upload, block script', async () => {
    const low = emulator.control.listAlerts('contoso').filter((x) => x.resolutionStatusValue === 0 && x.severityValue === 1).slice(0, 2).map((x) => String(x._id));
    const id = await importFromStart(
      'mdcaE2eMain01',
      'mdca e2e main',
      () => [
        mdca('Medium Alerts', 'Alerts', { operation: 'getAll', limit: 2, filters: { alertIds: low.join(',') } }),
        mdca('Close Benign', 'Alerts', { operation: 'closeBenign', alertIds: '={{ $json.id }}', options: { reasonId: 6, comment: 'e2e' } }),
        mdca('Create Range', 'IpRanges', { operation: 'create', name: 'e2e range', category: 1, subnets: '203.0.113.0/24' }),
        mdca('Update Range', 'IpRanges', { operation: 'update', rangeId: '={{ $json.rangeId }}', name: 'e2e range renamed', category: 4, subnets: '203.0.113.0/24,198.51.100.9' }),
        mdca('Create Range 2', 'IpRanges', { operation: 'create', name: 'e2e range to delete', category: 6, subnets: '192.0.2.0/24' }),
        mdca('Delete Range', 'IpRanges', { operation: 'delete', rangeId: '={{ $json.rangeId }}' }),
        mdca('Activities', 'Activities', { operation: 'getAll', limit: 150 }),
        mdca('Entities', 'Entities', { operation: 'getAll', limit: 3 }),
        mdca('Files', 'Files', { operation: 'getAll', limit: 2 }),
        node('Log Text', 'n8n-nodes-base.set', { mode: 'raw', jsonOutput: '{ "log": "1700000000 10.0.0.1 GET https://box.com/ 200\\n1700000001 10.0.0.2 GET https://box.com/ 200\\n" }', options: {} }, { typeVersion: 3.4 }),
        node('To File', 'n8n-nodes-base.convertToFile', { operation: 'toText', sourceProperty: 'log', options: { fileName: 'e2e-proxy.log' } }, { typeVersion: 1.1 }),
        mdca('Upload', 'Discovery', { operation: 'uploadLog', content: 'data', fileName: 'e2e-proxy.log', source: 'SQUID', inputStreamName: 'Proxy' }),
        mdca('Block Script', 'Discovery', { operation: 'generateBlockScript', format: 104 }),
      ],
      [
        ['Start', 'Medium Alerts'],
        ['Medium Alerts', 'Close Benign'],
        ['Start', 'Create Range'],
        ['Create Range', 'Update Range'],
        ['Start', 'Create Range 2'],
        ['Create Range 2', 'Delete Range'],
        ['Start', 'Activities'],
        ['Start', 'Entities'],
        ['Start', 'Files'],
        ['Start', 'Log Text'],
        ['Log Text', 'To File'],
        ['To File', 'Upload'],
        ['Start', 'Block Script'],
      ],
    );
    const r = must(await n8n.execute(id));

    const closed = outputItems(r, 'Close Benign');
    expect(closed.map((i) => i.json.status)).toEqual(['done', 'done']);
    for (const alertId of low) expect(emulator.control.getAlert('contoso', alertId)?.resolutionStatusValue).toBe(4);

    const rangeId = String(outputItems(r, 'Create Range')[0].json.rangeId);
    const subnets = emulator.control.getSubnets('contoso') as Array<Record<string, unknown>>;
    expect(subnets.find((s) => s._id === rangeId)).toMatchObject({ name: 'e2e range renamed', category: 4 });
    const deletedId = String(outputItems(r, 'Create Range 2')[0].json.rangeId);
    expect(outputItems(r, 'Delete Range')[0].json).toEqual({ rangeId: deletedId, deleted: true });
    expect(subnets.find((s) => s._id === deletedId)).toBeUndefined();

    const acts = outputItems(r, 'Activities');
    expect(acts).toHaveLength(150);
    expect(new Set(acts.map((i) => i.json.id)).size).toBe(150);
    expect(outputItems(r, 'Entities')).toHaveLength(3);
    expect(outputItems(r, 'Files')).toHaveLength(2);

    expect(outputItems(r, 'Upload')[0].json).toMatchObject({ fileName: 'e2e-proxy.log', finalized: true });
    expect(emulator.control.getUploads('contoso').some((u) => u.filename === 'e2e-proxy.log' && u.finalized)).toBe(true);
    const script = outputItems(r, 'Block Script')[0] as { json: Record<string, unknown>; binary?: Record<string, { fileName?: string }> };
    expect(script.json.mimeType).toBe('text/plain');
    expect(script.binary?.data?.fileName).toMatch(/block-script-104/);

    // No secret in anything n8n printed.
    const secret = (settingsFor(emulator, 'appSecret').auth as { clientSecret: string }).clientSecret;
    expect(r.stdout + r.stderr).not.toContain(secret);
  });

  it('errors: with "On Error: Continue" a validation error becomes an error item naming the field', async () => {
    // (An alert id that fails the locator's own regex is refused by n8n before it runs — `n8n
    // execute` then prints "No active execution found" — so the core's validation is reached with
    // an invalid subnet. A node failing the whole execution is covered by the unit tests.)
    const id = await importFromStart(
      'mdcaE2eErrors01',
      'mdca e2e errors',
      () => [mdca('One Alert', 'Alerts', { operation: 'getAll', limit: 1 }), { ...mdca('Bad Get', 'IpRanges', { operation: 'create', name: 'bad', category: 1, subnets: 'not-a-cidr' }), onError: 'continueRegularOutput' }],
      [
        ['Start', 'One Alert'],
        ['One Alert', 'Bad Get'],
      ],
    );
    const r = must(await n8n.execute(id));
    const soft = outputItems(r, 'Bad Get');
    expect(soft[0].json.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'subnets' });
    expect(String((soft[0].json.error as { message: string }).message)).toMatch(/Subnets/);
  });

  // `n8n execute` starts only from Manual / Execute Workflow triggers (n8n 2.40.7
  // findCliWorkflowStart), so the polling trigger is covered by test/n8n/trigger.test.ts.

  it('the example workflows in examples/n8n import and run', async () => {
    const files = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.json')).sort();
    expect(files.length).toBeGreaterThanOrEqual(4);
    const results: Record<string, N8nExecution> = {};
    let k = 0;
    for (const f of files) {
      const wf = JSON.parse(fs.readFileSync(path.join(EXAMPLES, f), 'utf8'));
      const id = await n8n.importWorkflow({ ...wf, id: `mdcaExample${String(++k).padStart(2, '0')}` });
      results[f] = must(await n8n.execute(id));
    }
    const triaged = outputItems(results['triage-high-severity-alerts.json'], 'Mark as Read');
    expect(triaged.length).toBeGreaterThan(0);
    for (const t of triaged) expect(emulator.control.getAlert('contoso', String(t.json.alertId))?.statusValue).toBe(1);

    const closed = outputItems(results['bulk-close-false-positives.json'], 'Close as False Positive');
    expect(closed).toHaveLength(5);
    for (const c of closed) {
      expect(c.json.status).toBe('done');
      expect(emulator.control.getAlert('contoso', String(c.json.id))?.resolutionStatusValue).toBe(3);
    }

    expect(outputItems(results['nightly-discovery-upload.json'], 'Upload Log')[0].json).toMatchObject({ source: 'SQUID', finalized: true });
    expect(emulator.control.getUploads('contoso').some((u) => /^proxy-\d{4}-\d{2}-\d{2}\.log$/.test(u.filename) && u.finalized)).toBe(true);

    const script = outputItems(results['export-block-script.json'], 'Block Script')[0] as { binary?: Record<string, unknown> };
    expect(script.binary?.script).toBeDefined();
  });
});

// The outbound proxy (docs/networking.md) in a real n8n: HTTPS_PROXY in the environment of the n8n
// process, or the credential's own Proxy URL. Debian's tinyproxy (test/support/proxy-server.ts)
// logs each CONNECT; a dead proxy stops every request, so nothing can have gone round it.
describe('MDCA nodes in a real n8n behind an outbound proxy', () => {
  const PROXY_USER = 'n8n-e2e';
  const PROXY_PASSWORD = 'CANARYn8nproxy-heron.quill_52';
  const PROXY_CRED_ID = 'mdcaAppProxyCred1';
  let open: ProxyServer;
  let guarded: ProxyServer;

  beforeAll(async () => {
    open = await ProxyServer.start();
    guarded = await ProxyServer.start({ basicAuth: { user: PROXY_USER, password: PROXY_PASSWORD } });
    await n8n.importCredentials([mdcaAppCredential(emulator, PROXY_CRED_ID, 'MDCA (app, own proxy)', { requestsPerMinute: 1000, proxyUrl: guarded.url({ user: PROXY_USER, password: PROXY_PASSWORD }) })]);
  }, TINYPROXY_INSTALL_TIMEOUT_MS);
  afterAll(async () => {
    for (const name of ['HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy']) delete n8n.env[name];
    await Promise.all([open?.close(), guarded?.close()]);
  });

  /** Runs a workflow listing alerts and activities with this credential and n8n's proxy environment. */
  async function runThrough(id: string, credentials: Record<string, { id: string; name: string }>, proxyEnv: string | undefined): Promise<N8nExecution> {
    // n8n.execute spawns `n8n execute` with n8n.env as it is at the call.
    for (const name of ['HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy']) delete n8n.env[name];
    if (proxyEnv) n8n.env.HTTPS_PROXY = proxyEnv;
    const withCred = (name: string, resource: string, parameters: Record<string, unknown>) => node(name, `${PKG}.microsoftDefenderCloudApps${resource}`, parameters, { credentials });
    const wf = await importFromStart(
      id,
      id,
      () => [withCred('Alerts', 'Alerts', { operation: 'getAll', limit: 2 }), withCred('Activities', 'Activities', { operation: 'getAll', limit: 3 })],
      [
        ['Start', 'Alerts'],
        ['Start', 'Activities'],
      ],
    );
    // The proxy adds a hop to every call; a loaded machine needs more than the default 2 minutes.
    return n8n.execute(wf, 300_000);
  }

  it('HTTPS_PROXY of the n8n process: the token request and every API call are CONNECT tunnels through the proxy', async () => {
    open.newConnects();
    const run = await runThrough('mdcaE2eProxyEnv01', CRED, open.url());
    if (!run.ok) throw new Error(`execution ${run.status}; the proxy opened: ${open.connects().join(', ') || 'nothing'}\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-2000)}`);
    const r = run;
    expect(outputItems(r, 'Alerts')).toHaveLength(2);
    expect(outputItems(r, 'Activities')).toHaveLength(3);
    const connects = open.newConnects();
    expect(connects).toEqual(expect.arrayContaining([emulator.identityHost, new URL(emulator.tenants.contoso.apiUrl).host]));
    expect(connects.every((c) => [emulator.identityHost, new URL(emulator.tenants.contoso.apiUrl).host].includes(c))).toBe(true);
  });

  it("the credential's own Proxy URL (with a sign-in) is used, and its password shows nowhere", async () => {
    guarded.newConnects();
    const r = must(await runThrough('mdcaE2eProxyCred01', { microsoftDefenderCloudAppsAppApi: { id: PROXY_CRED_ID, name: 'MDCA (app, own proxy)' } }, undefined));
    expect(outputItems(r, 'Alerts')).toHaveLength(2);
    expect(guarded.newConnects()).toEqual(expect.arrayContaining([emulator.identityHost, new URL(emulator.tenants.contoso.apiUrl).host]));
    expect(r.stdout + r.stderr).not.toContain(PROXY_PASSWORD);
  });

  it('a proxy that is not there: the node fails with PROXY_FAILED and nothing reaches the emulator', async () => {
    const before = emulator.control.requestLog('contoso').length;
    const tokens = emulator.control.tokenRequestCounts().total;
    const r = await runThrough('mdcaE2eProxyDead01', CRED, `http://127.0.0.1:${await freePort()}`);
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r.error ?? r.raw)).toMatch(/proxy 127\.0\.0\.1:\d+ \(from HTTPS_PROXY\)/);
    expect(emulator.control.requestLog('contoso').length).toBe(before);
    expect(emulator.control.tokenRequestCounts().total).toBe(tokens);
  });
});
