// The core's PacingPort over Redis: one budget per tenant shared by every process (n8n main and
// workers, several Node-RED instances) that points at the same Redis and key prefix.
//
// - Sliding-window log per tenant: a sorted set of request ids scored by admission time, checked
//   and appended in ONE Lua script with Redis's own clock (TIME), so process clocks never matter.
// - Re-stamp at completion: release() moves the entry to the completion time (the server counts a
//   request when it arrives, up to its duration after admission: measured with 3 processes on a
//   budget of 28, 31 reached the server without this, exactly 28 with it; docs/scale-out.md).
// - 429s: throttle state (last 429, Retry-After end) is a Redis hash read by the same script, so
//   one process's 429 halves the budget and holds every process (same rules as core/pacing.ts).
// - Priority lane: an interactive request that must wait registers itself in a per-tenant
//   "interactive waiters" set (with an expiry); while that set is non-empty, bulk requests are not
//   admitted, so the next free slot in any process goes to the interactive request. Nothing is
//   reserved when no interactive request waits, so bulk throughput stays at 100 % of the budget.
// - Faults: any Redis error moves the process to its own in-process SlidingWindowPacer (the
//   per-process budget, as without Redis) with a warning; a probe returns to shared mode when
//   Redis answers again. Requests never fail because of Redis.
import crypto from 'node:crypto';
import type { Logger, PacingPermit, PacingPort, RequestPriority } from '../../core/ports';
import { noopLogger } from '../../core/ports';
import { SlidingWindowPacer } from '../../core/pacing';
import { MdcaCancelledError } from '../../core/errors';
import { realSleep, systemClock } from '../timers';
import type { RespClient } from './resp-client';

export interface RedisPacerOptions {
  budget?: number;
  windowMs?: number;
  coolDownMs?: number;
  minBudget?: number;
  /** Key prefix (default "mdca:"); must differ from n8n's "bull:" and "n8n:". */
  prefix?: string;
  /** Budget of the in-process pacer used while Redis is unreachable. Default: the budget. */
  fallbackBudget?: number;
  /** Longest single wait before asking Redis again. Default 1000 ms (interactive: 250 ms). */
  maxPollMs?: number;
  logger?: Logger;
  /** Mode changes, for host status lines. */
  onModeChange?: (mode: 'shared' | 'fallback', reason?: string) => void;
}

// KEYS: 1 log (zset), 2 throttle state (hash), 3 interactive waiters (zset)
// ARGV: 1 budget, 2 windowMs, 3 coolDownMs, 4 minBudget, 5 member, 6 priority, 7 reserve ms
// Returns {admitted (1/0), waitMs, nowMs}
export const ACQUIRE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local budget = tonumber(ARGV[1])
local windowMs = tonumber(ARGV[2])
local coolDown = tonumber(ARGV[3])
local minBudget = tonumber(ARGV[4])
local member = ARGV[5]
local interactive = ARGV[6] == 'interactive'
local st = redis.call('HMGET', KEYS[2], 'blockedUntil', 'throttledAt')
local blocked = tonumber(st[1]) or 0
local throttledAt = tonumber(st[2])
local function waitAs(ms)
  if interactive then
    redis.call('ZADD', KEYS[3], now + ms + tonumber(ARGV[7]), member)
    redis.call('PEXPIRE', KEYS[3], ms + tonumber(ARGV[7]) + 1000)
  end
  return {0, ms, now}
end
if blocked > now then return waitAs(blocked - now) end
if throttledAt then
  local since = now - throttledAt
  if since < coolDown + budget * 60000 then
    local halved = math.max(minBudget, math.floor(budget / 2))
    if since < coolDown then budget = halved
    else budget = math.min(budget, halved + math.floor((since - coolDown) / 60000)) end
  end
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - windowMs)
local n = redis.call('ZCARD', KEYS[1])
if n >= budget then
  local e = redis.call('ZRANGE', KEYS[1], n - budget, n - budget, 'WITHSCORES')
  return waitAs(math.max(1, tonumber(e[2]) + windowMs - now))
end
if not interactive then
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
  if redis.call('ZCARD', KEYS[3]) > 0 then return {0, 50, now} end
else
  redis.call('ZREM', KEYS[3], member)
