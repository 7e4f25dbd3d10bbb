// In-process checks of the Redis building blocks: RESP client (AUTH, SELECT, outage), tokens
// encrypted at rest under our prefix only, shared 429 state, the interactive lane, start without
// Redis.
import { startEmulator, RunningEmulator } from '../../emulator';
import { createMdcaClient } from '../../runtime';
import { closeSharedRedis, normalizeKeyPrefix, openToken, RedisPacer, RespClient, sealToken, deriveTokenKey } from '../../runtime/redis';
import { settingsFor } from '../support/emulator-settings';
import { freePort, RedisServer, ensureRedisServer, REDIS_INSTALL_TIMEOUT_MS } from './support/redis-server';

jest.setTimeout(60_000);

let emulator: RunningEmulator;
let redis: RedisServer;
// Redis may still be installing on a fresh machine (see REDIS_INSTALL_TIMEOUT_MS).
beforeAll(() => ensureRedisServer(), REDIS_INSTALL_TIMEOUT_MS);

beforeAll(async () => {
  [emulator, redis] = await Promise.all([startEmulator({ tenants: [{ name: 'contoso', throttle: false }] }), RedisServer.start(['--requirepass', 's3cret-redis'])]);
});
afterAll(async () => {
  closeSharedRedis();
  await redis?.close();
  await emulator?.close();
});

const url = () => `redis://127.0.0.1:${redis.port}/3`;

test('RESP client: AUTH and SELECT, replies, fast failure while Redis is down, reconnect', async () => {
  const bad = new RespClient({ url: url(), password: 'wrong' });
  await expect(bad.command(['PING'])).rejects.toThrow(/refused|WRONGPASS|invalid/i);
  bad.close();
  const c = new RespClient({ url: url(), password: 's3cret-redis', minBackoffMs: 50, maxBackoffMs: 200 });
  expect(await c.command(['SET', 'mdca:t', 'v', 'NX', 'PX', 5000])).toBe('OK');
  expect(await c.command(['SET', 'mdca:t', 'v', 'NX', 'PX', 5000])).toBe(null);
  expect(await c.evalScript("return {1, 'a', redis.call('GET', KEYS[1])}", ['mdca:t'], [])).toEqual([1, 'a', 'v']);
  const down = new RespClient({ url: `redis://127.0.0.1:${await freePort()}`, connectTimeoutMs: 300 });
  const t0 = Date.now();
  await expect(down.command(['PING'])).rejects.toThrow(/unreachable/);
  await expect(down.command(['PING'])).rejects.toThrow(/unreachable/); // back-off: fails at once
  expect(Date.now() - t0).toBeLessThan(1500);
  down.close();
  c.close();
});

test('tokens in Redis are AES-256-GCM ciphertext under our prefix; n8n keys are never touched', async () => {
  const admin = new RespClient({ url: url(), password: 's3cret-redis' });
  await admin.command(['SET', 'bull:jobs:1', 'n8n-owned']);
  await admin.command(['SET', 'n8n:leader', 'n8n-owned']);
  const s = settingsFor(emulator, 'appSecret', 'contoso', { pacing: { budget: 50 } });
  const client = createMdcaClient(s, { redis: { url: url(), password: 's3cret-redis', keyPrefix: 'unit' } });
  const outcome = await client.run('ipRange.getAll', {}, { maxItems: 5 });
  if (outcome.kind === 'pages') for await (const p of outcome.pages) void p;
  const keys = (await admin.command(['KEYS', '*'])) as string[];
  expect(keys.filter((k) => !k.startsWith('unit:')).sort()).toEqual(['bull:jobs:1', 'mdca:t', 'n8n:leader'].sort());
  expect(await admin.command(['GET', 'bull:jobs:1'])).toBe('n8n-owned');
  const tokenKey = keys.find((k) => k.startsWith('unit:token:') && !k.endsWith(':lock')) as string;
  const sealed = (await admin.command(['GET', tokenKey])) as string;
  const issued = emulator.control.tokenRequests();
  expect(issued.length).toBeGreaterThan(0);
  expect(sealed).toMatch(/^v1\./);
  // No part of any JWT (header.payload.signature) is readable in the stored value.
  expect(sealed).not.toMatch(/eyJ/);
  const fingerprint = tokenKey.slice('unit:token:{'.length, -1);
  const right = await deriveTokenKey(s.auth.kind === 'appSecret' ? s.auth.clientSecret : '', fingerprint);
  const wrong = await deriveTokenKey('another secret', fingerprint);
  expect(openToken(right, tokenKey, sealed)?.token).toMatch(/^eyJ/);
  expect(openToken(wrong, tokenKey, sealed)).toBeUndefined();
  expect(openToken(right, 'unit:token:{other}', sealed)).toBeUndefined(); // bound to its key name
  // Tamper with one ciphertext byte (flipping a bit, so the change is never a no-op).
  const parts = sealToken(right, tokenKey, { token: 'x', scheme: 'Bearer', expiresOnMs: 1 }).split('.');
  const body = Buffer.from(parts[3], 'base64url');
  body[0] ^= 0x01;
  expect(openToken(right, tokenKey, [parts[0], parts[1], parts[2], body.toString('base64url')].join('.'))).toBeUndefined();
  expect(() => normalizeKeyPrefix('bull:')).toThrow(/n8n/);
  expect(() => normalizeKeyPrefix('n8n:')).toThrow(/n8n/);
  expect(normalizeKeyPrefix('')).toBe('mdca:');
  admin.close();
});

