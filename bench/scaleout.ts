// Scale-out (docs/scale-out.md): processes × tenants through one Redis. Each process is a real
// child process (test/scale/support/worker.ts: clients built as the hosts build them, with the
// Redis pacer and token cache) and every tenant gets 4 budgets' worth of requests split over the
// processes, all at once. The emulator counts what arrives: 429s, the most in any window, the
// steady rate (requests over the two full windows after the first, immediate budget) as a share of
// the budget, and token requests per credential. For contrast, 3 processes without Redis (each
// pacing on its own, as every process did before the Redis sharing).
import { startEmulator, RunningEmulator } from '../emulator';
import { BUDGET, benchSettings, figure, main, QUICK, round, scaleNote, throttledTenant, WINDOW_MS } from './lib/bench';
import { maxInWindow, startWorkers, Worker } from '../test/scale/support/processes';
import { RedisServer } from '../test/scale/support/redis-server';
import type { RunResult } from '../test/scale/support/worker';

interface Shape {
  processes: number;
  tenants: number;
  redis: boolean;
}

interface ShapeResult extends Shape {
  requests: number;
  failed: number;
  throttled: number;
  maxInWindow: number;
  steadyShare: number;
  tokenRequestsPerCredential: number;
  seconds: number;
}

const SHAPES: Shape[] = QUICK
  ? [
      { processes: 3, tenants: 1, redis: true },
      { processes: 3, tenants: 2, redis: true },
      { processes: 3, tenants: 1, redis: false },
    ]
  : [
      { processes: 1, tenants: 1, redis: true },
      { processes: 3, tenants: 1, redis: true },
      { processes: 1, tenants: 2, redis: true },
      { processes: 3, tenants: 2, redis: true },
      { processes: 5, tenants: 2, redis: true },
      { processes: 3, tenants: 1, redis: false },
    ];

// Fresh tenants for every shape, so no shape inherits another's window or token.
const tenantsOf = (shapeNo: number, shape: Shape) => Array.from({ length: shape.tenants }, (_, i) => `s${shapeNo}t${i}`);

async function runShape(emulator: RunningEmulator, redis: RedisServer, workers: Worker[], shape: Shape, shapeNo: number): Promise<ShapeResult> {
  const tenants = tenantsOf(shapeNo, shape);
  const settings = Object.fromEntries(tenants.map((t) => [t, benchSettings(emulator, t, { retry: { baseDelayMs: 50, maxDelayMs: 500 } })]));
  const perTenant = 4 * BUDGET;
  const active = workers.slice(0, shape.processes);
  const share = (i: number) => Math.floor(perTenant / shape.processes) + (i < perTenant % shape.processes ? 1 : 0);
  const redisSettings = shape.redis ? { url: redis.url, keyPrefix: `bench${shapeNo}:` } : undefined;
  emulator.control.resetTokenRequests();
  const t0 = Date.now();
  const results = await Promise.all(
    active.map((w, i) => w.request<RunResult>({ type: 'run', settings, redis: redisSettings, jobs: tenants.map((tenant) => ({ tenant, ops: share(i), concurrency: 12 })) })),
  );
  const seconds = (Date.now() - t0) / 1000;
  const records = results.flatMap((r) => r.records);
  let throttled = 0;
  let peak = 0;
  const shares: number[] = [];
  let requests = 0;
  for (const t of tenants) {
    const log = emulator.control.requestLog(t).filter((e) => e.at >= t0);
    requests += log.length;
    throttled += log.filter((e) => e.status === 429 || e.throttled).length;
    const times = log.filter((e) => e.status !== 429 && !e.throttled).map((e) => e.at).sort((a, b) => a - b);
    peak = Math.max(peak, maxInWindow(times, WINDOW_MS));
    const from = times[BUDGET];
    if (from !== undefined) shares.push(times.filter((x) => x >= from && x < from + 2 * WINDOW_MS).length / 2 / BUDGET);
  }
  const counts = emulator.control.tokenRequestCounts();
  const perCredential = Math.max(...tenants.map((t) => counts.byClient[emulator.tenants[t].credentials.apps.full.clientId] ?? 0));
  return {
    ...shape,
    requests,
    failed: records.filter((r) => !r.ok).length,
    throttled,
    maxInWindow: peak,
    steadyShare: round(Math.min(...shares), 3),
    tokenRequestsPerCredential: perCredential,
    seconds: round(seconds, 1),
  };
}

