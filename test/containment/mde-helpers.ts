// Shared helpers for the Defender for Endpoint containment tests: a client for the emulator's MDE
// listener (testing host override, real msal-node), whose sleep moves the emulator's clock instead
// of waiting, so a wait for a machine action takes no wall-clock time; the requests the listener
// saw.
import { RunningEmulator, startEmulator } from '../../emulator';
import { MDE_SERVICE, MdeOperationDefinition, MdeTokenInsight, OperationOutcome, SlidingWindowPacer } from '../../core';
import type { ResponseActionRecord } from '../../core/response';
import type { Clock, Sleep } from '../../core/ports';
import type { ServiceClient } from '../../core/service-client';
import { createServiceClient, ServiceConnection } from '../../runtime/create-service-client';
import type { AuthSettings } from '../../runtime/settings';
import { EmulatorAuthKind, hostPort, settingsFor } from '../support/emulator-settings';

export { evidenceDevices } from '../support/mde-emulator';

/** One emulator (tenant contoso, no throttling) for the file; its clock and MDE state reset after each test. */
export function withMdeEmulator(started: (emulator: RunningEmulator) => void): void {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({ tenants: [{ name: 'contoso', throttle: false }] });
    started(emulator);
  });
  afterAll(() => emulator.close());
  afterEach(() => {
    emulator.control.setClockOffsetMs(0);
    emulator.control.mde.reset('contoso');
  });
}

export type MdeTestClient = ServiceClient<MdeOperationDefinition, MdeTokenInsight>;

export function mdeConnection(emulator: RunningEmulator, kind: EmulatorAuthKind | AuthSettings = 'appSecret', tenant = 'contoso', extra: Partial<ServiceConnection> = {}): ServiceConnection {
  const t = emulator.tenants[tenant];
  const base = settingsFor(emulator, kind, tenant, { retry: { baseDelayMs: 20, maxDelayMs: 200 } });
  return {
    ...base,
    apiUrl: t.mdeApiUrl,
    testing: { ...base.testing!, allowHosts: [...base.testing!.allowHosts, hostPort(t.mdeApiUrl)] },
    budget: { perMinute: 10_000, perHour: 100_000 },
    ...extra,
  };
}

/**
 * A client clock that moves only with the emulator's offset (never with the wall clock), and a
 * sleep that moves that offset forward (and records each pause).
 */
export function emulatedTime(emulator: RunningEmulator): { clock: Clock; sleep: Sleep; pauses: number[] } {
  const pauses: number[] = [];
  const base = Date.now();
  return {
    pauses,
    clock: { now: () => base + emulator.control.clockOffsetMs() },
    sleep: async (ms: number) => {
      pauses.push(ms);
      emulator.control.setClockOffsetMs(emulator.control.clockOffsetMs() + ms);
    },
  };
}

/**
 * Like `emulatedTime`, for many concurrent sleepers: a sleep moves the emulator's clock to when
 * that sleeper wants to wake (never back, never by the sum of concurrent waits), then yields, so
 * waits that overlap in real life overlap here too.
 */
export function overlappingTime(emulator: RunningEmulator): { clock: Clock; sleep: Sleep } {
  const base = Date.now();
  const clock: Clock = { now: () => base + emulator.control.clockOffsetMs() };
  return {
    clock,
    sleep: async (ms: number) => {
      emulator.control.setClockOffsetMs(Math.max(emulator.control.clockOffsetMs(), clock.now() + ms - base));
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
  };
}

export function mdeClient(emulator: RunningEmulator, kind: EmulatorAuthKind | AuthSettings = 'appSecret', options: { tenant?: string; time?: { clock: Clock; sleep: Sleep } } = {}): MdeTestClient {
  const time = options.time;
  // An own pacer on the same clock: the runtime's shared one would wait in real time.
  const pacer = time ? new SlidingWindowPacer(time.clock, time.sleep, { budget: 10_000, windowMs: 60_000 }) : undefined;
  return createServiceClient(MDE_SERVICE, mdeConnection(emulator, kind, options.tenant), { ...(time ? { time } : {}), ...(pacer ? { pacer } : {}) });
}

/** Requests the MDE listener saw (path only), optionally those of one method. */
export function mdeRequests(emulator: RunningEmulator, method?: string, tenant = 'contoso') {
  return emulator.control.mde.requestLog(tenant).filter((r) => r.path.startsWith('/api/') && (!method || r.method === method));
}

/** The per-target records of a response action's outcome. */
export function recordsOf(outcome: OperationOutcome): ResponseActionRecord[] {
  if (outcome.kind !== 'perItem') throw new Error(`expected perItem, got ${outcome.kind}`);
  return outcome.items as ResponseActionRecord[];
}