test('a 429 seen by one process halves the budget and holds the others; interactive requests go first across processes', async () => {
  // The window is far longer than the test: slots free only when the test removes the oldest
  // admission from the log (what the window sliding does), so which request gets the slot never
  // depends on which process's timer fires first on a loaded machine. An interactive request's
  // claim lasts its remaining wait plus a little; with a short window a stall of a few hundred
  // ms let the claim lapse and bulk take the slot.
  const opts = { budget: 4, windowMs: 120_000, prefix: 'lane:' };
  const a = new RedisPacer(new RespClient({ url: url(), password: 's3cret-redis' }), opts);
  const b = new RedisPacer(new RespClient({ url: url(), password: 's3cret-redis' }), opts);
  const admin = new RespClient({ url: url(), password: 's3cret-redis' });
  const [log, , claims] = a.keys('t1');
  const order: string[] = [];
  const take = (p: RedisPacer, name: string, priority: 'bulk' | 'interactive') => p.acquire('t1', priority).then((permit) => (order.push(name), permit.release()));
  const until = async (what: () => Promise<boolean>) => {
    while (!(await what())) await new Promise((r) => setTimeout(r, 10));
  };
  // Fill the window from process a, queue bulk in a, then one interactive request in b.
  await Promise.all([1, 2, 3, 4].map((i) => take(a, `fill${i}`, 'bulk')));
  const bulk = [1, 2, 3].map((i) => take(a, `bulk${i}`, 'bulk'));
  const interactive = take(b, 'interactive', 'interactive');
  // b has asked Redis, found the window full and registered its claim.
  await until(async () => (await admin.command(['ZCARD', claims])) === 1);
  await admin.command(['ZPOPMIN', log, 1]);
  await interactive;
  expect(order).toEqual(['fill1', 'fill2', 'fill3', 'fill4', 'interactive']); // the first slot that freed up
  await admin.command(['ZPOPMIN', log, 3]);
  await Promise.all(bulk);
  expect(order.slice(5)).toEqual(['bulk1', 'bulk2', 'bulk3']);
  // Shared 429: process b reports it with Retry-After 700 ms; process a waits for it too. Redis
  // stamps the hold with its clock, the same machine clock as Date.now(), after t0.
  const t0 = Date.now();
  b.reportThrottled('t2', 700);
  await until(async () => (await admin.command(['HGET', a.keys('t2')[1], 'blockedUntil'])) !== null);
  await a.acquire('t2', 'bulk').then((p) => p.release());
  expect(Date.now() - t0).toBeGreaterThanOrEqual(700);
  admin.close();
  a.close();
  b.close();
});

test('Redis unreachable at start: operations run on the per-process budget with a warning, shared mode returns when Redis starts', async () => {
  const later = new RedisServer(await freePort());
  const warnings: string[] = [];
  const logger = { debug: () => undefined, info: (m: string) => warnings.push(`info ${m}`), warn: (m: string) => warnings.push(`warn ${m}`), error: () => undefined };
  const s = settingsFor(emulator, 'appReader', 'contoso', { pacing: { budget: 40, windowMs: 2000 } });
  const client = createMdcaClient(s, { redis: { url: later.url, keyPrefix: 'late' }, logger });
  const run = async () => {
    const o = await client.run('ipRange.getAll', {}, { maxItems: 5 });
    if (o.kind === 'pages') for await (const p of o.pages) void p;
  };
  await run();
  await run();
  expect(warnings.some((w) => w.startsWith('warn Redis is unreachable'))).toBe(true);
  await later.start();
  try {
    const deadline = Date.now() + 10_000;
    while (!warnings.some((w) => w.includes('pacing is shared across processes again')) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    await run();
    expect(warnings.some((w) => w.includes('pacing is shared across processes again'))).toBe(true);
    const c = new RespClient({ url: later.url });
    expect(((await c.command(['KEYS', 'late:pace:*'])) as string[]).length).toBeGreaterThan(0);
    c.close();
  } finally {
    closeSharedRedis();
    await later.close();
  }
});
