// Per-tenant pacing: a sliding-window log (at most `budget` requests in any rolling window), so
// the client complies whether the server counts fixed minutes or a rolling window (the docs do not
// say which). After a 429 the budget halves for a cool-down, then climbs back by one per minute,
// so a tenant shared with other tools settles below the limit instead of hitting it again at once.
// Interactive requests (single writes) go before queued bulk reads, and bulk reads beyond a
// small burst are spaced evenly (window / budget apart) instead of taking the whole budget at
// once, so a write waiting behind a long scan gets the next free slot within seconds (measured by
// bench/latency.ts) while the long-run rate stays at the budget.
import type { Clock, PacingPermit, PacingPort, RequestPriority, Sleep } from './ports';
import { MdcaCancelledError } from './errors';

export interface PacingOptions {
  /** Requests admitted per window. Default 28 (30 per minute is the documented tenant limit). */
  budget?: number;
  /** Window length in ms. Default 60 000. */
  windowMs?: number;
  /** How long a 429 keeps the budget halved. Default 5 minutes. */
  coolDownMs?: number;
  /** Floor of the halved budget. Default 5. */
  minBudget?: number;
  /** Bulk requests admitted back to back before spacing starts. Default budget / 4. */
  burst?: number;
}

interface Waiter {
  priority: RequestPriority;
  resolve: (permit: PacingPermit) => void;
  reject: (error: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

class TenantWindow {
  /** Admission or completion times of the requests in the current window, oldest first. */
  readonly stamps: number[] = [];
  readonly waiters: Waiter[] = [];
  blockedUntil = 0;
  throttledAt = -Infinity;
  lastBulkAt = -Infinity;
  timer: { cancel: () => void } | undefined;
}

export class SlidingWindowPacer implements PacingPort {
  private readonly tenants = new Map<string, TenantWindow>();
  private readonly budget: number;
  private readonly windowMs: number;
  private readonly coolDownMs: number;
  private readonly minBudget: number;
  private readonly burst: number;

  constructor(
    private readonly clock: Clock,
    private readonly sleep: Sleep,
    options: PacingOptions = {},
  ) {
    this.budget = Math.max(1, Math.min(options.budget ?? 28, 10_000));
    this.windowMs = options.windowMs ?? 60_000;
    this.coolDownMs = options.coolDownMs ?? 5 * 60_000;
    this.minBudget = Math.min(options.minBudget ?? 5, this.budget);
    this.burst = Math.max(1, Math.min(options.burst ?? Math.floor(this.budget / 4), this.budget));
  }

  /** The budget in force now, after any 429-driven reduction. */
  currentBudget(tenantKey: string): number {
    const tenant = this.tenants.get(tenantKey);
    if (!tenant) return this.budget;
    const sinceThrottle = this.clock.now() - tenant.throttledAt;
    if (sinceThrottle >= this.coolDownMs + this.budget * 60_000) return this.budget;
    const halved = Math.max(this.minBudget, Math.floor(this.budget / 2));
    if (sinceThrottle < this.coolDownMs) return halved;
    const climbed = halved + Math.floor((sinceThrottle - this.coolDownMs) / 60_000);
    return Math.min(this.budget, climbed);
  }

  acquire(tenantKey: string, priority: RequestPriority, signal?: AbortSignal): Promise<PacingPermit> {
    if (signal?.aborted) return Promise.reject(new MdcaCancelledError());
    const tenant = this.tenantFor(tenantKey);
    return new Promise<PacingPermit>((resolve, reject) => {
      const waiter: Waiter = { priority, resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const index = tenant.waiters.indexOf(waiter);
          if (index >= 0) tenant.waiters.splice(index, 1);
          reject(new MdcaCancelledError());
          if (tenant.waiters.length === 0) this.cancelTimer(tenant);
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      if (priority === 'interactive') {
        const firstBulk = tenant.waiters.findIndex((w) => w.priority === 'bulk');
        tenant.waiters.splice(firstBulk < 0 ? tenant.waiters.length : firstBulk, 0, waiter);
      } else {
        tenant.waiters.push(waiter);
      }
      this.drain(tenantKey, tenant);
    });
  }

  reportThrottled(tenantKey: string, retryAfterMs: number | undefined): void {
    const tenant = this.tenantFor(tenantKey);
    const now = this.clock.now();
    tenant.throttledAt = now;
    if (retryAfterMs !== undefined && retryAfterMs > 0) {
      tenant.blockedUntil = Math.max(tenant.blockedUntil, now + retryAfterMs);
    }
    this.cancelTimer(tenant);
    this.drain(tenantKey, tenant);
  }

  private tenantFor(key: string): TenantWindow {
    let tenant = this.tenants.get(key);
    if (!tenant) {
      tenant = new TenantWindow();
      this.tenants.set(key, tenant);
    }
    return tenant;
  }

  private drain(tenantKey: string, tenant: TenantWindow): void {
    while (tenant.waiters.length > 0) {
      const now = this.clock.now();
      while (tenant.stamps.length > 0 && tenant.stamps[0] <= now - this.windowMs) tenant.stamps.shift();
      const budget = this.currentBudget(tenantKey);
      let waitMs = 0;
      if (tenant.blockedUntil > now) waitMs = tenant.blockedUntil - now;
      else if (tenant.stamps.length >= budget) {
        const oldestThatMustExpire = tenant.stamps[tenant.stamps.length - budget];
        waitMs = oldestThatMustExpire + this.windowMs - now;
      }
      const head = tenant.waiters[0];
      if (head.priority === 'bulk' && tenant.stamps.length >= Math.min(this.burst, budget)) {
        waitMs = Math.max(waitMs, tenant.lastBulkAt + this.windowMs / budget - now);
      }
      if (waitMs > 0) {
        this.schedule(tenantKey, tenant, waitMs);
        return;
      }
      const waiter = tenant.waiters.shift() as Waiter;
      if (waiter.priority === 'bulk') tenant.lastBulkAt = now;
      if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort);
      tenant.stamps.push(now);
      let released = false;
      waiter.resolve({
        release: () => {
          if (released) return;
          released = true;
          // Re-stamp at completion: the server may count the request when it arrives, up to
          // the request's duration after admission (with several processes sharing a budget the
          // server counted more than the budget without this; see docs/scale-out.md).
          const index = tenant.stamps.indexOf(now);
          const completedAt = this.clock.now();
          if (index >= 0) {
            tenant.stamps.splice(index, 1);
            insertSorted(tenant.stamps, completedAt);
          }
          this.drain(tenantKey, tenant);
        },
      });
    }
    this.cancelTimer(tenant);
  }

  private schedule(tenantKey: string, tenant: TenantWindow, waitMs: number): void {
    if (tenant.timer) return;
    const controller = new AbortController();
    tenant.timer = { cancel: () => controller.abort() };
    this.sleep(waitMs, controller.signal).then(
      () => {
        tenant.timer = undefined;
        this.drain(tenantKey, tenant);
      },
      () => {
        // Cancelled: a newer schedule or an empty queue replaced this one.
      },
    );
  }

  private cancelTimer(tenant: TenantWindow): void {
    tenant.timer?.cancel();
    tenant.timer = undefined;
  }
}

function insertSorted(list: number[], value: number): void {
  let i = list.length;
  while (i > 0 && list[i - 1] > value) i--;
  list.splice(i, 0, value);
}

/**
 * A pacer view that ignores the pipeline's key and uses `key` (e.g. "xdr:<tenant id>"), for an API
 * host that every tenant shares.
 */
export function keyedPacer(pacer: PacingPort, key: string): PacingPort {
  return {
    acquire: (_tenantKey, priority, signal) => pacer.acquire(key, priority, signal),
    reportThrottled: (_tenantKey, retryAfterMs) => pacer.reportThrottled(key, retryAfterMs),
  };
}
