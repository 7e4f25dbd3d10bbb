// Redis sharing (docs/scale-out.md) end to end: one MDCA tenant, one budget and one token shared by
// five real processes through one Redis — n8n 2.40.7 in queue mode (main + 2 workers, Postgres 15,
// its Bull queue on the same Redis) and two Node-RED instances (4.1 on Node 20, 5.0 on Node 24) —
// for a few minutes against the emulator's real throttle (30 per rolling 60 s; no time scaling: the
// hosts pace at their default 28 per 60 s).
//
// Work: 90 "close this alert as benign" jobs, 30 through an n8n production webhook (executed by
// the workers), 30 through an http-in flow on each Node-RED, all posted at once: three times what
// the tenant allows in a minute. Meanwhile the n8n MDCA Trigger (on the main process) and a
// mdca-watch on each Node-RED watch for new alerts, and the test inserts 6 while the jobs run.
// Every job and every trigger delivery is reported to a receiver in this test.
// Checks: 0 × 429 at the emulator, at most 28 requests in any rolling 60 s, ≥ 0.9 × the budget
// per minute while the queue is full, every job done exactly once (receiver and emulator state,
// exactly one close request per job), every new alert delivered exactly once by each of the three
// triggers, both workers used, token requests ≤ 1 per token lifetime across the five processes,
// our keys under our own prefix beside n8n's `bull:` keys, no secret in any log.
import * as http from 'http';
import { startEmulator, RunningEmulator } from '../../emulator';
import { RespClient } from '../../runtime/redis';
import { RedisServer } from '../scale/support/redis-server';
import { maxInWindow } from '../scale/support/processes';
import { emulatorOperatorEnv, settingsFor } from '../support/emulator-settings';
import { startDeliveryReceiver } from '../support/delivery-receiver';
import { mdcaAppCredential } from '../support/n8n-credentials';
import { mdcaTriggerNode, workflowNode } from '../support/n8n-workflow';
import { createN8n, N8nRuntime, N8nServer, packageTarball } from '../support/n8n-runtime';
import { NodeRedFlow, NodeRedRuntime, startNodeRed } from '../support/node-red-runtime';
import { startPostgres, PostgresServer } from '../support/postgres-server';
import { httpRequest } from '../support/n8n-node-red-common';

jest.setTimeout(15 * 60_000);

const PKG = '@mdca-lowcode/n8n-nodes-defender-cloud-apps';
const CRED_ID = 'mdcaScaleCred0001';
const WINDOW_MS = 60_000;
const BUDGET = 28;
const JOBS_PER_HOST = 30;
const HOSTS = ['n8n', 'nr4', 'nr5'] as const;
const TRIGGERS = ['n8n-trigger', 'nr4-watch', 'nr5-watch'] as const;
// Tokens live 390 s; msal and the shared cache renew 300 s early, so a token is used for 90 s:
// a few minutes span several lifetimes and show one fetch per lifetime across the processes.
const TOKEN_LIFETIME_S = 390;
const USABLE_TOKEN_MS = (TOKEN_LIFETIME_S - 300) * 1000;
const PREFIX = 'mdca-e2e:';
const HOUR = 3_600_000;

interface Delivery {
  kind: 'job' | 'trigger';
  host: string;
  key: string;
  ok: boolean;
  detail?: unknown;
  at: number;
}

