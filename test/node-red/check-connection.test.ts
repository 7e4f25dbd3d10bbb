// "Check connection" of the mdca-config dialog (POST /mdca/check-connection) in a started
// Node-RED against the emulator: the report of MDCA, Defender XDR, Microsoft Graph security,
// Microsoft Entra ID and Defender for Endpoint (identity, cloud, host, grants, locked operations
// with where to grant them, every read the check runs on request) for the deployed
// connection with its saved secret, for an unsaved dialog with its typed secret; and the admin
// route rules: JSON only, our own config node type only, never a saved secret with hosts the
// request names, never a secret in the answer.
import { startEmulator, RunningEmulator } from '../../emulator';
import { adminToken, Listener, Runtime, startListener, startRuntime } from './admin-runtime';
import { enableEmulatorHosts, settingsFor } from '../support/emulator-settings';
import { notRunReason } from '../../core/connection-check';

jest.setTimeout(120_000);

let emulator: RunningEmulator;
let evil: Listener;
let rt: Runtime;
let secret: string;
let dialog: Record<string, unknown>;

beforeAll(async () => {
  emulator = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }] });
  emulator.control.xdr.setThrottle('contoso', false);
  emulator.control.graph.setThrottle('contoso', false);
  emulator.control.mde.setThrottle('contoso', false);
  enableEmulatorHosts(emulator);
  evil = await startListener();
  rt = await startRuntime(true);
  const t = emulator.tenants.contoso;
  const s = settingsFor(emulator, 'appSecret');
  const a = s.auth as { tenantId: string; clientId: string; clientSecret: string };
  secret = a.clientSecret;
  dialog = { cloud: 'commercial', apiUrl: s.apiUrl, authKind: 'appSecret', tenantId: a.tenantId, clientId: a.clientId, xdrApiUrl: t.xdrApiUrl, graphApiUrl: t.graphApiUrl, mdeApiUrl: t.mdeApiUrl, requestsPerMinute: 10000 };
  const flows = [
    { id: 'mdca-conn', type: 'mdca-config', ...dialog, credentials: { clientSecret: a.clientSecret } },
    { id: 'mqtt1', type: 'mqtt-broker', name: 'broker', broker: '127.0.0.1', port: '1883', credentials: { user: 'mqtt-user', password: 'MQTT-CANARY-PASSWORD' } },
  ];
  const auth = { authorization: `Bearer ${await adminToken(rt)}` };
  const r = await rt.request('POST', '/flows', flows, { 'Node-RED-Deployment-Type': 'full', ...auth });
  expect([200, 204]).toContain(r.status);
  const end = Date.now() + 10_000;
  while (!rt.RED.nodes.getNode('mdca-conn') && Date.now() < end) await new Promise((res) => setTimeout(res, 50));
});
afterEach(() => {
  expect(evil.requests).toEqual([]);
});
afterAll(async () => {
  await rt?.stop();
  await evil?.close();
  await emulator?.close();
});

async function post(body: unknown, headers: Record<string, string> = {}) {
  return rt.request('POST', '/mdca/check-connection', body, { authorization: `Bearer ${await adminToken(rt)}`, ...headers });
}

