// Waiting for an action the service runs on its own (a Defender for Endpoint machine action):
// read its state at growing intervals until it is final or the time is up. Every read goes
// through the client's pipeline, so it takes a permit from the tenant's budget like any call.
import { MdcaCancelledError } from '../errors';
import type { OperationExecution } from '../operations/types';

/** 15 s, 30 s, then every 60 s: quick actions are seen soon, long ones cost one call a minute. */
export const WAIT_INTERVALS_MS: readonly number[] = [15_000, 30_000, 60_000];

export interface WaitOptions<T> {
  exec: Pick<OperationExecution, 'now' | 'sleep' | 'ctx'>;
  read: () => Promise<T>;
  isFinal: (value: T) => boolean;
  timeoutMs: number;
  /** Told after each read that is not final (a host shows it as a status). */
  onProgress?: (value: T, elapsedMs: number) => void;
  intervalsMs?: readonly number[];
}

export interface WaitResult<T> {
  value: T;
  /** True when the time ran out before the value became final. */
  timedOut: boolean;
  elapsedMs: number;
}

/** Reads until final or timed out; the first read happens after the first interval. */
export async function waitUntilFinal<T>(options: WaitOptions<T>): Promise<WaitResult<T>> {
  const { exec, read, isFinal, timeoutMs } = options;
  const intervals = options.intervalsMs ?? WAIT_INTERVALS_MS;
  const started = exec.now();
  for (let attempt = 0; ; attempt += 1) {
    const elapsed = exec.now() - started;
    const interval = intervals[Math.min(attempt, intervals.length - 1)];
    // The last read happens at the deadline, not after it.
    const pause = Math.max(0, Math.min(interval, timeoutMs - elapsed));
    if (exec.ctx.signal?.aborted) throw new MdcaCancelledError('The wait was cancelled; the action was sent and keeps running on the service: follow it up by its id.');
    await exec.sleep(pause, exec.ctx.signal);
    const value = await read();
    const now = exec.now() - started;
    if (isFinal(value)) return { value, timedOut: false, elapsedMs: now };
    if (now >= timeoutMs) return { value, timedOut: true, elapsedMs: now };
    options.onProgress?.(value, now);
  }
}
