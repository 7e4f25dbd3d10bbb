// Redis sharing (docs/scale-out.md) through the hosts' own code paths, in one process: the Node-RED
// config node's Redis fields (status turns yellow while Redis is unreachable and green again when
// it is back), the n8n credential's Redis fields (the fallback warning reaches n8n's log) and the
// Defender XDR client sharing its budget and token through the same Redis.
import { LoggerProxy } from 'n8n-workflow';
import { startEmulator, RunningEmulator } from '../../emulator';
import { collect } from '../../core';
import { createXdrClient } from '../../runtime';
import { closeSharedRedis, RespClient } from '../../runtime/redis';
import { clientForCredential } from '../../nodes/adapter/connection';
import { emulatorHosts, enableEmulatorHosts, settingsFor } from '../support/emulator-settings';
import { mdcaAppCredentialData } from '../support/n8n-credentials';
import { collector, connection, helper, load, onCall, sleep, xdrConnection } from '../node-red/helpers';
import { freePort, RedisServer, ensureRedisServer, REDIS_INSTALL_TIMEOUT_MS } from './support/redis-server';

jest.setTimeout(90_000);

let emulator: RunningEmulator;
let redis: RedisServer;
// Redis may still be installing on a fresh machine (see REDIS_INSTALL_TIMEOUT_MS).
beforeAll(() => ensureRedisServer(), REDIS_INSTALL_TIMEOUT_MS);

beforeAll(async () => {
  [emulator, redis] = await Promise.all([startEmulator({ tenants: [{ name: 'contoso', throttle: false }] }), RedisServer.start()]);
});
afterAll(async () => {
  await helper.unload();
  closeSharedRedis();
  await redis?.close();
  await emulator?.close();
});

async function keys(pattern: string): Promise<string[]> {
  const c = new RespClient({ url: redis.url });
  try {
    return (await c.command(['KEYS', pattern])) as string[];
  } finally {
    c.close();
  }
}

test('Node-RED: a connection with Redis shares through it; while Redis is down the node says so in its status, then goes green again', async () => {
  const c = connection(emulator, 'appSecret', 'cfg', { redisKeyPrefix: 'nrstatus' });
  // The Redis URL is a secret of the connection (flows_cred.json), not a flow property.
  c.credentials.cfg.redisUrl = redis.url;
  await load(
    [
      c.node,
      { id: 'op', type: 'mdca-ip-range', config: 'cfg', operation: 'ipRange.getAll', params: {}, outputMode: 'all', maxItems: 5, wires: [['out']] },
      { id: 'out', type: 'helper' },
    ],
    c.credentials,
  );
  const out = collector('out');
  const statuses: Array<{ fill?: string; text?: string }> = [];
  onCall<Array<{ fill?: string; text?: string }>>('op', 'status', (call) => statuses.push(call.args[0]));
  const warnings: string[] = [];
  onCall('cfg', 'warn', (call) => warnings.push(String(call.args[0])));

  helper.getNode('op').receive({ payload: {} });
  await out.waitFor(1);
  expect(statuses.at(-1)).toMatchObject({ fill: 'green', text: expect.stringMatching(/^done/) });
  expect(await keys('nrstatus:pace:*')).not.toHaveLength(0);

  // Redis goes away: the operation still completes, on this process's own budget, and says so.
  await redis.stop();
  helper.getNode('op').receive({ payload: {} });
  await out.waitFor(2);
  expect(statuses.at(-1)).toMatchObject({ fill: 'yellow', text: expect.stringMatching(/^done .*· Redis unreachable: own budget$/) });
  expect(warnings.join('\n')).toMatch(/Redis is unreachable/);

  // Redis is back: the probe notices within a few seconds and the next status is green again.
  await redis.start();
  const end = Date.now() + 20_000;
  let n = 2;
  while (statuses.at(-1)?.fill !== 'green' && Date.now() < end) {
    await sleep(1000);
    helper.getNode('op').receive({ payload: {} });
    await out.waitFor(++n);
  }
  expect(statuses.at(-1)).toMatchObject({ fill: 'green', text: expect.stringMatching(/^done · \d+ items$/) });
});

test('n8n: a credential with Redis sharing logs the fallback in n8n’s log and completes the operation', async () => {
  const lines: string[] = [];
  const record = (level: string) => (message: string) => lines.push(`${level} ${message}`);
  LoggerProxy.init({ debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') } as never);
  const s = settingsFor(emulator, 'appSecret');
  const a = s.auth as { tenantId: string; clientId: string; clientSecret: string };
  const downUrl = `redis://127.0.0.1:${await freePort()}`; // nothing listens there
  const data = mdcaAppCredentialData(emulator, { redisSharing: true, redisUrl: downUrl, redisKeyPrefix: 'n8nlog' });
  enableEmulatorHosts(emulator);
  const client = clientForCredential(undefined, 'microsoftDefenderCloudAppsAppApi', data);
  const outcome = await client.run('ipRange.getAll', {}, { maxItems: 3 });
  expect(outcome.kind).toBe('pages');
  if (outcome.kind === 'pages') expect((await collect(outcome.pages)).length).toBeGreaterThan(0);
  expect(lines.filter((l) => l.startsWith('warn ')).join('\n')).toMatch(/MDCA: Redis is unreachable/);
  expect(lines.join('\n')).not.toContain(a.clientSecret);
});

test('Defender XDR: with Redis settings its minute and hour budgets and its token live in Redis, under their own keys', async () => {
  const c = xdrConnection(emulator);
  const s = settingsFor(emulator, 'appSecret');
  emulator.control.resetTokenRequests();
  const xdr = createXdrClient(
    { ...s, testing: { ...s.testing!, allowHosts: emulatorHosts(emulator) }, xdrApiUrl: String(c.node.xdrApiUrl) },
    { redis: { url: redis.url, keyPrefix: 'xdrshare' } },
  );
  const outcome = await xdr.run('incident.getAll', {}, { maxItems: 3 });
  if (outcome.kind === 'pages') await collect(outcome.pages);
  const k = await keys('xdrshare:*');
  const tenant = (s.auth as { tenantId: string }).tenantId.toLowerCase();
  expect(k).toEqual(expect.arrayContaining([expect.stringContaining(`pace:{xdr:${tenant}}`), expect.stringContaining(`pace:{xdr:${tenant}:hour}`), expect.stringMatching(/^xdrshare:token:/)]));
  expect(emulator.control.tokenRequestCounts().total).toBe(1);
});
