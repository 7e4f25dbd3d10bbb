// The admin-API attacks of the threat model (docs/reliability.md) against a started Node-RED: none
// may deliver anything to the attacker's listener. Run with and without adminAuth
// (admin-routes*.test.ts).
import { startEmulator, RunningEmulator } from '../../emulator';
import { adminToken, Listener, Runtime, startListener, startRuntime } from './admin-runtime';
import { enableEmulatorHosts, settingsFor } from '../support/emulator-settings';

export function adminRouteSuite(adminAuth: boolean): void {
  let emulator: RunningEmulator;
  let evil: Listener;
  let rt: Runtime;
  let auth: Record<string, string> = {};
  jest.setTimeout(60_000);

  beforeAll(async () => {
    emulator = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }] });
    // The emulator's hosts are allowed the way an operator allows them (settings.js or
    // MDCA_ALLOW_TEST_HOSTS), never by a connection or a request; the attacker's host is not.
    enableEmulatorHosts(emulator);
    evil = await startListener();
    rt = await startRuntime(adminAuth);
    if (adminAuth) auth = { authorization: `Bearer ${await adminToken(rt)}` };
    const s = settingsFor(emulator, 'appSecret');
    const a = s.auth as { tenantId: string; clientId: string; clientSecret: string };
    // The examples' fixed config id, a device-code connection and an unrelated MQTT broker.
    const flows = [
      { id: 'mdca-conn', type: 'mdca-config', cloud: 'commercial', apiUrl: s.apiUrl, authKind: 'appSecret', tenantId: a.tenantId, clientId: a.clientId, credentials: { clientSecret: a.clientSecret } },
      { id: 'mdca-dc', type: 'mdca-config', cloud: 'commercial', apiUrl: s.apiUrl, authKind: 'deviceCode', tenantId: a.tenantId, clientId: a.clientId },
      { id: 'mqtt1', type: 'mqtt-broker', name: 'broker', broker: '127.0.0.1', port: '1883', credentials: { user: 'mqtt-user', password: 'MQTT-CANARY-PASSWORD' } },
    ];
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

  const pointingAtEvil = (): Record<string, unknown> => ({ cloud: 'commercial', apiUrl: evil.url, allowHosts: evil.host, authorityHost: evil.url, caPem: evil.caPem, tenantId: emulator.tenants.contoso.tenantId, clientId: emulator.tenants.contoso.credentials.apps.full.clientId });

  test('(a) a saved mdca-config id with hosts, authority and CA from the request: the saved secret goes nowhere', async () => {
    for (const credentials of [{ clientSecret: '__PWRD__' }, {}, undefined]) {
      const r = await rt.request('POST', '/mdca/test-connection', { id: 'mdca-conn', authKind: 'appSecret', ...pointingAtEvil(), ...(credentials ? { credentials } : {}) }, auth);
      expect(r.json.ok).toBe(false);
      expect(JSON.stringify(r.json)).not.toContain(emulator.tenants.contoso.credentials.apps.full.clientSecret);
    }
  });

  test('(b) an unrelated node id (MQTT broker) with userPassword: its password goes nowhere', async () => {
    for (const credentials of [{ password: '__PWRD__' }, {}]) {
      const r = await rt.request('POST', '/mdca/test-connection', { id: 'mqtt1', authKind: 'userPassword', username: 'x@contoso.example', ...pointingAtEvil(), credentials }, auth);
      expect(r.json.ok).toBe(false);
      expect(JSON.stringify(r.json)).not.toContain('MQTT-CANARY');
    }
  });

  test('(c) a cross-site form or text post is refused (415, or 401 without a token under adminAuth)', async () => {
    const form = new URLSearchParams({ id: 'mdca-conn', authKind: 'appSecret', apiUrl: evil.url, allowHosts: evil.host, authorityHost: evil.url, caPem: evil.caPem, tenantId: emulator.tenants.contoso.tenantId, clientId: 'x', 'credentials[clientSecret]': '__PWRD__' }).toString();
    for (const [type, body] of [['application/x-www-form-urlencoded', form], ['text/plain', JSON.stringify({ id: 'mdca-conn', ...pointingAtEvil() })]]) {
      for (const p of ['/mdca/test-connection', '/mdca/device-code/start']) {
        const r = await rt.request('POST', p, body, { 'content-type': type, origin: 'https://evil.example' });
        expect(r.status).toBe(adminAuth ? 401 : 415);
        if (adminAuth) expect((await rt.request('POST', p, body, { 'content-type': type, origin: 'https://evil.example', ...auth })).status).toBe(415);
      }
    }
  });

  test('(d) device-code start never writes a token into another node, nor signs in where the request says', async () => {
    for (const id of ['mqtt1', 'mdca-conn', 'not-deployed', 'mdca-dc']) {
      const r = await rt.request('POST', '/mdca/device-code/start', { id, authKind: 'deviceCode', ...pointingAtEvil() }, auth);
      expect(r.json.ok).toBe(false);
      expect(r.status).toBeGreaterThanOrEqual(400);
    }
    await new Promise((res) => setTimeout(res, 1000));
    expect(rt.RED.nodes.getCredentials('mqtt1')).not.toHaveProperty('refreshToken');
    expect(rt.RED.nodes.getCredentials('mdca-conn')).not.toHaveProperty('refreshToken');
  });

  test('the editor dialog still works: a saved node with its saved values, an unsaved dialog with its own', async () => {
    const s = settingsFor(emulator, 'appSecret');
    const dialog = { cloud: 'commercial', apiUrl: s.apiUrl, authKind: 'appSecret', tenantId: emulator.tenants.contoso.tenantId, clientId: emulator.tenants.contoso.credentials.apps.full.clientId };
    const saved = await rt.request('POST', '/mdca/test-connection', { id: 'mdca-conn', ...dialog, credentials: { clientSecret: '__PWRD__' } }, auth);
    expect(saved.json.ok).toBe(true);
    const unsaved = await rt.request('POST', '/mdca/test-connection', { id: 'brand-new', ...dialog, credentials: { clientSecret: emulator.tenants.contoso.credentials.apps.full.clientSecret } }, auth);
    expect(unsaved.json.ok).toBe(true);
    expect(JSON.stringify([saved.json, unsaved.json])).not.toContain(emulator.tenants.contoso.credentials.apps.full.clientSecret);
    const start = await rt.request('POST', '/mdca/device-code/start', { id: 'mdca-dc', ...dialog, authKind: 'deviceCode' }, auth);
    expect(start.json).toMatchObject({ ok: true });
    if (adminAuth) expect((await rt.request('POST', '/mdca/test-connection', { id: 'mdca-conn', ...dialog, credentials: { clientSecret: '__PWRD__' } })).status).toBe(401);
  });
}
