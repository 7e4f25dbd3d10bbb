// Waits out the service's throttling: a 429, or a 503 that says how long to wait. A wait longer
// than the caller allows, too many waits, or a wait past the operation deadline ends the send
// with a throttling error instead of holding the caller.
import type { Clock, HttpResponse, Logger, PacingPort, Sleep } from '../ports';
import { parseRetryAfterMs, ResolvedRetryOptions } from '../retry';
import { throttledError } from './error-mapping';
import { PipelineRequest, sleepOrCancel } from './request';
import type { RetryStrategy } from './retry-policy';
import type { ServiceWording } from './wording';

export interface ThrottlingDependencies {
  clock: Clock;
  sleep: Sleep;
  logger: Logger;
  pacer: PacingPort;
  tenantKey: string;
  retry: ResolvedRetryOptions;
  random: () => number;
  wording: ServiceWording;
}

export function isThrottling(response: HttpResponse): boolean {
  return response.status === 429 || (response.status === 503 && response.headers['retry-after'] !== undefined);
}

export class ThrottlingStrategy implements RetryStrategy {
  readonly name = 'throttling';

  constructor(private readonly deps: ThrottlingDependencies) {}

  async retryResponse(request: PipelineRequest, response: HttpResponse): Promise<boolean> {
    if (!isThrottling(response)) return false;
    const { clock, pacer, tenantKey, logger, wording } = this.deps;
    const is429 = response.status === 429;
    const hinted = parseRetryAfterMs(response.headers, response.body, clock.now());
    request.throttleWaits++;
    const delay = this.delayMs(request, hinted, is429);
    // A 429 is about the tenant's budget, which every request shares: the pacer holds them all
    // for the wait, this one included. A 503 is this service being busy: only this send sleeps.
    if (is429) pacer.reportThrottled(tenantKey, delay);
    const { operation } = request.spec;
    request.ctx.onEvent?.({ type: 'throttled', operation, delayMs: delay, requestId: request.requestId });
    logger.info(`${wording.name} throttled the request; waiting`, { operation, requestId: request.requestId, delayMs: delay });
    if (!is429) await sleepOrCancel(this.deps.sleep, delay, request);
    return true;
  }

  /** The wait before the next attempt, or the throttling error when no wait is allowed. */
  private delayMs(request: PipelineRequest, hinted: number | undefined, is429: boolean): number {
    const { clock, pacer, tenantKey, retry, random, wording } = this.deps;
    const name = wording.name;
    if (hinted !== undefined && hinted > retry.maxRetryAfterMs) {
      // Halve the budget but do not hold the queue for that long: later calls get their own
      // answer and fail fast too, instead of hanging in the pacer.
      if (is429) pacer.reportThrottled(tenantKey, undefined);
      const why = `${name} asked to wait ${Math.ceil(hinted / 1000)} s, longer than the allowed ${Math.round(retry.maxRetryAfterMs / 1000)} s`;
      throw throttledError(request, hinted, why, wording);
    }
    if (request.throttleWaits > retry.maxThrottleWaits) {
      throw throttledError(request, hinted, `${name} kept throttling ${request.spec.operation} after ${request.throttleWaits - 1} waits`, wording);
    }
    // Without a hint, twice the transient back-off: the budget needs longer to recover than a blip.
    const base = hinted ?? Math.min(retry.maxDelayMs, 2 * retry.baseDelayMs * 2 ** (request.throttleWaits - 1));
    const delay = base + Math.floor(random() * Math.min(250, retry.baseDelayMs));
    if (clock.now() + delay > request.deadlineMs) {
      throw throttledError(request, delay, `the wait ${name} asked for would pass the operation deadline`, wording);
    }
    return delay;
  }
}
