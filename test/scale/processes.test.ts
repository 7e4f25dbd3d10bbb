// Redis sharing (docs/scale-out.md): several processes share one tenant budget and one token cache
// through Redis. Real child processes (test/scale/support/worker.ts) build clients with the Redis
// pacer against the emulator. Time-scaled: the emulator allows 30 per rolling 6 s, the pacer budget
// is 28 per 6 s.
import { startEmulator, RunningEmulator } from '../../emulator';
import { credentialFingerprint, providerEnvironment, validateAuthSettings } from '../../runtime';
import type { RedisSettings } from '../../runtime/redis';
import type { ConnectionSettings } from '../../runtime/settings';
import { settingsFor } from '../support/emulator-settings';
import { maxInWindow, startWorkers, Worker } from './support/processes';
import { RedisServer, ensureRedisServer, REDIS_INSTALL_TIMEOUT_MS } from './support/redis-server';
import type { OpRecord, RunResult } from './support/worker';

jest.setTimeout(120_000);

const WINDOW_MS = 6000;
// The shared-budget throughput test runs on tenants with a longer window: with the pacer's
// re-stamp at completion, each slot is reused one request latency after the window, so a loaded
// machine (slow requests, late timers) costs a share of latency / window. At 12 s that share is
// half of what it is at 6 s, and the ≥ 90 % bound holds on a machine running a second test suite.
const STEADY_WINDOW_MS = 12_000;
const BUDGET = 28;
let emulator: RunningEmulator;
let redis: RedisServer;
let workers: Worker[] = [];

function settings(tenant: string, windowMs = WINDOW_MS): ConnectionSettings {
  return settingsFor(emulator, 'appSecret', tenant, { pacing: { budget: BUDGET, windowMs }, retry: { baseDelayMs: 50, maxDelayMs: 500 } });
}

function redisSettings(extra: Partial<RedisSettings> = {}): RedisSettings {
  return { url: redis.url, keyPrefix: `scale${Date.now()}:`, ...extra };
}

function serverLog(tenant: string, since: number) {
  return emulator.control.requestLog(tenant).filter((r) => r.at >= since);
}

// Redis may still be installing on a fresh machine (see REDIS_INSTALL_TIMEOUT_MS).
beforeAll(() => ensureRedisServer(), REDIS_INSTALL_TIMEOUT_MS);

beforeAll(async () => {
  [emulator, redis] = await Promise.all([
    startEmulator({
      tenants: [
        { name: 'contoso', throttle: { limit: 30, windowMs: WINDOW_MS } },
        { name: 'fabrikam', seed: 2, throttle: { limit: 30, windowMs: WINDOW_MS } },
        { name: 'northwind', seed: 3, throttle: { limit: 30, windowMs: STEADY_WINDOW_MS } },
        { name: 'tailspin', seed: 4, throttle: { limit: 30, windowMs: STEADY_WINDOW_MS } },
      ],
    }),
    RedisServer.start(),
  ]);
});

afterEach(async () => {
  await Promise.all(workers.map((w) => w.kill()));
  workers = [];
});

afterAll(async () => {
  await redis?.close();
  await emulator?.close();
});

test('3 processes share one tenant budget: 0 × 429, ≥ 90 % of the budget, a second tenant unaffected, 1 token request', async () => {
  workers = await startWorkers(3);
  emulator.control.resetTokenRequests();
  const r = redisSettings();
  const W = STEADY_WINDOW_MS;
  const all = { northwind: settings('northwind', W), tailspin: settings('tailspin', W) };
  // Warm the processes up (module loading, TLS sessions, the tokens: already shared), then let
  // the window empty, so the measured run shows the steady state rather than cold starts of
  // 3 processes on 2 cores.
  await Promise.all(workers.map((w) => w.request<RunResult>({ type: 'run', settings: all, redis: r, jobs: [{ tenant: 'northwind', ops: 4, concurrency: 4 }, { tenant: 'tailspin', ops: 1, concurrency: 1 }] })));
  await new Promise((res) => setTimeout(res, W + 200));
  const since = Date.now();
  const total = 4 * BUDGET; // the first budget at once, then 3 more windows
  const perWorker = [38, 37, 37];
  const results = await Promise.all(
    workers.map((w, i) =>
      w.request<RunResult>({
        type: 'run',
        settings: all,
        redis: r,
        jobs: [{ tenant: 'northwind', ops: perWorker[i], concurrency: 12 }, ...(i === 0 ? [{ tenant: 'tailspin', ops: 10, concurrency: 2 }] : [])],
      }),
    ),
  );
  const records: OpRecord[] = results.flatMap((x) => x.records).filter((x) => x.startedAt >= since);
  expect(records.filter((x) => !x.ok)).toEqual([]);
  expect(records.filter((x) => x.tenant === 'northwind')).toHaveLength(total);

  const northwind = serverLog('northwind', since);
  expect(northwind.filter((e) => e.status === 429 || e.throttled)).toHaveLength(0);
  expect(northwind).toHaveLength(total);
  const times = northwind.map((e) => e.at).sort((a, b) => a - b);
  expect(maxInWindow(times, W)).toBeLessThanOrEqual(BUDGET);
  // Throughput in steady state: the server's count over the two full windows that follow the
  // first (immediate) budget. The end-to-end rate also pays the cold first burst on a loaded
  // 2-core machine and is reported only.
  const from = times[BUDGET];
  const perWindow = times.filter((t) => t >= from && t < from + 2 * W).length / 2;
  const endToEnd = ((total - BUDGET) / (times[times.length - 1] - times[0])) * W;
  if (process.env.SCALE_DEBUG) process.stdout.write(`times ${times.map((t) => t - times[0]).join(' ')}\n`);
  expect(perWindow).toBeGreaterThanOrEqual(0.9 * BUDGET);
  // Every process really drew from Redis.
  for (const x of results) expect(x.pacer?.shared).toBeGreaterThan(0);

  // The second tenant has its own budget: its 10 requests were done long before the first
  // tenant's 4 windows (generous bound: the machine is shared and loaded).
  const tailspin = records.filter((x) => x.tenant === 'tailspin' && x.startedAt >= since);
  expect(tailspin).toHaveLength(10);
  expect(Math.max(...tailspin.map((x) => x.endedAt))).toBeLessThan(times[0] + 2 * W);
  expect(times[times.length - 1] - times[0]).toBeGreaterThan(3 * W);
  expect(serverLog('tailspin', since).filter((e) => e.status === 429)).toHaveLength(0);

  // One token per credential across the 3 processes.
  const counts = emulator.control.tokenRequestCounts();
  expect(counts.byClient[emulator.tenants.northwind.credentials.apps.full.clientId]).toBe(1);
  expect(counts.byClient[emulator.tenants.tailspin.credentials.apps.full.clientId]).toBe(1);
  process.stdout.write(`scale: 3 processes, ${total} requests, steady ${perWindow.toFixed(1)} per ${W} ms window (budget ${BUDGET}), end to end ${endToEnd.toFixed(1)}, max ${maxInWindow(times, W)} in any window, 0 × 429\n`);
}, 240_000);