test('the deployed connection with its saved secret: every read the check runs of the five services is green', async () => {
  emulator.control.mde.resetRequestLog('contoso');
  const r = await post({ id: 'mdca-conn', ...dialog, credentials: { clientSecret: '__PWRD__' }, runReads: true });
  expect(r.status).toBe(200);
  const reports = r.json.reports as { service: string; signedIn: boolean; apiHost: string; operations: { id: string; status: string; reason?: string }[] }[];
  expect(reports.map((x) => [x.service, x.signedIn])).toEqual([['mdca', true], ['xdr', true], ['graph', true], ['entra', true], ['mde', true]]);
  expect(reports[0].apiHost).toBe(new URL(String(dialog.apiUrl)).host);
  expect(reports[4].apiHost).toBe(new URL(String(dialog.mdeApiUrl)).host);
  const skipped: string[] = [];
  for (const report of reports) {
    for (const op of report.operations) {
      if (notRunReason(report.service, op.id)) skipped.push(`${report.service}:${op.id}:${op.status}`);
      else expect(`${report.service}:${op.id}:${op.status}`).toBe(`${report.service}:${op.id}:ok`);
    }
  }
  expect(skipped.every((s) => s.endsWith(':skipped'))).toBe(true);
  expect(skipped).toContain('entra:user.get:skipped');
  expect(reports[4].operations.find((o) => o.id === 'machine.getAll')).toMatchObject({ status: 'ok', records: 1 });
  // Never a response action: one machine list is all the check sends to Defender for Endpoint.
  expect(emulator.control.mde.requestLog('contoso').map((e) => `${e.method} ${e.path}`)).toEqual(['GET /api/machines']);
  expect(r.json.text).toContain('Summary:');
  expect(r.json.text).toContain(`0 failed, ${skipped.length} skipped`);
  expect(JSON.stringify(r.json)).not.toContain(secret);
});

test('an unsaved dialog with its typed secret: identity and grants without running reads', async () => {
  const r = await post({ id: 'brand-new', ...dialog, credentials: { clientSecret: secret } });
  const [mdca] = r.json.reports as { signedIn: boolean; operations?: unknown[] }[];
  expect(mdca).toMatchObject({ signedIn: true, identity: { kind: 'application', tenantId: emulator.tenants.contoso.tenantId } });
  expect(mdca.operations).toBeUndefined();
  expect(JSON.stringify(r.json)).not.toContain(secret);
});

test('an unsaved dialog naming a Defender for Endpoint host the operator did not allow: that service is refused, nothing reaches the host', async () => {
  const r = await post({ id: 'brand-new', ...dialog, mdeApiUrl: evil.url, credentials: { clientSecret: secret } });
  const reports = r.json.reports as { service: string; signedIn: boolean; error?: { code: string; message: string } }[];
  const mde = reports.find((x) => x.service === 'mde');
  expect(mde).toMatchObject({ signedIn: false, error: { code: 'CONFIGURATION_INVALID' } });
  expect(reports.find((x) => x.service === 'entra')).toMatchObject({ signedIn: true });
  expect(JSON.stringify(r.json)).not.toContain(secret);
});

test('a saved secret never goes to hosts the request names; another node type\'s secret is never used', async () => {
  const pointingAtEvil = { apiUrl: evil.url, xdrApiUrl: evil.url, graphApiUrl: evil.url, mdeApiUrl: evil.url, allowHosts: evil.host, authorityHost: evil.url, caPem: evil.caPem };
  for (const changed of [pointingAtEvil, { mdeApiUrl: evil.url }, { graphApiUrl: evil.url }]) {
    const r = await post({ id: 'mdca-conn', ...dialog, ...changed, credentials: { clientSecret: '__PWRD__' }, runReads: true });
    expect(r.status).toBe(409);
    expect(r.json.error).toMatchObject({ code: 'UNSAVED_CHANGES' });
    for (const field of Object.keys(changed)) expect((r.json.error as { message: string }).message).toContain(field);
  }
  const other = await post({ id: 'mqtt1', ...dialog, authKind: 'userPassword', username: 'x@contoso.example', credentials: { password: '__PWRD__' } });
  expect(other.status).toBe(404);
  expect(JSON.stringify(other.json)).not.toContain('MQTT-CANARY');
});

test('JSON bodies only, and only with the admin permission', async () => {
  const form = new URLSearchParams({ id: 'mdca-conn', 'credentials[clientSecret]': '__PWRD__' }).toString();
  expect((await post(form, { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
  expect((await rt.request('POST', '/mdca/check-connection', { id: 'mdca-conn', ...dialog, credentials: { clientSecret: '__PWRD__' } })).status).toBe(401);
});
