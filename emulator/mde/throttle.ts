// The documented limit of every Defender for Endpoint method: 100 calls per minute and 1,500 per
// hour. Per tenant here (the docs do not say per app or per tenant). Both windows are sliding logs
// of admitted calls; a call refused by either window is not counted by the other.

export interface MdeThrottleSettings {
  perMinute: number;
  perHour: number;
  /** Retry-After is documented for MDE's 429; tests can switch it off to see a client cope without. */
  retryAfterHeader: boolean;
}
export const MDE_DEFAULT_THROTTLE: MdeThrottleSettings = { perMinute: 100, perHour: 1500, retryAfterHeader: true };

export type MdeThrottleDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number; limit: number; window: '00:01:00' | '01:00:00' };

export class MdeThrottle {
  private admitted: number[] = [];
  constructor(
    public settings: MdeThrottleSettings | false,
    private readonly now: () => number = Date.now,
  ) {}

  check(): MdeThrottleDecision {
    if (this.settings === false) return { allowed: true };
    const t = this.now();
    while (this.admitted.length > 0 && this.admitted[0] <= t - 3600_000) this.admitted.shift();
    const { perMinute, perHour } = this.settings;
    const lastMinute = this.admitted.filter((a) => a > t - 60_000);
    if (lastMinute.length >= perMinute) return { allowed: false, retryAfterSeconds: wait(lastMinute[lastMinute.length - perMinute] + 60_000 - t), limit: perMinute, window: '00:01:00' };
    if (this.admitted.length >= perHour) return { allowed: false, retryAfterSeconds: wait(this.admitted[this.admitted.length - perHour] + 3600_000 - t), limit: perHour, window: '01:00:00' };
    this.admitted.push(t);
    return { allowed: true };
  }

  reset(): void {
    this.admitted = [];
  }
}

const wait = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));
