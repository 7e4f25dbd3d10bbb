// Fakes for the pipeline's unit tests: a scripted transport, a token provider, a pacer and a
// clock whose sleep returns at once and moves the clock, all recording what happened in order.
import type { AccessToken, HttpRequest, HttpResponse, PacingPort, TokenProvider, TransportFailure } from '../../core/ports';
import { resolveRetryOptions, RetryOptions } from '../../core/retry';
import { createPipelineRequest, PipelineRequest, RequestSpec, CallContext } from '../../core/pipeline/request';
import { HttpPipeline, PipelineConfig } from '../../core/pipeline/pipeline';
import { MDCA_WORDING } from '../../core/pipeline/wording';

export const NOW = 1_700_000_000_000;

export function response(status: number, body = '', headers: Record<string, string> = {}): HttpResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body };
}

export function failure(code: string, mayHaveReachedServer = false): TransportFailure {
  return { transportFailure: true, code, mayHaveReachedServer, message: `socket said ${code}` };
}

export function spec(extra: Partial<RequestSpec> = {}): RequestSpec {
  return { method: 'GET', path: '/api/v1/alerts/', access: 'read', expect: 'json', operation: 'alert.getAll', ...extra };
}

export function pipelineRequest(extra: Partial<RequestSpec> = {}, ctx: CallContext = {}): PipelineRequest {
  return createPipelineRequest(spec(extra), ctx, { requestId: 'rid-1', deadlineMs: NOW + 300_000, url: 'https://t.example/api/v1/alerts/' });
}

export class Recorder {
  readonly log: string[] = [];
  now = NOW;
  readonly sleeps: number[] = [];
  readonly clock = { now: () => this.now };
  readonly sleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
    if (signal?.aborted) throw new Error('aborted');
    this.sleeps.push(ms);
    this.log.push(`sleep ${ms}`);
    this.now += ms;
  };
  readonly logger = { debug: (m: string) => this.log.push(`debug ${m}`), info: (m: string) => this.log.push(`info ${m}`), warn: () => undefined, error: () => undefined };
}

export function fakePacer(rec: Recorder): PacingPort & { throttled: (number | undefined)[] } {
  const throttled: (number | undefined)[] = [];
  return {
    throttled,
    acquire: async (key, priority) => {
      rec.log.push(`acquire ${key} ${priority}`);
      return { release: () => rec.log.push('release') };
    },
    reportThrottled: (_key, ms) => {
      throttled.push(ms);
      rec.log.push(`reportThrottled ${ms}`);
    },
  };
}

export function fakeTokens(rec: Recorder, tokens: AccessToken[] = [{ token: 'tok-1', scheme: 'Bearer', expiresOnMs: NOW + 3_600_000 }]): TokenProvider {
  // A cache: the same token until a forced refresh moves to the next one.
  let current = 0;
  return {
    cacheKey: 'fake',
    getToken: async (options = {}) => {
      rec.log.push(`token${options.forceRefresh ? ' forced' : ''}`);
      if (options.forceRefresh) current = Math.min(current + 1, tokens.length - 1);
      return tokens[current];
    },
  };
}

/** A transport answering from a script; a TransportFailure in the script is thrown. */
export function scriptedTransport(rec: Recorder, script: (HttpResponse | TransportFailure)[]) {
  const requests: HttpRequest[] = [];
  return {
    requests,
    send: async (request: HttpRequest): Promise<HttpResponse> => {
      requests.push(request);
      rec.log.push(`send ${request.headers.authorization}`);
      const next = script.shift();
      if (!next) throw new Error('script ran out');
      if ('transportFailure' in next) throw next;
      return next;
    },
  };
}

export function testPipeline(rec: Recorder, script: (HttpResponse | TransportFailure)[], extra: Partial<PipelineConfig> & { retryOptions?: RetryOptions } = {}) {
  const transport = scriptedTransport(rec, script);
  const pacer = fakePacer(rec);
  const { retryOptions, ...rest } = extra;
  const pipeline = new HttpPipeline({
    baseUrl: 'https://t.example',
    transport,
    tokenProvider: fakeTokens(rec),
    clock: rec.clock,
    sleep: rec.sleep,
    logger: rec.logger,
    pacer,
    retry: resolveRetryOptions({ baseDelayMs: 100, maxDelayMs: 1_000, ...retryOptions }),
    random: () => 0.5,
    timeoutMs: 30_000,
    maxResponseBytes: 1_048_576,
    operationDeadlineMs: 300_000,
    knownSecrets: () => ['client-secret-value'],
    wording: MDCA_WORDING,
    ...rest,
  });
  return { pipeline, transport, pacer };
}
