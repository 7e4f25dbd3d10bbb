// Containment at scale (issue 20): 50 Defender for Endpoint actions fired at once against one
// tenant (isolate and antivirus scan alternately, 50 distinct machines), from several clients that
// share the tenant's budget. Two shapes: 3 processes × 2 clients through Redis (the budget and the
// token shared as n8n queue-mode workers share them), and 5 clients in one process on the
// runtime's per-process pacer. The emulator throttles at the documented 100 calls per minute and
// 1,500 per hour; the clients pace at the MDE descriptor's 90 and 1,400. Counted at the emulator:
// action requests per machine (exactly one each), 429 answers, the most calls admitted in any
// minute; from the clients: records reported.
// Time-scaled like the MDCA benches: the Redis pacer counts on Redis's own clock (real time), so
// the emulator's "minute" and the pacers' are both WINDOW_MS (6 s quick, 20 s full) and the hour
// 60 × WINDOW_MS. test/containment/mde-concurrent.test.ts shows the same at the real 60 s on the
// emulator's clock.
import { startEmulator, RunningEmulator } from '../emulator';
import { MDE_DEFAULT_THROTTLE } from '../emulator/mde/throttle';
import { MDE_SERVICE } from '../core/services/mde';
import { createServiceClient, ServiceConnection } from '../runtime/create-service-client';
import type { ServiceBudget } from '../runtime/service-pacer';
import { figure, Figure, main, round, WINDOW_MS } from './lib/bench';
import { startWorkers, Worker } from '../test/scale/support/processes';
import { RedisServer } from '../test/scale/support/redis-server';
import { ActionReport, containmentActions, countAtEmulator, EmulatorCount, reportedDone, runAllAtOnce } from '../test/support/concurrent-containment';
import { mdeConnection } from '../test/containment/mde-helpers';

const ACTIONS = 50;
const SCALE = WINDOW_MS / 60_000;
const HOUR_MS = 60 * WINDOW_MS;
const LIMIT = MDE_DEFAULT_THROTTLE.perMinute;
const BUDGET: ServiceBudget = { perMinute: MDE_SERVICE.budget.perMinute, perHour: MDE_SERVICE.budget.perHour, minuteWindowMs: WINDOW_MS, hourWindowMs: HOUR_MS };

interface ShapeRun {
  id: string;
  label: string;
  reports: ActionReport[];
  count: EmulatorCount;
  seconds: number;
}

function connection(emulator: RunningEmulator, tenant: string): ServiceConnection {
  return mdeConnection(emulator, 'appSecret', tenant, { budget: BUDGET });
}

function machinesOf(emulator: RunningEmulator, tenant: string): string[] {
  emulator.control.mde.setThrottle(tenant, { ...MDE_DEFAULT_THROTTLE, minuteWindowMs: WINDOW_MS, hourWindowMs: HOUR_MS });
  return emulator.control.mde.listMachines(tenant).slice(0, ACTIONS).map((m) => String(m.id));
}

async function measure(emulator: RunningEmulator, tenant: string, id: string, label: string, fire: (machines: string[]) => Promise<ActionReport[]>): Promise<ShapeRun> {
  const machines = machinesOf(emulator, tenant);
  const t0 = performance.now();
  const reports = await fire(machines);
  const seconds = (performance.now() - t0) / 1000;
  const count = countAtEmulator(emulator.control.mde.requestLog(tenant), emulator.control.mde.throttleAdmissions(tenant), machines, WINDOW_MS);
  console.error(`containment ${label}: ${count.sentExactlyOnce}/${ACTIONS} sent once, ${count.throttled} × 429, ${reportedDone(reports)} reported, peak ${count.peakPerWindow} per window, ${round(seconds, 1)} s`);
  return { id, label, reports, count, seconds };
}

