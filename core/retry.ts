// Retry policy numbers and Retry-After parsing, following the Azure SDK pipeline shape
// (few retries, exponential back-off with jitter, server hints honoured up to a cap).

export interface RetryOptions {
  /** Retries after the first attempt for 5xx/408/network errors. Default 3 (as the Azure SDKs). */
  maxRetries?: number;
  /** First back-off delay. Default 1 000 ms. */
  baseDelayMs?: number;
  /** Largest back-off delay. Default 60 000 ms. */
  maxDelayMs?: number;
  /** Throttle waits allowed per operation (429/503). Default 5, so a sustained 429 ends in an error. */
  maxThrottleWaits?: number;
  /** A Retry-After longer than this fails fast instead of sleeping. Default 120 000 ms. */
  maxRetryAfterMs?: number;
}

export interface ResolvedRetryOptions {
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxThrottleWaits: number;
  maxRetryAfterMs: number;
}

export function resolveRetryOptions(options: RetryOptions = {}): ResolvedRetryOptions {
  return {
    maxRetries: clampInt(options.maxRetries, 0, 10, 3),
    baseDelayMs: clampInt(options.baseDelayMs, 0, 60_000, 1_000),
    maxDelayMs: clampInt(options.maxDelayMs, 0, 600_000, 60_000),
    maxThrottleWaits: clampInt(options.maxThrottleWaits, 0, 20, 5),
    maxRetryAfterMs: clampInt(options.maxRetryAfterMs, 0, 24 * 3_600_000, 120_000),
  };
}

function clampInt(value: number | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(value)));
}

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);
export const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ECONNABORTED',
  // The outbound proxy could not be reached (runtime/proxy-tunnel.ts): nothing was sent, so a
  // retry is safe and rides out a proxy restart.
  'PROXY_UNREACHABLE',
]);

/**
 * Equal jitter: a delay drawn from [d/2, d] where d doubles per attempt up to the cap, so clients
 * that failed together do not retry in lockstep.
 */
export function backoffDelayMs(attempt: number, options: ResolvedRetryOptions, random: () => number): number {
  const exponential = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/**
 * Reads the server's wait: retry-after-ms, x-ms-retry-after-ms, then Retry-After as seconds or
 * an HTTP date (a past date counts as 0), then a DRF-style body "Expected available in N seconds"
 * (MDCA's throttle answer). Undefined when the server gave no hint.
 */
export function parseRetryAfterMs(headers: Record<string, string>, body: string, nowMs: number): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const value = Number(headers[name]);
    if (headers[name] !== undefined && Number.isFinite(value) && value >= 0) return value;
  }
  const header = headers['retry-after'];
  if (header !== undefined && header.trim() !== '') {
    const seconds = Number(header.trim());
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(header);
    if (Number.isFinite(date)) return Math.max(0, date - nowMs);
  }
  const match = /available in (\d+(?:\.\d+)?) second/i.exec(body.slice(0, 2_000));
  if (match) return Number(match[1]) * 1000;
  return undefined;
}
