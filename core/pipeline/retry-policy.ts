// Sends again while a strategy says another attempt can help. The strategies decide when and
// how long to wait; this policy holds the one rule they may not bend: a write that is not safe
// to repeat is never sent twice once it may have reached the server, because a lost answer does
// not mean the change was not made. That covers a lost connection and also a server or gateway
// error (500, 502, 504, 408, a 503 without Retry-After): the write may have been applied behind
// it. Only answers that say it was not processed (401, 429, 503 with Retry-After) allow a resend.
import type { HttpResponse, TransportFailure } from '../ports';
import { isTransportFailure } from '../ports';
import { networkError, uncertainAnswerError, uncertainOutcomeError } from './error-mapping';
import { PipelinePolicy, PipelineRequest, SendNext, throwIfAborted } from './request';
import type { ServiceWording } from './wording';

/**
 * Says whether another attempt should follow an answer or a failure. A strategy that says yes
 * has already waited as long as it wanted; it may throw the final error instead.
 */
export interface RetryStrategy {
  readonly name: string;
  retryResponse?(request: PipelineRequest, response: HttpResponse): Promise<boolean>;
  retryFailure?(request: PipelineRequest, failure: TransportFailure): Promise<boolean>;
}

export class RetryPolicy implements PipelinePolicy {
  readonly name = 'retry';

  constructor(
    private readonly strategies: readonly RetryStrategy[],
    private readonly wording: ServiceWording,
  ) {}

  async sendRequest(request: PipelineRequest, next: SendNext): Promise<HttpResponse> {
    for (; ; request.attempt++) {
      throwIfAborted(request);
      let response: HttpResponse;
      try {
        response = await next(request);
      } catch (error) {
        if (!isTransportFailure(error)) throw error;
        if (mayHaveApplied(request, error)) throw uncertainOutcomeError(request, error, this.wording);
        if (await this.anyRetries((s) => s.retryFailure?.(request, error))) continue;
        throw networkError(request, error, this.wording);
      }
      if (response.status >= 200 && response.status < 300) return response;
      if (answerMayHaveApplied(request, response)) throw uncertainAnswerError(request, response.status, this.wording);
      if (!(await this.anyRetries((s) => s.retryResponse?.(request, response)))) return response;
    }
  }

  /** Asked in order until one retries: each strategy answers only for the failures it knows. */
  private async anyRetries(ask: (strategy: RetryStrategy) => Promise<boolean> | undefined): Promise<boolean> {
    for (const strategy of this.strategies) {
      if (await ask(strategy)) return true;
    }
    return false;
  }
}

function mayHaveApplied(request: PipelineRequest, failure: TransportFailure): boolean {
  return request.spec.access === 'nonIdempotentWrite' && failure.mayHaveReachedServer;
}

/** Server and gateway errors after which a write that is not safe to repeat may still have been applied. */
const MAY_HAVE_APPLIED_STATUSES = new Set([408, 500, 502, 504]);

function answerMayHaveApplied(request: PipelineRequest, response: HttpResponse): boolean {
  if (request.spec.access !== 'nonIdempotentWrite') return false;
  if (response.status === 503) return response.headers['retry-after'] === undefined;
  return MAY_HAVE_APPLIED_STATUSES.has(response.status);
}
