// A manual clock and sleep for deterministic pacing and retry tests.
import type { Clock, Sleep } from '../../core/ports';
import { MdcaCancelledError } from '../../core/errors';

export class FakeTime {
  private current = 1_700_000_000_000;
  private timers: { at: number; resolve: () => void; reject: (e: unknown) => void; signal?: AbortSignal }[] = [];

  readonly clock: Clock = { now: () => this.current };

  readonly sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(new MdcaCancelledError());
      const timer = { at: this.current + Math.max(0, ms), resolve, reject, signal };
      this.timers.push(timer);
      signal?.addEventListener('abort', () => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(new MdcaCancelledError());
      }, { once: true });
    });

  pending(): number {
    return this.timers.length;
  }

  /** Moves time forward, firing due timers in order and letting promise chains settle. */
  async advance(ms: number): Promise<void> {
    const end = this.current + ms;
    for (;;) {
      await flush();
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = Math.max(this.current, due.at);
      due.resolve();
    }
    this.current = end;
    await flush();
  }
}

export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
