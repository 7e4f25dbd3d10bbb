// 50 containment actions fired at once against one tenant (issue 20): 5 clients share the
// tenant's Defender for Endpoint budget through one pacer, the emulator throttles at the
// documented 100 per minute and 1,500 per hour. Time is the emulator's clock, moved by the
// clients' waits (never by waiting): each action is sent exactly once (counted at the emulator),
// no answer is a 429, every action is reported, and no minute holds more calls than the budget.
// bench/containment.ts measures the same in real (time-scaled) time, across processes and Redis.
import { startEmulator, RunningEmulator } from '../../emulator';
import { MDE_DEFAULT_THROTTLE } from '../../emulator/mde/throttle';
import { MDE_SERVICE } from '../../core';
import { XdrPacer } from '../../core/xdr/pacing';
import { createServiceClient } from '../../runtime/create-service-client';
import { containmentActions, countAtEmulator, reportedDone, runAllAtOnce } from '../support/concurrent-containment';
import { mdeConnection, overlappingTime } from './mde-helpers';

const ACTIONS = 50;
const CLIENTS = 5;

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }] });
  emu.control.mde.setThrottle('contoso', { ...MDE_DEFAULT_THROTTLE, clock: 'emulator' });
});
afterAll(() => emu.close());

test(`${ACTIONS} isolate/scan actions on ${ACTIONS} machines from ${CLIENTS} clients: paced to the budget, 0 × 429, each sent once, all reported`, async () => {
  const machines = emu.control.mde.listMachines('contoso').slice(0, ACTIONS).map((m) => String(m.id));
  expect(new Set(machines).size).toBe(ACTIONS);
  const time = overlappingTime(emu);
  // The pacer the runtime builds for MDE (runtime/service-pacer.ts), on the emulated clock.
  const { perMinute, perHour } = MDE_SERVICE.budget;
  const pacer = new XdrPacer(time.clock, time.sleep, { perMinute, perHour });
  const clients = Array.from({ length: CLIENTS }, () => createServiceClient(MDE_SERVICE, mdeConnection(emu), { time, pacer }));

  const reports = await runAllAtOnce(clients, containmentActions(machines));

  expect(reports.filter((r) => r.error)).toEqual([]);
  expect(reportedDone(reports)).toBe(ACTIONS);
  expect(reports.map((r) => r.record?.outcome)).toEqual(machines.map((_, i) => (i % 2 === 0 ? 'isolated' : 'scanStarted')));
  const count = countAtEmulator(emu.control.mde.requestLog('contoso'), emu.control.mde.throttleAdmissions('contoso'), machines, 60_000);
  expect(count.throttled).toBe(0);
  expect(count.sentExactlyOnce).toBe(ACTIONS);
  expect(emu.control.mde.listActions('contoso')).toHaveLength(ACTIONS);
  // A read before each action and the action: more calls than one minute's budget.
  expect(count.requests).toBe(2 * ACTIONS);
  expect(count.requests).toBeGreaterThan(perMinute);
  expect(count.peakPerWindow).toBeLessThanOrEqual(MDE_DEFAULT_THROTTLE.perMinute);
  // The calls beyond the budget waited for the first minute to pass, on the emulated clock.
  expect(emu.control.clockOffsetMs()).toBeGreaterThanOrEqual(60_000);
  // Every record says who acted and with which comment.
  for (const r of reports) expect(r.record).toMatchObject({ credential: expect.objectContaining({ kind: 'application' }), comment: 'SOC case 20: contain', targetId: r.machineId });
});
