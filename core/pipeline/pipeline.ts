// The request pipeline: policies around the injected transport, outermost first. Each policy
// holds one concern; the order between them is where the rules that span them live.
import type { Clock, HttpResponse, HttpTransport, Logger, PacingPort, Sleep, TokenProvider, TransportFailure } from '../ports';
import { isTransportFailure } from '../ports';
import type { ResolvedRetryOptions } from '../retry';
import { AuthorizationPolicy } from './authorization-policy';
import { ErrorMappingPolicy, tooLargeError } from './error-mapping';
import { PacingPolicy } from './pacing-policy';
import { CallContext, cancelled, createPipelineRequest, newRequestId, ParsedResponse, PipelinePolicy, PipelineRequest, RequestSpec, SendNext } from './request';
import { parseResponse } from './response-parsing';
import { RetryPolicy } from './retry-policy';
import { ThrottlingStrategy } from './throttling-strategy';
import { TransientRetryStrategy } from './transient-strategy';
import { buildUrl, serializeBody } from './url';
import type { ServiceWording } from './wording';

export interface PipelineConfig {
  baseUrl: string;
  transport: HttpTransport;
  tokenProvider: TokenProvider;
  clock: Clock;
  sleep: Sleep;
  logger: Logger;
  pacer: PacingPort;
  retry: ResolvedRetryOptions;
  random: () => number;
  timeoutMs: number;
  maxResponseBytes: number;
  operationDeadlineMs: number;
  /** Secret values to scrub from anything shown (client secret, password, tokens...). */
  knownSecrets: () => readonly string[];
  /** The service's name and hints in messages. */
  wording: ServiceWording;
  /** Headers the service wants on every request (Graph: Prefer); they never replace the pipeline's own. */
  headers?: Readonly<Record<string, string>>;
}

/** How many recently sent access tokens are kept for scrubbing: a refresh or two per send at most. */
const REMEMBERED_TOKENS = 4;

export class HttpPipeline {
  readonly tenantKey: string;
  private readonly policies: readonly PipelinePolicy[];
  /** Access tokens this pipeline sent lately: a service could echo them as well as the credential. */
  private readonly sentTokens: string[] = [];

  constructor(private readonly config: PipelineConfig) {
    this.tenantKey = new URL(config.baseUrl).host;
    const authorization = new AuthorizationPolicy(config.tokenProvider, config.clock, (token) => this.rememberToken(token));
    const deps = { ...config, tenantKey: this.tenantKey };
    this.policies = [
      new ErrorMappingPolicy(config.wording, () => this.secrets()),
      new RetryPolicy([authorization.unauthorized, new ThrottlingStrategy(deps), new TransientRetryStrategy(deps)], config.wording),
      // The budget first, the token second: a request may wait minutes for the tenant's budget
      // (a bulk backlog, other processes sharing it), and a token taken before that wait could
      // be close to expiry, or past it, when the request finally leaves.
      new PacingPolicy(config.pacer, this.tenantKey),
      authorization,
    ];
  }

  get baseUrl(): string {
    return this.config.baseUrl;
  }

  async send<T>(spec: RequestSpec, ctx: CallContext = {}): Promise<ParsedResponse<T>> {
    const cfg = this.config;
    const requestId = ctx.requestId ?? newRequestId(cfg.random);
    const deadlineMs = ctx.deadlineMs ?? cfg.clock.now() + cfg.operationDeadlineMs;
    const url = buildUrl(cfg.baseUrl, spec);
    const request = createPipelineRequest(spec, ctx, { requestId, deadlineMs, url, ...serializeBody(spec) });
    const send = this.policies.reduceRight<SendNext>((next, policy) => (r) => policy.sendRequest(r, next), (r) => this.transmit(r));
    const response = await send(request);
    return { status: response.status, headers: response.headers, data: parseResponse<T>(response, request, cfg.wording, this.secrets()) };
  }

  /** Every secret value to remove from what the service says (also for warnings built from it). */
  secrets(): string[] {
    return [...this.config.knownSecrets(), ...this.sentTokens];
  }

  /** The last step: one attempt on the wire. Failures no retry could help are typed here. */
  private async transmit(request: PipelineRequest): Promise<HttpResponse> {
    const cfg = this.config;
    const { spec, ctx, requestId } = request;
    const headers: Record<string, string> = {
      ...cfg.headers,
      accept: spec.expect === 'text' ? 'text/plain, */*' : 'application/json',
      authorization: request.authorization ?? '',
      'x-ms-client-request-id': requestId,
    };
    if (request.contentType) headers['content-type'] = request.contentType;
    ctx.onEvent?.({ type: 'request', operation: spec.operation, attempt: request.attempt, requestId });
    let response: HttpResponse;
    try {
      response = await cfg.transport.send({
        method: spec.method,
        url: request.url,
        headers,
        body: request.body,
        timeoutMs: cfg.timeoutMs,
        maxResponseBytes: cfg.maxResponseBytes,
        signal: ctx.signal,
        freshConnection: spec.access === 'nonIdempotentWrite',
      });
    } catch (raw) {
      const failure = asTransportFailure(raw);
      if (failure.code === 'ABORTED' || ctx.signal?.aborted) throw cancelled(request);
      if (failure.code === 'TOO_LARGE') throw tooLargeError(request, cfg.maxResponseBytes, cfg.wording);
      throw failure;
    }
    const budget = ctx.onEvent ? budgetHeaders(response.headers) : {};
    if (Object.keys(budget).length > 0) ctx.onEvent?.({ type: 'budget', operation: spec.operation, status: response.status, headers: budget });
    return response;
  }

  private rememberToken(token: string): void {
    if (this.sentTokens.includes(token)) return;
    this.sentTokens.push(token);
    if (this.sentTokens.length > REMEMBERED_TOKENS) this.sentTokens.shift();
  }
}

/** Names of the headers through which a service tells its budget (rate limits, throttling waits). */
const BUDGET_HEADER = /^(x-)?(ms-)?(rate-?limit|throttl|retry-after|resource-unit)/;

/**
 * The budget headers of an answer, numeric values only: anything else (a text a service or a
 * proxy put there) is never passed on, so a report built from them can be pasted anywhere.
 */
export function budgetHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (!BUDGET_HEADER.test(key) || key.length > 60) continue;
    const text = String(value).trim();
    out[key] = /^[0-9][0-9.,;= ]{0,30}$/.test(text) && !/[a-z]/i.test(text) ? text : '(not a number, not shown)';
  }
  return out;
}

/**
 * Whatever a transport threw, as a failure the retry rules understand. Anything untyped may have
 * reached the server: that is the safe assumption for writes that must not be repeated.
 */
function asTransportFailure(raw: unknown): TransportFailure {
  const failure = isTransportFailure(raw) ? raw : undefined;
  return {
    transportFailure: true,
    code: failure?.code ?? 'UNKNOWN',
    mayHaveReachedServer: failure?.mayHaveReachedServer ?? true,
    message: failure?.message ?? 'network failure',
    ...(failure?.proxy ? { proxy: failure.proxy } : {}),
  };
}
