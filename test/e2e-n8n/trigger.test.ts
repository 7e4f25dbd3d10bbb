// The polling trigger in a real n8n 2.40.7 server. `n8n execute` cannot start polling triggers, so
// the workflow "MDCA Trigger → HTTP Request" is imported, published (activated) with the server
// stopped, and `n8n start` runs it on its schedule. The HTTP Request node POSTs every item to a
// small receiver in this test, tagged with n8n's execution id, so each poll's items are seen as
// they are delivered.
//
// Schedule: "Every Minute", the shortest n8n accepts (sub-minute cron expressions are refused at
// activation: "The polling interval is too short"). n8n polls once when it activates the workflow
// and then every minute at a second derived from the workflow and node ids, so the test takes
// about 2-3 minutes.
// The emulator's seed data is anchored 2 days back, so only the alerts this test inserts fall in
// the "start from 1 hour ago" window: a backlog of 3 with 2 per poll, then new alerts, each one
// delivered exactly once and oldest first.
//
// The same server runs the Microsoft Graph example
// examples/n8n/graph-security/alert-comment-activities-and-resolve.json unchanged, published
// beside it: its Graph trigger (New Alert, Defender for Cloud Apps) starts from now at activation,
// so the alerts the second test inserts are delivered on the next minute's poll; its outcome is
// checked in the emulator by test/support/graph-examples.ts, as in the Node-RED suite.
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { startEmulator, RunningEmulator } from '../../emulator';
import { settingsFor, emulatorOperatorEnv } from '../support/emulator-settings';
import { startDeliveryReceiver } from '../support/delivery-receiver';
import { alertExampleDone, expectAlertExampleOutcome, insertAlertExampleData } from '../support/graph-examples';
import { mdcaAppCredential } from '../support/n8n-credentials';
import { mdcaTriggerNode, workflowNode } from '../support/n8n-workflow';
import { createN8n, N8nRuntime, N8nServer, packageTarball } from '../support/n8n-runtime';

jest.setTimeout(600_000);

const CRED_ID = 'mdcaTrigCred0001';
// The credential the example workflows name.
const EXAMPLE_CRED_ID = 'mdcaAppCred00001';
const GRAPH_EXAMPLE = path.join(__dirname, '..', '..', 'examples', 'n8n', 'graph-security', 'alert-comment-activities-and-resolve.json');
const HOUR = 3_600_000;

interface Delivery {
  id: string;
  execution: string;
  at: number;
}

let emulator: RunningEmulator;
let n8n: N8nRuntime;
let server: N8nServer | undefined;
let receiver: http.Server;
let receiverUrl: string;
const deliveries: Delivery[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, cond: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; deliveries: ${JSON.stringify(deliveries)}\n--- n8n log ---\n${server?.log().slice(-6000) ?? ''}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Executions in order of first delivery: [execution id, alert ids]. */
function polls(): Array<[string, string[]]> {
  const by = new Map<string, string[]>();
  for (const d of deliveries) (by.get(d.execution) ?? by.set(d.execution, []).get(d.execution)!).push(d.id);
  return [...by.entries()];
}

beforeAll(async () => {
  ({ server: receiver, url: receiverUrl } = await startDeliveryReceiver((body) => {
    try {
      const j = JSON.parse(body) as { id: string; execution: string };
      deliveries.push({ id: String(j.id), execution: String(j.execution), at: Date.now() });
    } catch {
      deliveries.push({ id: `unparsable:${body.slice(0, 200)}`, execution: '?', at: Date.now() });
    }
  }));

  emulator = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }], anchorTimeMs: Date.now() - 48 * HOUR });
  n8n = await createN8n({ install: [packageTarball()], extraCaCertFile: emulator.caFile, env: emulatorOperatorEnv(emulator) });
  const { graphApiUrl } = emulator.tenants.contoso;
  await n8n.importCredentials([
    mdcaAppCredential(emulator, CRED_ID, 'MDCA (app)', { requestsPerMinute: 1000 }),
    mdcaAppCredential(emulator, EXAMPLE_CRED_ID, 'MDCA (app)', { requestsPerMinute: 1000, graphApiUrl }),
  ]);
  const graphExample = JSON.parse(fs.readFileSync(GRAPH_EXAMPLE, 'utf8')) as Record<string, unknown>;
  await n8n.publishWorkflow(await n8n.importWorkflow({ ...graphExample, id: 'mdcaGraphExample1' }));
});

afterAll(async () => {
  await server?.stop();
  await n8n?.cleanup();
  await emulator?.close();
  await new Promise((r) => receiver?.close(r));
});

