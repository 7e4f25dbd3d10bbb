// A service's pacing budget for this process, or with Redis settings the one budget every process
// of the same Redis shares. One window (MDCA: requests per rolling minute) or two (XDR: per minute
// and per hour); each process reuses one pacer per budget so every client of a tenant draws from it.
import type { Logger, PacingPort } from '../core/ports';
import { SlidingWindowPacer } from '../core/pacing';
import type { ServiceDescriptor } from '../core/services/descriptor';
import { XdrPacer } from '../core/xdr/pacing';
import { RedisSettings, sharedRedis } from './redis';
import { realSleep, systemClock } from './timers';

export interface ServiceBudget {
  /** Requests per rolling window (default: the service's per-minute budget). */
  perMinute?: number;
  /** The window of `perMinute`; tests shorten it. Default 60 s. */
  minuteWindowMs?: number;
  /** Requests per rolling hour, for services that cap the hour too. */
  perHour?: number;
  hourWindowMs?: number;
}

const pacers = new Map<string, PacingPort>();

function perProcess(key: string, create: () => PacingPort): PacingPort {
  let pacer = pacers.get(key);
  if (!pacer) {
    pacer = create();
    pacers.set(key, pacer);
  }
  return pacer;
}

export function servicePacer(service: Pick<ServiceDescriptor, 'budget'>, budget: ServiceBudget = {}, redis?: RedisSettings, logger?: Logger): PacingPort {
  const perMinute = budget.perMinute ?? service.budget.perMinute;
  const minuteWindowMs = budget.minuteWindowMs ?? 60_000;
  if (service.budget.perHour === undefined) return windowPacer(perMinute, minuteWindowMs, redis, logger);
  const perHour = budget.perHour ?? service.budget.perHour;
  const hourWindowMs = budget.hourWindowMs ?? 3_600_000;
  if (redis?.url) {
    const sharing = sharedRedis(redis, logger);
    return new XdrPacer(systemClock, realSleep, {}, { minute: sharing.pacer(perMinute, minuteWindowMs), hour: sharing.pacer(perHour, hourWindowMs) });
  }
  const key = JSON.stringify(['minute+hour', perMinute, perHour, minuteWindowMs, hourWindowMs]);
  return perProcess(key, () => new XdrPacer(systemClock, realSleep, { perMinute, perHour, minuteWindowMs, hourWindowMs }));
}

/** One rolling window: per process, or shared through Redis. */
export function windowPacer(budget = 28, windowMs = 60_000, redis?: RedisSettings, logger?: Logger): PacingPort {
  if (redis?.url) return sharedRedis(redis, logger).pacer(budget, windowMs);
  return perProcess(`${budget}/${windowMs}`, () => new SlidingWindowPacer(systemClock, realSleep, { budget, windowMs }));
}
