// The documented limit of every Defender for Endpoint method: 100 calls per minute and 1,500 per
// hour. Per tenant here (the docs do not say per app or per tenant). Both windows are sliding logs
// of admitted calls; a call refused by either window is not counted by the other.
// Real time by default. Benchmarks shrink both windows by one factor (time-scaled, as the MDCA
// throttle's `windowMs`); tests that move the emulator's clock instead of waiting count on it
// (`clock: 'emulator'`), so a client sleeping on that clock is paced without real minutes.

export interface MdeThrottleSettings {
  perMinute: number;
  perHour: number;
  /** Retry-After is documented for MDE's 429; tests can switch it off to see a client cope without. */
  retryAfterHeader: boolean;
  /** The "minute" and "hour" windows; shortened only to time-scale a benchmark. */
  minuteWindowMs: number;
  hourWindowMs: number;
  /** Which clock the windows count on: real time, or the emulator's (moved by tests). */
  clock: 'real' | 'emulator';
}
export const MDE_DEFAULT_THROTTLE: MdeThrottleSettings = { perMinute: 100, perHour: 1500, retryAfterHeader: true, minuteWindowMs: 60_000, hourWindowMs: 3_600_000, clock: 'real' };

export type MdeThrottleDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number; limit: number; window: string };

/** Admissions kept for `admissions()` (the peak per window a benchmark reports); older ones drop. */
const KEPT_ADMISSIONS = 20_000;

export class MdeThrottle {
  private admitted: number[] = [];
  private history: number[] = [];
  constructor(
    public settings: MdeThrottleSettings | false,
    private readonly now: (clock: MdeThrottleSettings['clock']) => number = () => Date.now(),
  ) {}

  check(): MdeThrottleDecision {
    if (this.settings === false) return { allowed: true };
    const { perMinute, perHour, minuteWindowMs, hourWindowMs } = this.settings;
    const t = this.now(this.settings.clock);
    while (this.admitted.length > 0 && this.admitted[0] <= t - hourWindowMs) this.admitted.shift();
    const lastMinute = this.admitted.filter((a) => a > t - minuteWindowMs);
    if (lastMinute.length >= perMinute) return { allowed: false, retryAfterSeconds: wait(lastMinute[lastMinute.length - perMinute] + minuteWindowMs - t), limit: perMinute, window: span(minuteWindowMs) };
    if (this.admitted.length >= perHour) return { allowed: false, retryAfterSeconds: wait(this.admitted[this.admitted.length - perHour] + hourWindowMs - t), limit: perHour, window: span(hourWindowMs) };
    this.admitted.push(t);
    this.history.push(t);
    if (this.history.length > KEPT_ADMISSIONS) this.history.splice(0, this.history.length - KEPT_ADMISSIONS);
    return { allowed: true };
  }

  /** When each admitted call was counted, on the throttle's clock (the last 20,000 since the reset). */
  admissions(): number[] {
    return [...this.history];
  }

  reset(): void {
    this.admitted = [];
    this.history = [];
  }
}

const wait = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

/** The window as the service's message writes it: 00:01:00, 01:00:00. */
function span(ms: number): string {
  const s = Math.round(ms / 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(s / 3600))}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
}
