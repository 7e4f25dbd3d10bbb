// The example flows on real Node-RED 4.1 (Node 20) and 5.0 (Node 24) with the packed tarball:
// deployed through the admin API against an emulator started here (credentials in the deploy, so
// Node-RED stores them encrypted), triggered through the inject endpoint, checked in the
// emulator's state. The Defender XDR flows (new MDCA alert → its XDR incident; an incident enriched
// with advanced hunting) run through the emulator's XDR listener, the two Microsoft Graph flows (new
// MDCA alert in Graph → comment with the user's activities → resolved; daily hunt → one comment per
// incident) through its Graph listener, checked by test/support/graph-examples.ts like the n8n
// workflows. The two response flows (contain a compromised user; isolate the device of a new
// incident) run last, each deployed alone (with the others, each would act on the alerts and
// incidents the other tests raise), checked by test/support/response-examples.ts like the n8n
// workflows; while the isolation is waited for, the test moves the emulator's clock (the wait
// never depends on the wall clock).
import * as fs from 'fs';
import { startEmulator, RunningEmulator } from '../../emulator';
import { containUserDone, driveIsolation, expectContainUserOutcome, expectIsolateDeviceOutcome, insertContainUserData, insertIsolateDeviceData, isolateDeviceDone } from '../support/response-examples';
import { alertExampleDone, expectAlertExampleOutcome, expectedHuntingHits, expectHuntingOutcome, groupTwoHuntingHits, huntingCommentsSent, insertAlertExampleData } from '../support/graph-examples';
import { NodeRedRuntime, packageTarball, startNodeRed } from '../support/node-red-runtime';
import { pollUntil } from '../support/poll-until';
import { resultOf } from '../core/helpers';
import { xdrClient } from '../xdr/helpers';
import { emulatorHosts } from '../support/emulator-settings';
import { freePort, ProxyServer, TINYPROXY_INSTALL_TIMEOUT_MS } from '../support/proxy-server';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildDemoFlows, emulatorConnection, operatorSettings } = require('../../scripts/demo/flows.js');

jest.setTimeout(300_000);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const until = <T>(what: string, fn: () => T | undefined | false, timeoutMs = 30_000): Promise<T> => pollUntil(what, fn, timeoutMs, 200);

type FlowNode = { id: string; type: string; z?: string };
const inExample = (n: FlowNode, name: string): boolean => n.id === `tab-${name}` || n.z === `tab-${name}`;
/** One example's tab (examples/node-red/<name>.json) and the shared connection, nothing else. */
const onlyExample = (flows: FlowNode[], name: string): FlowNode[] => flows.filter((n) => inExample(n, name) || n.type === 'mdca-config');
/**
 * The response flows act on every new high-severity MDCA alert and every new incident: deployed
 * with the others, they would isolate devices and comment on the incidents the other tests raise.
 * They run in tests of their own (the last two).
 */
const RESPONSE_EXAMPLES = ['contain-compromised-user', 'isolate-device-from-incident'];
const withoutResponseExamples = (flows: FlowNode[]): FlowNode[] => flows.filter((n) => !RESPONSE_EXAMPLES.some((name) => inExample(n, name)));