/** 3 processes × 2 clients, one budget and one token through Redis. */
async function throughRedis(emulator: RunningEmulator, workers: Worker[], redis: RedisServer): Promise<ShapeRun> {
  const tenant = 'redis';
  return measure(emulator, tenant, 'containment.redis', `${workers.length} processes × 2 clients, Redis`, async (machines) => {
    const actions = containmentActions(machines);
    const share = (w: number) => actions.filter((_, i) => i % workers.length === w);
    const results = await Promise.all(
      workers.map((worker, w) => worker.request<{ reports: ActionReport[] }>({ type: 'containment', connection: connection(emulator, tenant), redis: { url: redis.url, keyPrefix: 'bench-containment:' }, clients: 2, actions: share(w) })),
    );
    return results.flatMap((r) => r.reports);
  });
}

/** 5 clients of this process, on the runtime's per-process pacer. */
async function inOneProcess(emulator: RunningEmulator): Promise<ShapeRun> {
  const tenant = 'process';
  return measure(emulator, tenant, 'containment.process', '1 process × 5 clients', (machines) => {
    const clients = Array.from({ length: 5 }, () => createServiceClient(MDE_SERVICE, connection(emulator, tenant)));
    return runAllAtOnce(clients, containmentActions(machines));
  });
}

function figuresOf(run: ShapeRun): Figure[] {
  const { id, label, count, reports, seconds } = run;
  const errors = reports.filter((r) => r.error).map((r) => r.error);
  const perMachine = Object.values(count.accepted);
  const scale = `time-scaled: a "minute" of ${WINDOW_MS / 1000} s, an "hour" of ${HOUR_MS / 1000} s at the emulator and in the pacers (×${round(1 / SCALE, 2)})`;
  return [
    figure(`${id}.sentOnce`, `${label}: actions sent exactly once (counted at the emulator)`, count.sentExactlyOnce, `of ${ACTIONS}`, { op: '==', value: ACTIONS }, `accepted action requests per machine: min ${Math.min(...perMachine)}, max ${Math.max(...perMachine)}; ${count.requests} MDE requests in all (a read before each action, then the action)`),
    figure(`${id}.429`, `${label}: 429 answers`, count.throttled, '', { op: '==', value: 0 }, `emulator: ${LIMIT} per minute and ${MDE_DEFAULT_THROTTLE.perHour} per hour; ${scale}`),
    figure(`${id}.reported`, `${label}: actions reported done with their action id`, reportedDone(reports), `of ${ACTIONS}`, { op: '==', value: ACTIONS }, errors.length > 0 ? `errors: ${[...new Set(errors)].slice(0, 2).join(' | ')}` : undefined),
    figure(`${id}.peakPerMinute`, `${label}: most calls admitted in any minute at the emulator`, count.peakPerWindow, '', { op: '<=', value: LIMIT }, `budget ${MDE_SERVICE.budget.perMinute} per minute (the descriptor's); the limit is ${LIMIT}`),
    figure(`${id}.elapsed`, `${label}: elapsed, first action sent to last reported`, round(seconds, 1), 's', undefined, `= ${round(seconds / 60 / SCALE, 2)} real minutes at the unscaled limit: ${count.requests} calls at ${MDE_SERVICE.budget.perMinute} per minute need more than one minute`),
  ];
}

void main('containment', async () => {
  const tenants = [{ name: 'redis', throttle: false as const }, { name: 'process', throttle: false as const }];
  const [emulator, redis] = await Promise.all([startEmulator({ tenants }), RedisServer.start()]);
  const workers = await startWorkers(3, 'containment');
  const runs: ShapeRun[] = [];
  try {
    runs.push(await throughRedis(emulator, workers, redis));
    runs.push(await inOneProcess(emulator));
  } finally {
    await Promise.all(workers.map((w) => w.kill()));
    await redis.close();
    await emulator.close();
  }
  return {
    figures: runs.flatMap(figuresOf),
    details: { windowMs: WINDOW_MS, hourWindowMs: HOUR_MS, runs: runs.map((r) => ({ shape: r.label, seconds: round(r.seconds, 1), ...r.count, errors: r.reports.filter((x) => x.error).map((x) => x.error) })) },
  };
});
