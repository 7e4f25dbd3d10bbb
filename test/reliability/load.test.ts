// Load: 5 tenants × 10 concurrent workflows against a throttled emulator. Every operation
// completes, 429s ≤ 1 % of requests, token requests stay at one per token lifetime per credential,
// memory and open handles do not grow.
//
// Default (npm test): time-scaled — the emulator allows 30 requests per 3 s per tenant, the
// client paces at 28 per 3 s, tokens live 330 s (msal and the provider refresh 300 s early, so a
// token is used for 30 s: one "lifetime" = 30 s), 60 s of load.
// MDCA_LOAD_FULL=1: the real shape — 30 per 60 s, pacing 28 per 60 s, 1 h tokens, 10 minutes.
// Figures are written to test-results/load.json and quoted in docs/reliability.md.
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { startEmulator, RunningEmulator } from '../../emulator';
import { MdcaClient, MdcaError, collect } from '../../core';
import { createMdcaClient } from '../../runtime';
import { settingsFor } from '../support/emulator-settings';
import { realDelay } from './helpers';

const FULL = process.env.MDCA_LOAD_FULL === '1';
const TENANTS = 5;
const WORKFLOWS = 10;
const WINDOW_MS = FULL ? 60_000 : 3_000;
const DURATION_MS = Number(process.env.MDCA_LOAD_SECONDS ?? (FULL ? 600 : 60)) * 1000;
const TOKEN_LIFETIME_S = FULL ? 3599 : 330;
const USABLE_TOKEN_MS = (TOKEN_LIFETIME_S - 300) * 1000;

/** A real GC for heap figures (jest does not expose one): heapUsed after collection, not garbage. */
v8.setFlagsFromString('--expose_gc');
const gc = vm.runInNewContext('gc') as () => void;
const liveHeap = (): number => {
  gc();
  return process.memoryUsage().heapUsed;
};

let emulator: RunningEmulator;
const names = Array.from({ length: TENANTS }, (_, i) => `load${i + 1}`);
beforeAll(async () => {
  emulator = await startEmulator({
    tenants: names.map((name) => ({ name, throttle: { limit: 30, windowMs: WINDOW_MS, retryAfterHeader: true }, counts: { alerts: 600 } })),
    tokenLifetimeSeconds: TOKEN_LIFETIME_S,
  });
});
afterAll(async () => {
  await emulator.close();
});

function clientFor(tenant: string): MdcaClient {
  return createMdcaClient(settingsFor(emulator, 'appSecret', tenant, { pacing: { budget: 28, windowMs: WINDOW_MS } }));
}

/** One workflow: a realistic mix of reads and writes until the deadline. */
async function workflow(tenant: string, index: number, deadline: number, stats: { ops: number; failures: string[] }): Promise<void> {
  const client = clientFor(tenant);
  const alerts = emulator.control.listAlerts(tenant);
  let step = index;
  while (Date.now() < deadline) {
    const alert = alerts[(step * 7) % alerts.length];
    try {
      switch (step % 5) {
        case 0: {
          const outcome = await client.run('alert.getAll', { sortDirection: 'asc' }, { maxItems: 150 });
          if (outcome.kind === 'pages') await collect(outcome.pages);
          break;
        }
        case 1:
          await client.run('alert.get', { alertId: alert._id });
          break;
        case 2:
          await client.run(step % 2 ? 'alert.markRead' : 'alert.markUnread', { alertId: alert._id });
          break;
        case 3: {
          const outcome = await client.run('activity.getAll', {}, { maxItems: 100 });
          if (outcome.kind === 'pages') await collect(outcome.pages);
          break;
        }
        default: {
          const outcome = await client.run('ipRange.getAll', {}, { maxItems: 20 });
          if (outcome.kind === 'pages') await collect(outcome.pages);
        }
      }
      stats.ops++;
    } catch (error) {
      stats.failures.push(error instanceof MdcaError ? `${error.code}: ${error.message}` : String(error));
    }
    step++;
  }
}

