// Pacing for Defender XDR: per tenant, a per-minute budget (incidents allow 50/min, hunting at
// least 45/min: 45 by default) plus an hourly cap (incidents allow 1,500/hour: 1,400 by default),
// both sliding windows. The pipeline keys pacing by API host, which is shared by every tenant for
// XDR (api.security.microsoft.com), so the client re-keys it by tenant (`keyedPacer`, core/pacing.ts).
import type { Clock, PacingPermit, PacingPort, RequestPriority, Sleep } from '../ports';
import { SlidingWindowPacer } from '../pacing';

export interface XdrPacingOptions {
  /** Requests per rolling minute. Default 45. */
  perMinute?: number;
  /** Requests per rolling hour. Default 1,400. */
  perHour?: number;
  /** Window lengths (tests shorten them). */
  minuteWindowMs?: number;
  hourWindowMs?: number;
}

export const XDR_DEFAULT_PACING = { perMinute: 45, perHour: 1_400 } as const;

export class XdrPacer implements PacingPort {
  private readonly minute: PacingPort;
  private readonly hour: PacingPort;

  /**
   * Per-process windows from `options`, or (`windows`) any two pacers, e.g. Redis-backed ones
   * shared by several processes (runtime/redis). The hourly window is keyed `<tenantKey>:hour`
   * so that both may live in one store.
   */
  constructor(clock: Clock, sleep: Sleep, options: XdrPacingOptions = {}, windows?: { minute: PacingPort; hour: PacingPort }) {
    this.minute = windows?.minute ?? new SlidingWindowPacer(clock, sleep, { budget: options.perMinute ?? XDR_DEFAULT_PACING.perMinute, windowMs: options.minuteWindowMs ?? 60_000 });
    this.hour = windows?.hour ?? new SlidingWindowPacer(clock, sleep, { budget: options.perHour ?? XDR_DEFAULT_PACING.perHour, windowMs: options.hourWindowMs ?? 3_600_000, minBudget: 100 });
  }

  async acquire(tenantKey: string, priority: RequestPriority, signal?: AbortSignal): Promise<PacingPermit> {
    const hourly = await this.hour.acquire(`${tenantKey}:hour`, priority, signal);
    let minute: PacingPermit;
    try {
      minute = await this.minute.acquire(tenantKey, priority, signal);
    } catch (error) {
      hourly.release();
      throw error;
    }
    return {
      release: () => {
        minute.release();
        hourly.release();
      },
    };
  }

  reportThrottled(tenantKey: string, retryAfterMs: number | undefined): void {
    this.minute.reportThrottled(tenantKey, retryAfterMs);
  }
}