test('Redis killed mid-run: every operation completes on the per-process budget, shared mode resumes when Redis is back', async () => {
  workers = await startWorkers(3);
  const r = redisSettings();
  const all = { contoso: settings('contoso') };
  await new Promise((res) => setTimeout(res, WINDOW_MS)); // a clean server window
  const runs = workers.map((w) => w.request<RunResult>({ type: 'run', settings: all, redis: r, jobs: [{ tenant: 'contoso', ops: 25, concurrency: 4 }] }));
  // Kill Redis once about a third of the work is done.
  const deadline = Date.now() + 30_000;
  while (workers.reduce((n, w) => n + w.progress.done, 0) < 25 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
  await redis.stop();
  const downAt = Date.now();
  await new Promise((res) => setTimeout(res, 2500));
  await redis.start();
  const results = await Promise.all(runs);
  const records = results.flatMap((x) => x.records);
  expect(records).toHaveLength(75);
  expect(records.filter((x) => !x.ok)).toEqual([]);
  // At least one process noticed and fell back (with a warning), none crashed.
  const warned = results.filter((x) => x.modes.some((m) => m.startsWith('warn: Redis is unreachable')));
  expect(warned.length).toBeGreaterThan(0);
  expect(results.reduce((n, x) => n + (x.pacer?.fallback ?? 0), 0)).toBeGreaterThan(0);

  // Back to shared mode: a clean window, then another round goes through Redis again, 0 × 429.
  await new Promise((res) => setTimeout(res, WINDOW_MS + 500));
  const since = Date.now();
  const again = await Promise.all(workers.map((w) => w.request<RunResult>({ type: 'run', settings: all, redis: r, jobs: [{ tenant: 'contoso', ops: 12, concurrency: 4 }] })));
  expect(again.flatMap((x) => x.records).filter((x) => !x.ok)).toEqual([]);
  for (let i = 0; i < 3; i++) expect(again[i].pacer!.shared).toBeGreaterThan(results[i].pacer!.shared);
  expect(serverLog('contoso', since).filter((e) => e.status === 429)).toHaveLength(0);
  const resumed = again.filter((x) => x.modes.some((m) => m.startsWith('info: Redis is reachable again')));
  expect(resumed.length).toBe(warned.length);
  process.stdout.write(`scale: Redis down ${((Date.now() - downAt) / 1000).toFixed(1)} s ago; fallback admissions ${results.map((x) => x.pacer?.fallback).join('/')}, shared afterwards ${again.map((x) => x.pacer?.shared).join('/')}\n`);
});

test('a process killed while holding the token lock blocks the others only until the lock expires', async () => {
  workers = await startWorkers(3, 'lock');
  const r = redisSettings({ lockTtlMs: 3000 });
  const s = settings('contoso');
  const cacheKey = credentialFingerprint(validateAuthSettings(s.auth), providerEnvironment(s));
  emulator.control.resetTokenRequests();
  const locked = workers[0].next('locked');
  workers[0].send({ type: 'holdLock', redis: r, cacheKey, lockTtlMs: 3000 });
  await locked;
  const lockedAt = Date.now();
  await workers[0].kill();
  const answers = await Promise.all(workers.slice(1).map((w) => w.request<{ tokens: string[]; tokenStats: { fetched: number; fromRedis: number } }>({ type: 'token', settings: s, redis: r, count: 5 })));
  const waited = Date.now() - lockedAt;
  expect(waited).toBeLessThan(3000 + 3000);
  expect(new Set(answers.flatMap((a) => a.tokens)).size).toBe(1);
  expect(answers.reduce((n, a) => n + a.tokenStats.fetched, 0)).toBe(1);
  expect(emulator.control.tokenRequestCounts().total).toBe(1);
}, 60_000);