let emulator: RunningEmulator;
let redis: RedisServer;
let postgres: PostgresServer;
let n8n: N8nRuntime;
let main: N8nServer;
const workers: N8nServer[] = [];
const nodeReds: Record<'nr4' | 'nr5', NodeRedRuntime> = {} as never;
let receiver: http.Server;
let receiverUrl: string;
const deliveries: Delivery[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


/** The last lines of every host's log, each under its own heading, so one chatty host cannot hide another. */
function allLogs(): string {
  const tailOf = (name: string, log: string | undefined) => `--- ${name} ---\n${(log ?? '').trimEnd().split('\n').slice(-30).join('\n')}`;
  return [tailOf('n8n main', main?.log()), ...workers.map((w, i) => tailOf(`n8n worker ${i + 1}`, w.log())), tailOf('node-red 4', nodeReds.nr4?.log()), tailOf('node-red 5', nodeReds.nr5?.log())].join('\n');
}

async function waitFor(what: string, cond: () => boolean, timeoutMs: number): Promise<void> {
  return waitForAsync(what, async () => cond(), timeoutMs);
}

async function waitForAsync(what: string, cond: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) {
      const byHost = HOSTS.map((h) => `${h}: ${deliveries.filter((d) => d.host === h).length}`).join(', ');
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; job deliveries ${byHost}; trigger deliveries ${JSON.stringify(deliveries.filter((d) => d.kind === 'trigger'))}\n${allLogs()}`);
    }
    await sleep(250);
  }
}

function connection() {
  const s = settingsFor(emulator, 'appSecret');
  const a = s.auth as { tenantId: string; clientId: string; clientSecret: string };
  return { apiUrl: s.apiUrl, tenantId: a.tenantId, clientId: a.clientId, clientSecret: a.clientSecret };
}

function n8nWorkflows(): Array<Record<string, unknown>> {
  const cred = { microsoftDefenderCloudAppsAppApi: { id: CRED_ID, name: 'MDCA (app, shared)' } };
  const report = (id: string, body: string) =>
    workflowNode(id, 'Report', 'n8n-nodes-base.httpRequest', [480, 0], { method: 'POST', url: receiverUrl, sendBody: true, specifyBody: 'json', jsonBody: body, options: {} }, { typeVersion: 4.2 });
  return [
    {
      id: 'mdcaScaleJobs0001',
      name: 'scale: close alert as benign (webhook)',
      settings: { executionOrder: 'v1' },
      nodes: [
        workflowNode(
          'd0000000-0000-4000-8000-000000000001',
          'Webhook',
          'n8n-nodes-base.webhook',
          [0, 0],
          { httpMethod: 'POST', path: 'mdca-scale-close', responseMode: 'onReceived', options: {} },
          { typeVersion: 2, webhookId: 'a1b2c3d4-0000-4000-8000-00000000e2e1' },
        ),
        workflowNode(
          'd0000000-0000-4000-8000-000000000002',
          'Close Benign',
          `${PKG}.microsoftDefenderCloudAppsAlerts`,
          [240, 0],
          { operation: 'closeBenign', alertIds: '={{ $json.body.alertId }}', options: { reasonId: 6, comment: 'scale e2e (n8n)' } },
          { credentials: cred, onError: 'continueRegularOutput' },
        ),
        report(
          'd0000000-0000-4000-8000-000000000003',
          `={{ JSON.stringify({ kind: 'job', host: 'n8n', key: $('Webhook').item.json.body.job, ok: $json.status === 'done', detail: { status: $json.status, error: $json.error ?? null, execution: $execution.id } }) }}`,
        ),
      ],
      connections: {
        Webhook: { main: [[{ node: 'Close Benign', type: 'main', index: 0 }]] },
        'Close Benign': { main: [[{ node: 'Report', type: 'main', index: 0 }]] },
      },
    },
    {
      id: 'mdcaScaleTrigger01',
      name: 'scale: new alerts (trigger)',
      settings: { executionOrder: 'v1' },
      nodes: [
        mdcaTriggerNode('d0000000-0000-4000-8000-000000000011', 'MDCA Trigger', { pollTimes: { item: [{ mode: 'everyMinute' }] }, event: 'newAlerts', simplify: true, options: { startFrom: 'hoursAgo', startHoursAgo: 1, lookBackMinutes: 5 } }, cred),
        report('d0000000-0000-4000-8000-000000000012', `={{ JSON.stringify({ kind: 'trigger', host: 'n8n-trigger', key: $json.id, ok: true, detail: { execution: $execution.id } }) }}`),
      ],
      connections: { 'MDCA Trigger': { main: [[{ node: 'Report', type: 'main', index: 0 }]] } },
    },
  ];
}

function nodeRedFlows(host: 'nr4' | 'nr5'): NodeRedFlow {
  const c = connection();
  const report = (kind: string, hostName: string, key: string, ok: string, detail: string) =>
    `msg.payload = { kind: '${kind}', host: '${hostName}', key: ${key}, ok: ${ok}, detail: ${detail} };\nmsg.headers = {};\ndelete msg.url;\nreturn msg;`;
  return [
    { id: 'tab', type: 'tab', label: 'scale-out', disabled: false, info: '' },
    {
      id: 'cfg',
      type: 'mdca-config',
      name: 'MDCA (shared through Redis)',
      cloud: 'commercial',
      apiUrl: c.apiUrl,
      authKind: 'appSecret',
      tenantId: c.tenantId,
      clientId: c.clientId,
      username: '',
      signedInAs: '',
      requestsPerMinute: '',
      redisKeyPrefix: PREFIX,
      // The Redis URL travels with its password, so it is a credential (flows_cred.json).
      credentials: { clientSecret: c.clientSecret, redisUrl: redis.url },
    },
    { id: 'in', type: 'http in', z: 'tab', name: 'job', url: '/scale/close', method: 'post', upload: false, swaggerDoc: '', x: 100, y: 80, wires: [['prep']] },
    { id: 'prep', type: 'function', z: 'tab', name: 'remember job', func: 'msg.job = msg.payload.job;\nreturn msg;', outputs: 1, x: 260, y: 80, wires: [['ack', 'close']] },
    { id: 'ack', type: 'http response', z: 'tab', name: 'accepted', statusCode: '202', headers: {}, x: 440, y: 40, wires: [] },
    {
      id: 'close',
      type: 'mdca-alert',
      z: 'tab',
      name: 'close as benign',
      config: 'cfg',
      operation: 'alert.closeBenign',
      params: { target: { v: 'ids', t: 'mdca-opt' }, alertIds: { v: 'payload.alertId', t: 'msg' }, reasonId: { v: '6', t: 'mdca-opt' }, comment: { v: `scale e2e (${host})`, t: 'str' } },
      outputMode: 'all',
      maxItems: 1000,
      x: 440,
      y: 120,
      wires: [['done']],
    },
    { id: 'done', type: 'function', z: 'tab', name: 'report done', func: report('job', host, 'msg.job', 'true', 'msg.payload'), outputs: 1, x: 620, y: 120, wires: [['post']] },
    { id: 'catch', type: 'catch', z: 'tab', name: '', scope: ['close'], uncaught: false, x: 440, y: 180, wires: [['failed']] },
    { id: 'failed', type: 'function', z: 'tab', name: 'report failure', func: report('job', host, 'msg.job', 'false', '{ error: msg.error && msg.error.message }'), outputs: 1, x: 620, y: 180, wires: [['post']] },
    {
      id: 'watch',
      type: 'mdca-watch',
      z: 'tab',
      name: 'new alerts',
      config: 'cfg',
      event: 'newAlerts',
      params: {},
      interval: 30,
      lookBackMinutes: 5,
      startFrom: 'hoursAgo',
      startHoursAgo: 1,
      maxPerPoll: 50,
      store: '',
      x: 120,
      y: 260,
      wires: [['seen']],
    },
    { id: 'seen', type: 'function', z: 'tab', name: 'report alert', func: report('trigger', `${host}-watch`, 'String(msg.payload._id)', 'true', 'null'), outputs: 1, x: 620, y: 260, wires: [['post']] },
    { id: 'post', type: 'http request', z: 'tab', name: 'receiver', method: 'POST', ret: 'txt', paytoqs: 'ignore', url: receiverUrl, tls: '', persist: false, proxy: '', insecureHTTPParser: false, authType: '', senderr: false, headers: [], x: 800, y: 180, wires: [[]] },
  ];
}

beforeAll(async () => {
  ({ server: receiver, url: receiverUrl } = await startDeliveryReceiver((body) => {
    try {
      const j = JSON.parse(body) as Omit<Delivery, 'at'>;
      deliveries.push({ kind: j.kind, host: String(j.host), key: String(j.key), ok: j.ok === true, detail: j.detail, at: Date.now() });
    } catch {
      deliveries.push({ kind: 'job', host: '?', key: `unparsable:${body.slice(0, 200)}`, ok: false, at: Date.now() });
    }
  }));

  // The seed is anchored 2 days back and the triggers start one hour back, whenever each host
  // activates them: they see only the alerts this test inserts while they run.
  [emulator, redis, postgres] = await Promise.all([
    startEmulator({ tenants: [{ name: 'contoso', throttle: { limit: 30, windowMs: WINDOW_MS, retryAfterHeader: true } }], tokenLifetimeSeconds: TOKEN_LIFETIME_S, anchorTimeMs: Date.now() - 48 * HOUR }),
    RedisServer.start(),
    startPostgres(),
  ]);
  n8n = await createN8n({
    install: [packageTarball()],
    extraCaCertFile: emulator.caFile,
    env: {
      ...postgres.n8nEnv(),
      EXECUTIONS_MODE: 'queue',
      QUEUE_BULL_REDIS_HOST: '127.0.0.1',
      QUEUE_BULL_REDIS_PORT: String(redis.port),
      N8N_LOG_LEVEL: 'info',
      // The emulator hosts are allowed by the operator of each process, never by a credential.
      ...emulatorOperatorEnv(emulator),
    },
  });
  await n8n.importCredentials([
    // The queue's own Redis, with our own prefix (n8n's keys are bull:* and n8n:*).
    mdcaAppCredential(emulator, CRED_ID, 'MDCA (app, shared)', { redisSharing: true, redisUrl: redis.url, redisKeyPrefix: PREFIX }),
  ]);
  for (const id of await n8n.importWorkflows(n8nWorkflows())) await n8n.publishWorkflow(id);
}, 10 * 60_000);

afterAll(async () => {
  await Promise.all([...workers.map((w) => w.stop()), main?.stop(), nodeReds.nr4?.stop(), nodeReds.nr5?.stop()]);
  await n8n?.cleanup();
  await Promise.all([postgres?.stop(), redis?.close(), emulator?.close()]);
  await new Promise((r) => receiver?.close(r));
});

test('n8n queue mode (main + 2 workers) and two Node-RED instances share one tenant budget and one token through Redis', async () => {
  const tenant = 'contoso';
  const secret = connection().clientSecret;
  // 90 open alerts to close, older than the hour the triggers start from.
  const targets = emulator.control.insertAlerts(tenant, Array.from({ length: HOSTS.length * JOBS_PER_HOST }, (_, i) => ({ title: `scale job ${i}`, timestamp: Date.now() - 3 * HOUR, resolutionStatusValue: 0 })));
  const jobs = targets.map((a, i) => ({ job: `job-${i}`, alertId: String(a._id), host: HOSTS[i % HOSTS.length] }));

  // Hosts up: n8n main (runs the trigger, takes the webhooks), 2 workers, two Node-RED.
  const t0 = Date.now();
  emulator.control.resetTokenRequests();
  emulator.control.resetRequestLog(tenant);
  const [m, w1, w2, nr4, nr5] = await Promise.all([
    n8n.startServer(120_000),
    n8n.startWorker(10, 120_000),
    n8n.startWorker(10, 120_000),
    startNodeRed({ version: 4, install: [packageTarball()], extraCaCertFile: emulator.caFile, env: emulatorOperatorEnv(emulator) }),
    startNodeRed({ version: 5, install: [packageTarball()], extraCaCertFile: emulator.caFile, env: emulatorOperatorEnv(emulator) }),
  ]);
  main = m;
  workers.push(w1, w2);
  nodeReds.nr4 = nr4;
  nodeReds.nr5 = nr5;
  await Promise.all([nr4.deploy(nodeRedFlows('nr4')), nr5.deploy(nodeRedFlows('nr5'))]);
  // n8n answers /healthz before it has activated the published workflows (it registers their
  // webhooks and triggers afterwards, in the background); a job posted in between gets 404. A CORS
  // preflight for the webhook answers 204 only once n8n has registered it.
  await waitForAsync('n8n to register the job webhook', async () => {
    const r = await httpRequest('OPTIONS', `${main.url}/webhook/mdca-scale-close`, undefined, { origin: 'http://127.0.0.1', 'access-control-request-method': 'POST' }, 10_000).catch(() => undefined);
    return r?.status === 204;
  }, 120_000);
  const upMs = Date.now() - t0;

  // All 90 jobs at once.
  const started = Date.now();
  const post = (j: (typeof jobs)[number]) => {
    const body = { job: j.job, alertId: j.alertId };
    if (j.host === 'n8n') return httpRequest('POST', `${main.url}/webhook/mdca-scale-close`, body, {}, 60_000);
    return httpRequest('POST', `${nodeReds[j.host].url}/scale/close`, body, {}, 60_000);
  };
  const accepted = await Promise.all(jobs.map((j) => post(j).then((r) => r.status)));
  expect(accepted.filter((s) => s !== 200 && s !== 202)).toEqual([]);
  const keyKinds = new Set<string>();
  const clearTokens: string[] = [];
  let sampling = true;
  const sampler = (async () => {
    const rc = new RespClient({ url: redis.url });
    try {
      while (sampling) {
        for (const k of (await rc.command(['KEYS', '*'])) as string[]) {
          if (k.startsWith('bull:')) keyKinds.add('bull');
          else if (k.startsWith(`${PREFIX}pace:`)) keyKinds.add('pace');
          else if (k.startsWith(`${PREFIX}token:`) && !k.endsWith(':lock')) {
            keyKinds.add('token');
            if (/eyJ[A-Za-z0-9_-]{10,}\./.test(String(await rc.command(['GET', k])))) clearTokens.push(k);
          } else if (!k.startsWith(`${PREFIX}token:`) && !k.startsWith('n8n:')) keyKinds.add(`unexpected ${k}`);
        }
        await sleep(2000);
      }
    } finally {
      rc.close();
    }
  })().catch((e: Error) => keyKinds.add(`sampler failed: ${e.message}`));

  // New alerts while the queue is full: the triggers must deliver each exactly once.
  await sleep(20_000);
  const fresh1 = emulator.control.insertAlerts(tenant, [1, 2, 3].map((n) => ({ title: `scale new ${n}` }))).map((a) => String(a._id));
  await sleep(70_000);
  const fresh2 = emulator.control.insertAlerts(tenant, [4, 5, 6].map((n) => ({ title: `scale new ${n}` }))).map((a) => String(a._id));
  const fresh = [...fresh1, ...fresh2];

  const jobDeliveries = () => deliveries.filter((d) => d.kind === 'job');
  await waitFor('every job reported', () => jobDeliveries().length >= jobs.length, 8 * 60_000);
  const jobsDoneAt = Date.now();
  await waitFor('every new alert from every trigger', () => TRIGGERS.every((t) => fresh.every((id) => deliveries.some((d) => d.host === t && d.key === id))), 3 * 60_000);
  await sleep(5000); // anything late (a duplicate) would arrive now
  const elapsedMs = Date.now() - t0;

  // Every job exactly once, successful, by the host it was sent to.
  const byKey = new Map<string, Delivery[]>();
  for (const d of jobDeliveries()) (byKey.get(d.key) ?? byKey.set(d.key, []).get(d.key)!).push(d);
  expect([...byKey.entries()].filter(([, ds]) => ds.length !== 1).map(([k]) => k)).toEqual([]);
  expect(jobDeliveries().filter((d) => !d.ok)).toEqual([]);
  for (const j of jobs) expect(byKey.get(j.job)?.[0].host).toBe(j.host);
  // …and in the emulator: every target closed as benign, exactly one close request per job.
  for (const a of targets) expect(emulator.control.getAlert(tenant, String(a._id))?.resolutionStatusValue).toBe(4);
  const log = emulator.control.requestLog(tenant);
  const closes = log.filter((e) => e.method === 'POST' && /close_benign/.test(e.path));
  expect(closes.filter((e) => e.status === 200)).toHaveLength(jobs.length);
  expect(closes).toHaveLength(jobs.length);

  // Each trigger delivered each new alert exactly once and nothing else.
  for (const t of TRIGGERS) {
    const seen = deliveries.filter((d) => d.host === t).map((d) => d.key);
    expect({ trigger: t, seen: [...seen].sort() }).toEqual({ trigger: t, seen: [...fresh].sort() });
  }

  // The tenant's budget held across the five processes.
  expect(log.filter((e) => e.status === 429 || e.throttled)).toEqual([]);
  const times = log.map((e) => e.at).sort((a, b) => a - b);
  const peak = maxInWindow(times, WINDOW_MS);
  expect(peak).toBeLessThanOrEqual(BUDGET);
  // Throughput while the queue was full: the minute after the first (immediate) budget.
  const firstBurstEnd = log.filter((e) => e.at >= started).map((e) => e.at).sort((a, b) => a - b)[BUDGET - 1];
  const secondMinute = times.filter((t) => t > firstBurstEnd && t <= firstBurstEnd + WINDOW_MS).length;
  expect(secondMinute).toBeGreaterThanOrEqual(0.9 * BUDGET);

  // Work went through both workers.
  for (const w of workers) expect(w.log()).toMatch(/finished execution/i);

  // One token per lifetime across n8n main, 2 workers and 2 Node-RED (5 processes).
  const tokenRequests = emulator.control.tokenRequestCounts().byClient[connection().clientId] ?? 0;
  const lifetimes = Math.ceil(elapsedMs / USABLE_TOKEN_MS);
  const perMinute: number[] = [];
  for (let at = times[0]; at <= times[times.length - 1]; at += WINDOW_MS) perMinute.push(times.filter((t) => t >= at && t < at + WINDOW_MS).length);
  // eslint-disable-next-line no-console
  console.log(
    `scale e2e: hosts up in ${(upMs / 1000).toFixed(1)} s; ${jobs.length} jobs done ${((jobsDoneAt - started) / 1000).toFixed(1)} s after posting; ` +
      `${log.length} API requests, per minute ${perMinute.join('/')}, peak ${peak} in any 60 s, second minute ${secondMinute}, 0 × 429; ` +
      `token requests ${tokenRequests} over ${(elapsedMs / 1000).toFixed(0)} s (≤ ${lifetimes} lifetimes of ${USABLE_TOKEN_MS / 1000} s; at ${emulator.control.tokenRequests().map((r) => `+${((r.at - t0) / 1000).toFixed(0)} s`).join(', ')}; API from +${((times[0] - t0) / 1000).toFixed(0)} s to +${((times[times.length - 1] - t0) / 1000).toFixed(0)} s); ` +
      `trigger deliveries ${TRIGGERS.map((t) => `${t} ${deliveries.filter((d) => d.host === t).length}`).join(', ')}; both workers ran executions`,
  );
  expect(tokenRequests).toBeGreaterThanOrEqual(1);
  expect(tokenRequests).toBeLessThanOrEqual(lifetimes);

  // Shared state lived under our prefix, beside n8n's queue keys (sampled during the run: keys
  // expire with their window or token); no bearer token in clear.
  sampling = false;
  await sampler;
  expect([...keyKinds].sort()).toEqual(['bull', 'pace', 'token']);
  expect(clearTokens).toEqual([]);

  // Redis was up all along: nobody fell back; no secret anywhere.
  const logs = allLogs();
  expect(logs).not.toMatch(/Redis is unreachable/);
  expect(logs).not.toContain(secret);

});