void main('scaleout', async () => {
  const tenants = [{ name: 'warm', throttle: false as const }, ...SHAPES.flatMap((shape, i) => tenantsOf(i, shape).map((t) => throttledTenant(t)))];
  const [emulator, redis] = await Promise.all([startEmulator({ tenants }), RedisServer.start()]);
  const maxProcesses = Math.max(...SHAPES.map((s) => s.processes));
  const workers = await startWorkers(maxProcesses, 'bench');
  const rows: ShapeResult[] = [];
  try {
    // Warm every process (module loading, TLS) on a throwaway open tenant first.
    const warm = { warm: benchSettings(emulator, 'warm') };
    await Promise.all(workers.map((w) => w.request<RunResult>({ type: 'run', settings: warm, jobs: [{ tenant: 'warm', ops: 2, concurrency: 2 }] })));
    for (const [i, shape] of SHAPES.entries()) {
      const r = await runShape(emulator, redis, workers, shape, i);
      rows.push(r);
      console.error(`scaleout ${r.processes}×${r.tenants}${r.redis ? '' : ' (no Redis)'}: ${r.requests} requests, ${r.throttled} × 429, max ${r.maxInWindow} per window, steady ${r.steadyShare} of budget, ${r.tokenRequestsPerCredential} token request(s) per credential, ${r.seconds} s`);
      // Let every window empty before the next shape.
      await new Promise((res) => setTimeout(res, WINDOW_MS));
    }
  } finally {
    await Promise.all(workers.map((w) => w.kill()));
    await redis.close();
    await emulator.close();
  }
  const shared = rows.filter((r) => r.redis);
  const alone = rows.find((r) => !r.redis);
  const worst = (f: (r: ShapeResult) => number, pick: (a: number, b: number) => number) => shared.map(f).reduce((a, b) => pick(a, b));
  const note = `${scaleNote()}; budget ${BUDGET}; shapes ${shared.map((r) => `${r.processes}×${r.tenants}`).join(', ')}`;
  return {
    figures: [
      figure('scaleOut429s', '429s with Redis, all shapes (processes × tenants)', shared.reduce((n, r) => n + r.throttled, 0), '', { op: '==', value: 0 }, note),
      figure('scaleOutMaxPerWindow', 'most requests at the server in any window, per tenant', worst((r) => r.maxInWindow, Math.max), '', { op: '<=', value: BUDGET }, 'the emulator allows 30'),
      figure('scaleOutSteadyShare', 'steady throughput per tenant / budget, worst shape', worst((r) => r.steadyShare, Math.min), '', { op: '>=', value: 0.9 }, 'server count over the two windows after the first budget'),
      figure('scaleOutTokenRequests', 'token requests per credential across the processes, worst shape', worst((r) => r.tokenRequestsPerCredential, Math.max), '', { op: '==', value: 1 }),
      figure('scaleOutFailed', 'failed operations with Redis', shared.reduce((n, r) => n + r.failed, 0), '', { op: '==', value: 0 }),
      ...(alone
        ? [figure('scaleOutNoRedis429s', `429s with ${alone.processes} processes pacing alone (no Redis)`, alone.throttled, '', undefined, `max ${alone.maxInWindow} per window at the server, ${alone.tokenRequestsPerCredential} token requests per credential: the problem Redis solves`)]
        : []),
    ],
    details: { rows },
  };
});