describe('MDCA trigger in a real n8n server', () => {
  it('activated workflow: the first poll delivers the backlog 2 per poll, oldest first; inserted alerts follow, each exactly once', async () => {
    const now = Date.now();
    // Backlog inside the 1-hour window, oldest first: b1 < b2 < b3.
    const backlog = emulator.control.insertAlerts('contoso', [
      { title: 'e2e trigger backlog 1', timestamp: now - 50 * 60_000 },
      { title: 'e2e trigger backlog 2', timestamp: now - 40 * 60_000 },
      { title: 'e2e trigger backlog 3', timestamp: now - 30 * 60_000 },
    ]).map((x) => String(x._id));

    const wfId = await n8n.importWorkflow({
      id: 'mdcaE2eTrigger01',
      name: 'mdca e2e trigger',
      settings: { executionOrder: 'v1' },
      nodes: [
        mdcaTriggerNode(
          'c0000000-0000-4000-8000-000000000001',
          'MDCA Trigger',
          { pollTimes: { item: [{ mode: 'everyMinute' }] }, event: 'newAlerts', simplify: true, options: { startFrom: 'hoursAgo', startHoursAgo: 1, maxPerPoll: 2, lookBackMinutes: 5 } },
          { microsoftDefenderCloudAppsAppApi: { id: CRED_ID, name: 'MDCA (app)' } },
        ),
        workflowNode(
          'c0000000-0000-4000-8000-000000000002',
          'Record',
          'n8n-nodes-base.httpRequest',
          [240, 0],
          { method: 'POST', url: receiverUrl, sendBody: true, specifyBody: 'json', jsonBody: '={{ JSON.stringify({ id: $json.id, execution: $execution.id }) }}', options: {} },
          { typeVersion: 4.2 },
        ),
      ],
      connections: { 'MDCA Trigger': { main: [[{ node: 'Record', type: 'main', index: 0 }]] } },
    });
    await n8n.publishWorkflow(wfId);

    const t0 = Date.now();
    server = await n8n.startServer();
    const healthyMs = Date.now() - t0;
    const ids = () => deliveries.map((d) => d.id);
    const has = (id: string) => ids().includes(id);

    // Poll 1 runs when n8n activates the workflow at start-up: the two oldest of the backlog.
    await waitFor('the first poll', () => deliveries.length >= 2, 90_000);
    const firstPollMs = Date.now() - t0;
    await sleep(1500);
    expect(polls()[0][1]).toEqual(backlog.slice(0, 2));

    // A new alert appears while the trigger runs: the next poll(s) deliver the rest of the backlog
    // first, then the new alert (at most 2 per poll).
    const fresh = emulator.control.insertAlerts('contoso', [{ title: 'e2e trigger new 1' }]).map((x) => String(x._id));
    await waitFor('the new alert', () => has(fresh[0]), 2 * 60_000 + 30_000);
    const freshMs = Date.now() - t0;
    await sleep(1500);

    // Another one after that: the poll that delivers it must not repeat anything.
    const fresh2 = emulator.control.insertAlerts('contoso', [{ title: 'e2e trigger new 2' }]).map((x) => String(x._id));
    await waitFor('the second new alert', () => has(fresh2[0]), 60_000 + 30_000);
    await sleep(3000);

    expect(ids()).toEqual([...backlog, fresh[0], fresh2[0]]);
    for (const [, items] of polls()) expect(items.length).toBeLessThanOrEqual(2);
    expect(polls().length).toBeGreaterThanOrEqual(3);
    expect(polls().at(-1)![1]).toEqual(fresh2);

    const secret = (settingsFor(emulator, 'appSecret').auth as { clientSecret: string }).clientSecret;
    expect(server.log()).not.toContain(secret);
    // eslint-disable-next-line no-console
    console.log(`n8n healthy after ${healthyMs} ms; first poll ${firstPollMs} ms, new alert ${freshMs} ms after start; ${polls().length} executions; total ${Date.now() - t0} ms`);
  });

  it('Microsoft Graph example: each new MDCA alert in Graph gets a comment with its user\'s activities and is resolved as expected activity', async () => {
    server ??= await n8n.startServer();
    const graph = emulator.control.graph;
    // The Graph trigger's first poll (at activation) started it from now.
    await waitFor('the Graph trigger\'s first poll', () => graph.requestLog('contoso').some((e) => e.method === 'GET' && e.path === '/v1.0/security/alerts_v2'), 90_000);
    const data = insertAlertExampleData(emulator, 'contoso', 'n8n');
    // Delivered by the next poll (every minute).
    await waitFor('both alerts with a user resolved', () => alertExampleDone(emulator, data), 2 * 60_000 + 30_000);
    expectAlertExampleOutcome(emulator, data);
    const secret = (settingsFor(emulator, 'appSecret').auth as { clientSecret: string }).clientSecret;
    expect(server.log()).not.toContain(secret);
  });
});
