// Retries with growing, jittered waits after failures that usually pass by themselves: a reset
// or refused connection, a DNS hiccup, a gateway or server error. Used by the pipeline and by
// calls outside it (storage uploads) so both back off the same way.
import type { Clock, HttpResponse, Logger, Sleep, TransportFailure } from '../ports';
import { MdcaServerError } from '../errors';
import { backoffDelayMs, ResolvedRetryOptions, RETRYABLE_NETWORK_CODES, RETRYABLE_STATUSES } from '../retry';
import { PipelineRequest, sleepOrCancel } from './request';
import type { RetryStrategy } from './retry-policy';
import type { ServiceWording } from './wording';

/** What one attempt ended with: a status when an answer came, else the transport's failure code. */
export interface TransientOutcome {
  ok?: boolean;
  status?: number;
  code?: string;
}

export function isTransient(outcome: TransientOutcome): boolean {
  return outcome.code ? RETRYABLE_NETWORK_CODES.has(outcome.code) : RETRYABLE_STATUSES.has(outcome.status ?? 0);
}

/** The wait before retry number `retriesDone + 1`, or undefined when no retry should follow. */
export function transientDelayMs(retriesDone: number, outcome: TransientOutcome, retry: ResolvedRetryOptions, random: () => number): number | undefined {
  if (outcome.ok || !isTransient(outcome) || retriesDone >= retry.maxRetries) return undefined;
  return backoffDelayMs(retriesDone, retry, random);
}

/**
 * Runs `attempt` until it succeeds, fails in a way a retry does not help, or the retries are
 * spent, and returns its last outcome. `cancelled` builds the error for a stopped wait.
 */
export async function retryTransient(
  attempt: () => Promise<TransientOutcome>,
  options: { retry: ResolvedRetryOptions; random: () => number; sleep: Sleep; signal?: AbortSignal; cancelled: () => Error },
): Promise<TransientOutcome> {
  for (let retries = 0; ; retries++) {
    if (options.signal?.aborted) throw options.cancelled();
    const outcome = await attempt();
    const delay = transientDelayMs(retries, outcome, options.retry, options.random);
    if (delay === undefined) return outcome;
    try {
      await options.sleep(delay, options.signal);
    } catch {
      throw options.cancelled();
    }
  }
}

export interface TransientDependencies {
  clock: Clock;
  sleep: Sleep;
  logger: Logger;
  retry: ResolvedRetryOptions;
  random: () => number;
  wording: ServiceWording;
}

export class TransientRetryStrategy implements RetryStrategy {
  readonly name = 'transient';

  constructor(private readonly deps: TransientDependencies) {}

  retryResponse(request: PipelineRequest, response: HttpResponse): Promise<boolean> {
    return this.retry(request, { status: response.status }, `HTTP ${response.status}`);
  }

  retryFailure(request: PipelineRequest, failure: TransportFailure): Promise<boolean> {
    return this.retry(request, { code: failure.code }, 'network');
  }

  private async retry(request: PipelineRequest, outcome: TransientOutcome, reason: string): Promise<boolean> {
    const { clock, logger, retry, random, wording } = this.deps;
    const delayMs = transientDelayMs(request.retries, outcome, retry, random);
    if (delayMs === undefined) return false;
    const attempt = ++request.retries;
    const { operation } = request.spec;
    const requestId = request.requestId;
    if (clock.now() + delayMs > request.deadlineMs) {
      throw new MdcaServerError(`${operation} failed (${reason}) and the next retry would pass the operation deadline.`, 'Retry later.', { operation, requestId });
    }
    request.ctx.onEvent?.({ type: 'retry', operation, attempt, delayMs, reason, requestId });
    logger.debug(`retrying ${wording.name} request`, { operation, requestId, reason, delayMs, attempt });
    await sleepOrCancel(this.deps.sleep, delayMs, request);
    return true;
  }
}