end
redis.call('ZADD', KEYS[1], now, member)
redis.call('PEXPIRE', KEYS[1], windowMs * 2)
return {1, 0, now}
`;

// KEYS: 1 log. ARGV: 1 member, 2 windowMs. Re-stamps an entry still in the window at Redis's now.
export const RELEASE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
end
return now
`;

// KEYS: 1 throttle state. ARGV: 1 retryAfterMs (0 = none), 2 state ttl ms.
export const THROTTLED_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HSET', KEYS[1], 'throttledAt', now)
local ra = tonumber(ARGV[1])
if ra > 0 then
  local cur = tonumber(redis.call('HGET', KEYS[1], 'blockedUntil')) or 0
  if now + ra > cur then redis.call('HSET', KEYS[1], 'blockedUntil', now + ra) end
end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return now
`;

interface Waiter {
  id: string;
  priority: RequestPriority;
  resolve: (permit: PacingPermit) => void;
  reject: (error: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface TenantQueue {
  waiters: Waiter[];
  pumping: boolean;
  wake: (() => void) | undefined;
}

let sequence = 0;

export class RedisPacer implements PacingPort {
  readonly budget: number;
  readonly windowMs: number;
  private readonly coolDownMs: number;
  private readonly minBudget: number;
  private readonly prefix: string;
  private readonly local: SlidingWindowPacer;
  private readonly queues = new Map<string, TenantQueue>();
  private readonly logger: Logger;
  private readonly instance = `${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
  private mode: 'shared' | 'fallback' = 'shared';
  private probe: NodeJS.Timeout | undefined;
  /** Counters for tests and status: admissions through Redis and through the fallback pacer. */
  readonly stats = { shared: 0, fallback: 0, redisErrors: 0 };

  constructor(
    private readonly redis: RespClient,
    private readonly options: RedisPacerOptions = {},
  ) {
    this.budget = Math.max(1, Math.min(options.budget ?? 28, 10_000));
    this.windowMs = options.windowMs ?? 60_000;
    this.coolDownMs = options.coolDownMs ?? 5 * 60_000;
    this.minBudget = Math.min(options.minBudget ?? 5, this.budget);
    this.prefix = options.prefix ?? 'mdca:';
    this.logger = options.logger ?? noopLogger;
    this.local = new SlidingWindowPacer(systemClock, realSleep, {
      budget: options.fallbackBudget ?? this.budget,
      windowMs: this.windowMs,
      coolDownMs: this.coolDownMs,
      minBudget: options.minBudget,
    });
  }

  get currentMode(): 'shared' | 'fallback' {
    return this.mode;
  }

  /** Key names; `{tenant}` is a hash tag so a Redis Cluster keeps one tenant's keys together. */
  keys(tenantKey: string): [string, string, string] {
    const tag = `${this.prefix}pace:{${tenantKey.replace(/[{}\s]/g, '_')}}`;
    return [`${tag}:log`, `${tag}:throttle`, `${tag}:interactive`];
  }

  acquire(tenantKey: string, priority: RequestPriority, signal?: AbortSignal): Promise<PacingPermit> {
    if (signal?.aborted) return Promise.reject(new MdcaCancelledError());
    if (this.mode === 'fallback') return this.acquireLocal(tenantKey, priority, signal);
    const queue = this.queueFor(tenantKey);
    return new Promise<PacingPermit>((resolve, reject) => {
      const waiter: Waiter = { id: `${this.instance}.${++sequence}`, priority, resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const i = queue.waiters.indexOf(waiter);
          if (i >= 0) queue.waiters.splice(i, 1);
          reject(new MdcaCancelledError());
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      if (priority === 'interactive') {
        const firstBulk = queue.waiters.findIndex((w) => w.priority === 'bulk');
        queue.waiters.splice(firstBulk < 0 ? queue.waiters.length : firstBulk, 0, waiter);
        queue.wake?.();
      } else {
        queue.waiters.push(waiter);
      }
      void this.pump(tenantKey, queue);
    });
  }

  reportThrottled(tenantKey: string, retryAfterMs: number | undefined): void {
    // The in-process pacer learns it too, so a fallback starts from the reduced budget.
    this.local.reportThrottled(tenantKey, retryAfterMs);
    if (this.mode === 'fallback') return;
    const [, state] = this.keys(tenantKey);
    const ttl = this.coolDownMs + this.budget * 60_000;
    this.redis.evalScript(THROTTLED_SCRIPT, [state], [Math.max(0, Math.round(retryAfterMs ?? 0)), ttl]).then(
      () => this.queues.get(tenantKey)?.wake?.(),
      (error) => this.failed(error),
    );
  }

  /** Stops the recovery probe (hosts call this on shutdown). */
  close(): void {
    if (this.probe) clearInterval(this.probe);
    this.probe = undefined;
  }

  private queueFor(tenantKey: string): TenantQueue {
    let q = this.queues.get(tenantKey);
    if (!q) {
      q = { waiters: [], pumping: false, wake: undefined };
      this.queues.set(tenantKey, q);
    }
    return q;
  }

  /** One loop per tenant and process asks Redis for the head of the local queue. */
  private async pump(tenantKey: string, queue: TenantQueue): Promise<void> {
    if (queue.pumping) return;
    queue.pumping = true;
    const [log, state, interactive] = this.keys(tenantKey);
    try {
      while (queue.waiters.length > 0) {
        if (this.mode === 'fallback') {
          for (const w of queue.waiters.splice(0)) this.handToLocal(tenantKey, w);
          return;
        }
        const head = queue.waiters[0];
        let reply: unknown;
        try {
          reply = await this.redis.evalScript(ACQUIRE_SCRIPT, [log, state, interactive], [this.budget, this.windowMs, this.coolDownMs, this.minBudget, head.id, head.priority, this.maxPoll(head.priority) * 2]);
        } catch (error) {
          this.failed(error);
          continue;
        }
        const [admitted, waitMs] = reply as [number, number, number];
        if (queue.waiters[0] !== head) {
          // The head was cancelled (or an interactive request jumped ahead) during the call.
          if (admitted === 1) void this.redis.command(['ZREM', log, head.id]).catch(() => undefined);
          continue;
        }
        if (admitted === 1) {
          queue.waiters.shift();
          this.stats.shared++;
          this.grant(head, () => {
            this.redis.evalScript(RELEASE_SCRIPT, [log], [head.id, this.windowMs]).catch(() => undefined);
          });
          continue;
        }
        // A little jitter so processes that woke together do not ask at the same millisecond.
        const sleepMs = Math.min(waitMs, this.maxPoll(head.priority)) + Math.floor(Math.random() * 15);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, sleepMs);
          function done() {
            clearTimeout(timer);
            queue.wake = undefined;
            resolve();
          }
          queue.wake = done;
        });
      }
    } finally {
      queue.pumping = false;
    }
  }

  private maxPoll(priority: RequestPriority): number {
    const max = this.options.maxPollMs ?? 1000;
    return priority === 'interactive' ? Math.min(max, 250) : max;
  }

  private grant(waiter: Waiter, onRelease: () => void): void {
    if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort);
    let released = false;
    waiter.resolve({
      release: () => {
        if (released) return;
        released = true;
        onRelease();
      },
    });
  }

  private handToLocal(tenantKey: string, waiter: Waiter): void {
    if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort);
    this.acquireLocal(tenantKey, waiter.priority, waiter.signal).then(waiter.resolve, waiter.reject);
  }

  private acquireLocal(tenantKey: string, priority: RequestPriority, signal?: AbortSignal): Promise<PacingPermit> {
    return this.local.acquire(tenantKey, priority, signal).then((permit) => {
      this.stats.fallback++;
      return permit;
    });
  }

  private failed(error: unknown): void {
    this.stats.redisErrors++;
    if (this.mode === 'fallback') return;
    this.mode = 'fallback';
    const reason = (error as Error)?.message ?? String(error);
    this.logger.warn('Redis is unreachable: pacing falls back to this process\'s own budget until it is back.', { redis: this.redis.address, reason });
    this.options.onModeChange?.('fallback', reason);
    this.probe = setInterval(() => {
      this.redis.command(['PING']).then(
        () => this.recovered(),
        () => undefined,
      );
    }, 1000);
    this.probe.unref?.();
  }

  private recovered(): void {
    if (this.mode === 'shared') return;
    this.close();
    this.mode = 'shared';
    this.logger.info('Redis is reachable again: pacing is shared across processes again.', { redis: this.redis.address });
    this.options.onModeChange?.('shared');
  }
}
