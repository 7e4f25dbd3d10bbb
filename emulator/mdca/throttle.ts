// The documented limit: 30 requests per rolling minute per tenant. A sliding-window log
// (timestamps of admitted requests) rather than fixed buckets, so bursts across a minute boundary
// are caught too.

export interface ThrottleSettings {
  limit: number;
  windowMs: number;
  /** Retry-After is not documented for MDCA, so clients may not rely on it; tests can switch it off. */
  retryAfterHeader: boolean;
}
export const DEFAULT_THROTTLE: ThrottleSettings = { limit: 30, windowMs: 60_000, retryAfterHeader: true };

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class SlidingWindowThrottle {
  private admitted: number[] = [];
  constructor(
    public settings: ThrottleSettings | false,
    private readonly now: () => number = Date.now,
  ) {}

  check(): ThrottleDecision {
    if (this.settings === false) return { allowed: true };
    const t = this.now();
    const { limit, windowMs } = this.settings;
    while (this.admitted.length > 0 && this.admitted[0] <= t - windowMs) this.admitted.shift();
    if (this.admitted.length < limit) {
      this.admitted.push(t);
      return { allowed: true };
    }
    const waitMs = this.admitted[0] + windowMs - t;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  reset(): void {
    this.admitted = [];
  }
}
