// Many containment actions against one tenant at once, as a SOC automation fires them: one action
// per machine (isolate and antivirus scan alternately), spread over several clients that share the
// tenant's Defender for Endpoint budget, all started together. Counted afterwards at the emulator:
// how often each machine's action was sent and accepted, how many answers were 429, and the most
// calls the throttle admitted in any window. Used by test/containment/mde-concurrent.test.ts (on
// the emulator's clock), bench/containment.ts and the scale workers (real time through Redis).
import type { MdeRequestLogEntry } from '../../emulator/mde/state';
import type { OperationOutcome } from '../../core';
import type { ResponseActionRecord } from '../../core/response';
import { maxInWindow } from '../scale/support/processes';

export interface ContainmentAction {
  operation: 'machine.isolate' | 'machine.runAntivirusScan';
  machineId: string;
  input: Record<string, unknown>;
}

/** What one action reported: its record, or the error it ended with. */
export interface ActionReport {
  operation: string;
  machineId: string;
  record?: ResponseActionRecord;
  error?: string;
}

interface RunsOperations {
  run(operationId: string, input: Record<string, unknown>): Promise<OperationOutcome>;
}

/** One action per machine: even positions isolate (Full), odd ones start a quick scan. */
export function containmentActions(machineIds: readonly string[], comment = 'SOC case 20: contain'): ContainmentAction[] {
  return machineIds.map((machineId, i) =>
    i % 2 === 0
      ? { operation: 'machine.isolate', machineId, input: { machineIds: machineId, comment, isolationType: 'Full' } }
      : { operation: 'machine.runAntivirusScan', machineId, input: { machineIds: machineId, comment, scanType: 'Quick' } },
  );
}

/** Starts every action at once, action i on client i mod n; one report per action, never a throw. */
export function runAllAtOnce(clients: readonly RunsOperations[], actions: readonly ContainmentAction[]): Promise<ActionReport[]> {
  return Promise.all(
    actions.map(async (action, i): Promise<ActionReport> => {
      const base = { operation: action.operation, machineId: action.machineId };
      try {
        const outcome = await clients[i % clients.length].run(action.operation, action.input);
        if (outcome.kind !== 'perItem' || outcome.items.length !== 1) return { ...base, error: `expected one record, got ${outcome.kind}` };
        return { ...base, record: outcome.items[0] as ResponseActionRecord };
      } catch (error) {
        return { ...base, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
      }
    }),
  );
}

export interface EmulatorCount {
  /** MDE requests the emulator logged (reads before sending and the actions). */
  requests: number;
  throttled: number;
  /** Per machine: action POSTs the service accepted (201), and all action POSTs that reached it. */
  accepted: Record<string, number>;
  posted: Record<string, number>;
  /** Actions whose machine got exactly one accepted POST and no other. */
  sentExactlyOnce: number;
  /** The most calls the throttle admitted in any window of `windowMs`, on the throttle's clock. */
  peakPerWindow: number;
}

export function countAtEmulator(log: readonly MdeRequestLogEntry[], admissions: readonly number[], machineIds: readonly string[], windowMs: number): EmulatorCount {
  const api = log.filter((e) => e.path.startsWith('/api/'));
  const accepted: Record<string, number> = Object.fromEntries(machineIds.map((id) => [id, 0]));
  const posted: Record<string, number> = { ...accepted };
  for (const e of api) {
    const machine = /^\/api\/machines\/([^/]+)\/[^/]+$/.exec(e.path)?.[1];
    if (e.method !== 'POST' || machine === undefined || !(machine in posted)) continue;
    posted[machine]++;
    if (e.status === 201) accepted[machine]++;
  }
  return {
    requests: api.length,
    throttled: api.filter((e) => e.status === 429 || e.throttled).length,
    accepted,
    posted,
    sentExactlyOnce: machineIds.filter((id) => accepted[id] === 1 && posted[id] === 1).length,
    peakPerWindow: maxInWindow([...admissions], windowMs),
  };
}

/** Actions reported as done, with the action id the service gave. */
export function reportedDone(reports: readonly ActionReport[]): number {
  return reports.filter((r) => r.record?.status === 'done' && typeof r.record.actionId === 'string').length;
}