test(`${TENANTS} tenants × ${WORKFLOWS} workflows for ${DURATION_MS / 1000} s against ${30}/${WINDOW_MS / 1000} s throttling`, async () => {
  // Warm-up: one call per tenant (cold token), then measure from a steady state.
  await Promise.all(names.map((t) => clientFor(t).run('alert.get', { alertId: emulator.control.listAlerts(t)[0]._id })));
  await realDelay(WINDOW_MS);
  for (const t of names) emulator.control.resetRequestLog(t);
  emulator.control.resetTokenRequests();
  const handlesStart = process.getActiveResourcesInfo().length;
  const heapStart = liveHeap();
  const heapSamples: number[] = [];
  // Live heap every tenth of the run: growth would show as a rising series.
  const sampler = setInterval(() => heapSamples.push(liveHeap()), DURATION_MS / 10);

  const started = Date.now();
  const deadline = started + DURATION_MS;
  const stats = { ops: 0, failures: [] as string[] };
  await Promise.all(names.flatMap((t) => Array.from({ length: WORKFLOWS }, (_, i) => workflow(t, i, deadline, stats))));
  const elapsedMs = Date.now() - started;
  clearInterval(sampler);
  const heapEnd = liveHeap();
  const handlesAtEnd = process.getActiveResourcesInfo().length;
  // Idle keep-alive sockets close after the server's 5 s keep-alive timeout; then nothing is left.
  await realDelay(6_000);
  const handlesEnd = process.getActiveResourcesInfo().length;

  const perTenant = names.map((t) => {
    const log = emulator.control.requestLog(t);
    return { tenant: t, requests: log.length, throttled: log.filter((r) => r.status === 429).length, errors: log.filter((r) => r.status >= 500 || r.status === 0).length };
  });
  const requests = perTenant.reduce((n, t) => n + t.requests, 0);
  const throttled = perTenant.reduce((n, t) => n + t.throttled, 0);
  const tokenCounts = emulator.control.tokenRequestCounts();
  const perCredential = Object.values(tokenCounts.byClient);
  const lifetimes = elapsedMs / USABLE_TOKEN_MS;
  const secondHalf = heapSamples.slice(Math.floor(heapSamples.length / 2));
  const figures = {
    mode: FULL ? 'full (10 min, 30/60 s)' : 'scaled (60 s, 30/3 s)',
    tenants: TENANTS,
    workflowsPerTenant: WORKFLOWS,
    elapsedS: Math.round(elapsedMs / 1000),
    operations: stats.ops,
    failedOperations: stats.failures.length,
    requests,
    requestsPerTenantPerWindow: Number((requests / TENANTS / (elapsedMs / WINDOW_MS)).toFixed(1)),
    throttled429: throttled,
    throttledPercent: Number(((100 * throttled) / Math.max(1, requests)).toFixed(2)),
    tokenRequestsPerCredential: perCredential,
    usableTokenLifetimesElapsed: Number(lifetimes.toFixed(1)),
    heapStartMb: Math.round(heapStart / 1_048_576),
    heapEndMb: Math.round(heapEnd / 1_048_576),
    liveHeapSamplesMb: heapSamples.map((h) => Math.round(h / 1_048_576)),
    heapMaxSecondHalfMb: Math.round(Math.max(...secondHalf, heapEnd) / 1_048_576),
    activeResourcesStart: handlesStart,
    activeResourcesAtEnd: handlesAtEnd,
    activeResourcesAfterIdle: handlesEnd,
    perTenant,
  };
  const out = path.resolve(__dirname, '../../test-results');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, FULL ? 'load-full.json' : 'load.json'), JSON.stringify(figures, null, 2));
  console.log(`load figures: ${JSON.stringify(figures)}`);

  expect(stats.failures.slice(0, 5)).toEqual([]);
  expect(stats.ops).toBeGreaterThan(TENANTS * WORKFLOWS);
  expect(throttled).toBeLessThanOrEqual(Math.floor(requests * 0.01));
  // One token per usable lifetime per credential (≤ 2 per hour with 1 h tokens), plus the one in flight.
  expect(perCredential).toHaveLength(TENANTS);
  for (const n of perCredential) expect(n).toBeLessThanOrEqual(Math.ceil(lifetimes) + 1);
  // No growth: live heap within 30 MB of the start; open handles (sockets, timers) go back to
  // where they were once the keep-alive pool idles out.
  expect(heapEnd - heapStart).toBeLessThan(30 * 1_048_576);
  expect(handlesEnd).toBeLessThanOrEqual(handlesStart + 2);
}, DURATION_MS + 120_000);