describe.each([4, 5] as const)('example flows on Node-RED %i', (version) => {
  let emulator: RunningEmulator;
  let nr: NodeRedRuntime;
  // Every example runs behind an outbound proxy, Debian's tinyproxy, named in HTTPS_PROXY of the
  // Node-RED process (docs/networking.md); its log shows each CONNECT tunnel.
  let proxy: ProxyServer;
  const tenant = `nr${version}`;

  beforeAll(async () => {
    proxy = await ProxyServer.start();
  }, TINYPROXY_INSTALL_TIMEOUT_MS);
  beforeAll(async () => {
    emulator = await startEmulator({ tenants: [{ name: tenant, throttle: false }] });
    // The operator (settings.js) allows the emulator; the flow cannot.
    const proxyEnv = { HTTPS_PROXY: proxy.url(), https_proxy: proxy.url(), NO_PROXY: '', no_proxy: '' };
    nr = await startNodeRed({ version, install: [packageTarball()], settings: operatorSettings(emulatorConnection(emulator, emulator.caPem, tenant)), env: proxyEnv });
  });
  afterAll(async () => {
    await nr?.stop();
    await emulator?.close();
    await proxy?.close();
  });

  test('deploys with encrypted credentials and runs triage, bulk close, upload and block script', async () => {
    const flows = withoutResponseExamples(buildDemoFlows({ ...emulatorConnection(emulator, emulator.caPem, tenant), requestsPerMinute: 1000 }));
    await nr.deploy(flows);
    // Secrets are not in the flow file, only in the encrypted credentials file.
    const secret = emulator.tenants[tenant].credentials.apps.full.clientSecret;
    expect(fs.readFileSync(nr.flowFile, 'utf8')).not.toContain(secret);
    expect(fs.readFileSync(nr.flowFile.replace(/\.json$/, '_cred.json'), 'utf8')).not.toContain(secret);
    const creds = await nr.request('GET', '/credentials/mdca-config/mdca-conn');
    expect(creds.json<Record<string, unknown>>()).toMatchObject({ has_clientSecret: true });
    expect(creds.body).not.toContain(secret);
    expect(nr.log()).not.toMatch(/\[error\]/);

    // Setup branch (inject once at deploy) creates the triage range.
    const range = await until('triage range created', () => emulator.control.getSubnets(tenant).find((s) => s.name === 'Triage: risky IPs'));

    // Triage: open high-severity alerts get their IP added and are closed as benign.
    const openHigh = emulator.control.listAlerts(tenant).filter((a) => a.severityValue === 2 && a.resolutionStatusValue === 0);
    expect(openHigh.length).toBeGreaterThan(0);
    await nr.inject('tri-now');
    const closed = await until('triage closed alerts', () => {
      const c = emulator.control.listAlerts(tenant).filter((a) => openHigh.some((o) => o._id === a._id) && a.resolutionStatusValue === 4);
      return c.length >= Math.min(5, openHigh.length) ? c : false;
    });
    expect(closed.length).toBe(Math.min(5, openHigh.length));
    const updated = emulator.control.getSubnets(tenant).find((s) => s._id === range._id) as { subnets: { originalString: string }[] };
    expect(updated.subnets.length).toBeGreaterThan(1);

    // Bulk close: open low-severity alerts become false positives.
    const openLow = emulator.control.listAlerts(tenant).filter((a) => a.severityValue === 0 && a.resolutionStatusValue === 0);
    expect(openLow.length).toBeGreaterThan(0);
    await nr.inject('bulk-query');
    await until('bulk close', () => emulator.control.listAlerts(tenant).filter((a) => openLow.some((o) => o._id === a._id) && a.resolutionStatusValue === 3).length === Math.min(50, openLow.length));

    // Nightly upload (pressed now).
    const uploadsBefore = emulator.control.getUploads(tenant).length;
    await nr.inject('up-nightly');
    await until('log uploaded', () => emulator.control.getUploads(tenant).length > uploadsBefore);

    // Block script.
    emulator.control.resetRequestLog(tenant);
    await nr.inject('blk-run');
    await until('block script requested', () => emulator.control.requestLog(tenant).some((e) => /block_script/.test(e.path)));

    // Investigate: activities (per page) and files.
    await nr.inject('inv-act');
    await nr.inject('inv-files');
    await until('activities and files listed', () => {
      const log = emulator.control.requestLog(tenant);
      return log.some((e) => e.path.includes('/activities')) && log.some((e) => e.path.includes('/files'));
    });
    await sleep(500);
    expect(nr.log()).not.toContain(secret);
  });

  test('Defender XDR: a new MDCA alert → its incident resolved with a comment, the alert closed as benign', async () => {
    // Deployed by the test above (every example, one connection with the emulator's XDR URL).
    const secret = emulator.tenants[tenant].credentials.apps.full.clientSecret;
    const [alert] = emulator.control.insertAlerts(tenant, [{ title: 'E2E: mass download', severityValue: 0 }]);
    const [incident] = emulator.control.xdr.insertIncidents(tenant, [{ mdcaAlertIds: [alert._id] }]);
    expect(incident.status).toBe('Active');
    // The watcher polls every 15 s.
    const resolved = await until(
      'incident resolved',
      () => {
        const i = emulator.control.xdr.getIncident(tenant, incident.incidentId as number);
        return i?.status === 'Resolved' ? i : false;
      },
      60_000,
    );
    expect(resolved).toMatchObject({ classification: 'InformationalExpectedActivity', determination: 'ConfirmedActivity' });
    expect((resolved.comments as { comment: string }[])[0].comment).toContain(String(alert._id));
    await until('MDCA alert closed as benign', () => emulator.control.getAlert(tenant, String(alert._id))?.resolutionStatusValue === 4);
    const xdrCalls = emulator.control.xdr.requestLog(tenant);
    expect(xdrCalls.some((e) => e.method === 'PATCH' && e.path.includes(`/api/incidents/${String(incident.incidentId)}`))).toBe(true);
    expect(nr.log()).not.toMatch(/\[error\]/);
    expect(nr.log()).not.toContain(secret);
  });

  test('Defender XDR hunting: the newest active incident gets its user sign-in counts as a comment', async () => {
    const secret = emulator.tenants[tenant].credentials.apps.full.clientSecret;
    const hunt = async (query: string): Promise<Record<string, unknown>[]> =>
      resultOf<{ results: Record<string, unknown>[] }>(await xdrClient(emulator, 'appSecret', tenant).run('advancedHunting.run', { query })).results;
    const [top] = await hunt('IdentityLogonEvents | where Timestamp > ago(7d) | summarize count() by AccountUpn | top 1 by count_ desc');
    const upn = String(top.AccountUpn);
    const logons = await hunt(`IdentityLogonEvents | where Timestamp > ago(7d) and AccountUpn =~ "${upn}"`);
    const ok = logons.filter((r) => r.ActionType === 'LogonSuccess').length;
    const failed = logons.filter((r) => r.ActionType === 'LogonFailed').length;
    expect(ok + failed).toBeGreaterThan(0);
    // Created an hour ago (so the flow's new-incident watcher, started at deploy, does not deliver
    // it) and updated now (so it is the newest active incident the button asks for).
    const [incident] = emulator.control.xdr.insertIncidents(tenant, [
      {
        incidentName: 'E2E: password spray',
        severity: 'High',
        createdTime: new Date(Date.now() - 3_600_000).toISOString(),
        lastUpdateTime: new Date().toISOString(),
        alerts: [{ alertId: 'da-e2e', title: 'Password spray', severity: 'High', entities: [{ entityType: 'User', userPrincipalName: upn }] }],
      },
    ]);
    await nr.inject('hunt-now');
    const comments = await until('incident commented', () => {
      const c = (emulator.control.xdr.getIncident(tenant, incident.incidentId as number)?.comments ?? []) as { comment: string }[];
      return c.length > 0 ? c : false;
    });
    const extra = failed >= 5 ? ' Many failed sign-ins: look for password spraying or a locked-out account.' : '';
    expect(comments.map((c) => c.comment)).toEqual([`Node-RED sign-in check for ${upn.toLowerCase()}, last 7 days (advanced hunting, IdentityLogonEvents): ${ok} successful, ${failed} failed sign-ins.${extra}`]);
    // The daily report, pressed now.
    emulator.control.xdr.resetRequestLog(tenant);
    await nr.inject('hunt-daily');
    await until('daily report query', () => emulator.control.xdr.requestLog(tenant).some((e) => e.path === '/api/advancedhunting/run'));
    await sleep(500);
    expect(nr.log()).not.toMatch(/\[error\]/);
    expect(nr.log()).not.toContain(secret);
  });

  test('Microsoft Graph: a new MDCA alert → a comment with its user\'s activities, then resolved as expected activity', async () => {
    const secret = emulator.tenants[tenant].credentials.apps.full.clientSecret;
    const graph = emulator.control.graph;
    const polledAfter = (t: number): number | undefined => graph.requestLog(tenant).find((e) => e.method === 'GET' && e.path === '/v1.0/security/alerts_v2' && e.at > t)?.at;
    // The watcher started from now at deploy (first test): its first poll is behind us.
    await until('the Graph watcher polled', () => polledAfter(0), 60_000);
    const data = insertAlertExampleData(emulator, tenant, tenant);
    // The watcher polls every 15 s.
    await until('both alerts with a user resolved', () => alertExampleDone(emulator, data), 60_000);
    // Two more polls after that (the second starts 15 s after the first ended, time for anything
    // the first delivered to reach the emulator): nothing is delivered or sent twice.
    const doneAt = Date.now();
    const next = await until('the Graph watcher polled again', () => polledAfter(doneAt), 60_000);
    await until('and once more', () => polledAfter(next), 60_000);
    expectAlertExampleOutcome(emulator, data);
    expect(nr.log()).not.toMatch(/\[error\]/);
    expect(nr.log()).not.toContain(secret);
  });

  test('Microsoft Graph: the daily hunt comments once on the incident of each hit', async () => {
    groupTwoHuntingHits(emulator, tenant);
    const expected = expectedHuntingHits(emulator, tenant);
    const total = expected.incidents.size;
    expect(total).toBeGreaterThan(0);
    await nr.inject('ghu-daily');
    await until(`${total} incident comments`, () => huntingCommentsSent(emulator, tenant) >= total);
    expectHuntingOutcome(emulator, expected);
    expect(nr.log()).not.toMatch(/\[error\]/);
  });

  test('every call went through the proxy in HTTPS_PROXY; a connection whose own proxy is not there fails with PROXY_FAILED (no way round it), its password shown nowhere', async () => {
    const connects = proxy.connects();
    const hosts = emulatorHosts(emulator);
    // Sign-in, MDCA and Defender XDR each through a tunnel, and no tunnel anywhere else.
    expect(connects).toEqual(expect.arrayContaining([emulator.identityHost, new URL(emulator.tenants[tenant].apiUrl).host, new URL(emulator.tenants[tenant].xdrApiUrl).host]));
    expect(connects.filter((c) => !hosts.includes(c))).toEqual([]);

    const password = 'CANARYnrproxy-osprey.mallow_64';
    const connection = emulatorConnection(emulator, emulator.caPem, tenant);
    const flows = withoutResponseExamples(buildDemoFlows({ ...connection, requestsPerMinute: 1000 }));
    await nr.deploy([
      ...flows,
      { id: 'tab-proxy', type: 'tab', label: 'own proxy' },
      { ...flows.find((n: { type: string }) => n.type === 'mdca-config'), id: 'mdca-dead-proxy', name: 'behind a dead proxy', credentials: { clientSecret: connection.clientSecret, proxyUrl: `http://soc:${password}@127.0.0.1:${await freePort()}` } },
      { id: 'px-go', type: 'inject', z: 'tab-proxy', props: [{ p: 'payload' }], payload: '', payloadType: 'str', repeat: '', once: false, wires: [['px-alerts']] },
      { id: 'px-alerts', type: 'mdca-alert', z: 'tab-proxy', config: 'mdca-dead-proxy', operation: 'alert.getAll', params: {}, outputMode: 'item', maxItems: 1, wires: [[]] },
      { id: 'px-catch', type: 'catch', z: 'tab-proxy', scope: ['px-alerts'], wires: [['px-show']] },
      { id: 'px-show', type: 'function', z: 'tab-proxy', func: "node.log('proxy-check ' + msg.mdcaError.code + ' ' + msg.mdcaError.message);\nreturn null;", outputs: 1, wires: [[]] },
    ]);
    await nr.inject('px-go');
    const line = (await nr.waitForLog(/proxy-check (\S+) (.*)/, 60_000)) as RegExpMatchArray;
    expect(line[1]).toBe('PROXY_FAILED');
    expect(line[2]).toMatch(/Could not reach the proxy 127\.0\.0\.1:\d+ \(from proxyUrl\)/);
    expect(nr.log()).not.toContain(password);
    const creds = await nr.request('GET', '/credentials/mdca-config/mdca-dead-proxy');
    expect(creds.json<Record<string, unknown>>()).toMatchObject({ has_proxyUrl: true });
    expect(creds.body).not.toContain(password);
  });

  test('response: a new high-severity impossible travel alert → sessions revoked, confirmed compromised, Graph alert commented and resolved, MDCA alert closed as a true positive', async () => {
    const secret = emulator.tenants[tenant].credentials.apps.full.clientSecret;
    const deployedAt = Date.now();
    await nr.deploy(onlyExample(buildDemoFlows({ ...emulatorConnection(emulator, emulator.caPem, tenant), requestsPerMinute: 1000 }), 'contain-compromised-user'));
    // The watcher starts from now at its first poll: the alerts come after it.
    await until('the MDCA watcher polled', () => emulator.control.requestLog(tenant).some((e) => e.at > deployedAt && /\/alerts\/?$/.test(e.path)), 60_000);
    const data = insertContainUserData(emulator, tenant);
    // The watcher polls every 15 s.
    await until('the MDCA alert closed', () => containUserDone(emulator, data), 90_000);
    await sleep(500);
    expectContainUserOutcome(emulator, data);
    expect(nr.log()).not.toMatch(/\[error\]/);
    expect(nr.log()).not.toContain(secret);
  });

  test('response: a new incident with an MDCA alert and a device → the machine isolated (selective), waited for over the emulator clock, the incident commented with the action id', async () => {
    const secret = emulator.tenants[tenant].credentials.apps.full.clientSecret;
    const deployedAt = Date.now();
    await nr.deploy(onlyExample(buildDemoFlows({ ...emulatorConnection(emulator, emulator.caPem, tenant), requestsPerMinute: 1000 }), 'isolate-device-from-incident'));
    await until('the Graph incident watcher polled', () => emulator.control.graph.requestLog(tenant).some((e) => e.at > deployedAt && e.method === 'GET' && e.path === '/v1.0/security/incidents'), 60_000);
    const data = insertIsolateDeviceData(emulator, tenant);
    try {
      expect(await driveIsolation(emulator, data)).toEqual(['Pending', 'InProgress']);
      await until('the incident commented', () => isolateDeviceDone(emulator, data), 120_000);
      await sleep(500);
      expectIsolateDeviceOutcome(emulator, data);
    } finally {
      emulator.control.setClockOffsetMs(0);
    }
    expect(nr.log()).not.toMatch(/\[error\]/);
    expect(nr.log()).not.toContain(secret);
  });
});
