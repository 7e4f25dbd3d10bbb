// The request pipeline: pacing, authentication, retries, error mapping and response parsing
// around the injected transport. Only relative paths built from constants and encoded segments
// reach it, and they are always joined to the validated tenant origin: no input can steer a
// request, and the token with it, to another host.
import type {
  AccessToken,
  Clock,
  HttpMethod,
  HttpResponse,
  HttpTransport,
  Logger,
  PacingPort,
  RequestPriority,
  Sleep,
  TokenProvider,
} from './ports';
import { isTransportFailure } from './ports';
import {
  MdcaAuthError,
  MdcaCancelledError,
  MdcaError,
  MdcaNetworkError,
  MdcaNotFoundError,
  MdcaPermissionError,
  MdcaProtocolError,
  MdcaRequestRejectedError,
  MdcaServerError,
  MdcaThrottledError,
  MdcaUncertainOutcomeError,
  MdcaValidationError,
} from './errors';
import { redact, safeServiceMessage } from './redact';
import { cutWithoutSecrets, removeSecrets } from './secret-set';
import {
  backoffDelayMs,
  parseRetryAfterMs,
  ResolvedRetryOptions,
  RETRYABLE_NETWORK_CODES,
  RETRYABLE_STATUSES,
} from './retry';

export type AccessKind = 'read' | 'idempotentWrite' | 'nonIdempotentWrite';

export interface MdcaRequestSpec {
  method: HttpMethod;
  /** Starts with /api/ or /cas/api/, built by the operation from constants and encodePathSegment(). */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  json?: unknown;
  form?: Record<string, string>;
  access: AccessKind;
  priority?: RequestPriority;
  expect: 'json' | 'text' | 'none';
  /** Operation id for messages, e.g. "alert.closeBenign". */
  operation: string;
}

export type ClientEvent =
  | { type: 'request'; operation: string; attempt: number; requestId: string }
  | { type: 'retry'; operation: string; attempt: number; delayMs: number; reason: string; requestId: string }
  | { type: 'throttled'; operation: string; delayMs: number; requestId: string }
  | { type: 'page'; operation: string; page: number; items: number; totalItems: number }
  | { type: 'token'; forced: boolean };

export interface CallContext {
  signal?: AbortSignal;
  onEvent?: (event: ClientEvent) => void;
  /** Absolute epoch-ms deadline of the whole operation. */
  deadlineMs?: number;
  requestId?: string;
}

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
}

export interface ParsedResponse<T> {
  status: number;
  headers: Record<string, string>;
  data: T;
}

const TOKEN_FRESHNESS_MS = 60_000;

export function encodePathSegment(value: string, field: string): string {
  // Path tricks in ids (SSRF, case 19 of docs/reliability.md) never reach the URL: each id is
  // one encoded segment. "." and ".."
  // are refused here rather than encoded: URL parsers treat %2E and %2E%2E as dot segments and
  // collapse them, so encoding alone would still move the request up the path.
  if (value === '.' || value === '..') {
    throw new MdcaValidationError(field, `"${value}" is not a valid ${field}.`, 'Give the id itself, as shown in the portal or returned by a list operation.');
  }
  return encodeURIComponent(value).replace(/\./g, '%2E') || fail(field);
}

function fail(field: string): never {
  throw new MdcaProtocolError(`Empty path segment for ${field}.`, 'Provide a value.');
}

export function newRequestId(random: () => number): string {
  let out = '';
  for (let i = 0; i < 16; i++) out += Math.floor(random() * 16).toString(16);
  return `${out.slice(0, 8)}-${out.slice(8, 12)}-${out.slice(12, 16)}`;
}

export class MdcaHttpPipeline {
  readonly tenantKey: string;

  constructor(private readonly config: PipelineConfig) {
    this.tenantKey = new URL(config.baseUrl).host;
  }

  get baseUrl(): string {
    return this.config.baseUrl;
  }

  async send<T>(spec: MdcaRequestSpec, ctx: CallContext = {}): Promise<ParsedResponse<T>> {
    const cfg = this.config;
    const requestId = ctx.requestId ?? newRequestId(cfg.random);
    const deadline = ctx.deadlineMs ?? cfg.clock.now() + cfg.operationDeadlineMs;
    const url = this.buildUrl(spec);
    const { body, contentType } = serializeBody(spec);
    let retries = 0;
    let throttleWaits = 0;
    let refreshedAfter401 = false;
    for (let attempt = 0; ; attempt++) {
      throwIfAborted(ctx.signal, spec.operation, requestId);
      // The budget first, the token second: a request may wait minutes for the tenant's budget (a
      // bulk backlog, other processes sharing it), and a token taken before that wait could be
      // close to expiry, or past it, when the request finally leaves.
      const permit = await this.acquire(spec, ctx, requestId);
      let token: AccessToken;
      try {
        token = await this.freshToken(false, ctx);
      } catch (error) {
        permit.release();
        throw error;
      }
      const headers: Record<string, string> = {
        accept: spec.expect === 'text' ? 'text/plain, */*' : 'application/json',
        authorization: `${token.scheme} ${token.token}`,
        'x-ms-client-request-id': requestId,
      };
      if (contentType) headers['content-type'] = contentType;
      ctx.onEvent?.({ type: 'request', operation: spec.operation, attempt, requestId });
      let response: HttpResponse;
      try {
        response = await cfg.transport.send({
          method: spec.method,
          url,
          headers,
          body,
          timeoutMs: cfg.timeoutMs,
          maxResponseBytes: cfg.maxResponseBytes,
          signal: ctx.signal,
          freshConnection: spec.access === 'nonIdempotentWrite',
        });
      } catch (raw) {
        permit.release();
        const failure = isTransportFailure(raw) ? raw : undefined;
        const code = failure?.code ?? 'UNKNOWN';
        if (code === 'ABORTED' || ctx.signal?.aborted) throw new MdcaCancelledError(undefined, { operation: spec.operation, requestId });
        if (code === 'TOO_LARGE') {
          throw new MdcaProtocolError(
            `The response to ${spec.operation} was larger than ${Math.round(cfg.maxResponseBytes / 1_048_576)} MB and was not read.`,
            'Narrow the request (smaller page or tighter filters), or check that the API URL points at MDCA.',
            { operation: spec.operation, requestId },
          );
        }
        const reached = failure?.mayHaveReachedServer ?? true;
        if (spec.access === 'nonIdempotentWrite' && reached) {
          throw new MdcaUncertainOutcomeError(
            `The connection was lost (${code}) after ${spec.operation} was sent; MDCA may or may not have applied it. It was not sent again, to avoid a duplicate.`,
            'Check in the portal or with a list operation whether the change exists before running it again.',
            { operation: spec.operation, requestId },
          );
        }
        const retryable = RETRYABLE_NETWORK_CODES.has(code);
        if (retryable && retries < cfg.retry.maxRetries) {
          retries++;
          await this.wait(backoffDelayMs(retries - 1, cfg.retry, cfg.random), 'network', spec, ctx, requestId, deadline, retries);
          continue;
        }
        throw new MdcaNetworkError(
          `No response from MDCA for ${spec.operation}: ${safeServiceMessage(failure?.message ?? 'network failure')} (${code})${retryable ? ` after ${retries + 1} attempts` : ''}.`,
          code.startsWith('CERT') || code.includes('TLS') || code.includes('SELF_SIGNED') || code.includes('UNABLE_TO_VERIFY')
            ? 'The server certificate is not trusted. Certificate checks cannot be turned off; trust the issuing CA with NODE_EXTRA_CA_CERTS.'
            : 'Check the tenant API URL and the network path (proxy, firewall, DNS).',
          { operation: spec.operation, requestId },
        );
      }
      permit.release();
      const status = response.status;
      if (status >= 200 && status < 300) return { status, headers: response.headers, data: this.parse<T>(response, spec, requestId) };
      // Scrubbed before extractServiceMessage cuts the body short, so no piece of a secret survives.
      const secrets = this.secrets();
      const serviceMessage = safeServiceMessage(extractServiceMessage(redact(cutWithoutSecrets(response.body, 64_000, secrets), secrets)), secrets);
      const details = { status, operation: spec.operation, requestId, serviceMessage: serviceMessage || undefined };
      if (status === 401) {
        if (!refreshedAfter401) {
          refreshedAfter401 = true;
          await this.freshToken(true, ctx);
          continue;
        }
        throw new MdcaAuthError(
          `MDCA refused the credential for ${spec.operation} (401)${serviceMessage ? `: ${serviceMessage}` : ''}.`,
          'Check that the token is for this tenant and that the API URL belongs to it; for legacy API tokens, check the token has not been revoked.',
          details,
        );
      }
      if (status === 403) {
        throw new MdcaPermissionError(
          `MDCA denied ${spec.operation} (403)${serviceMessage ? `: ${serviceMessage}` : ''}.`,
          'Grant the MDCA permission this operation needs (see the node reference) and admin consent; for user context the user also needs the matching MDCA role.',
          details,
        );
      }
      if (status === 404) {
        throw new MdcaNotFoundError(
          `Not found: ${spec.operation} (404)${serviceMessage ? `: ${serviceMessage}` : ''}.`,
          'Check the id and that the credential points at the right tenant.',
          details,
        );
      }
      if (status === 429 || (status === 503 && response.headers['retry-after'] !== undefined)) {
        const hinted = parseRetryAfterMs(response.headers, response.body, cfg.clock.now());
        throttleWaits++;
        if (hinted !== undefined && hinted > cfg.retry.maxRetryAfterMs) {
          // Halve the budget but do not hold the queue for that long: later calls get their own
          // answer and fail fast too, instead of hanging in the pacer.
          if (status === 429) cfg.pacer.reportThrottled(this.tenantKey, undefined);
          throw throttled(spec, requestId, hinted, `MDCA asked to wait ${Math.ceil(hinted / 1000)} s, longer than the allowed ${Math.round(cfg.retry.maxRetryAfterMs / 1000)} s`);
        }
        if (throttleWaits > cfg.retry.maxThrottleWaits) {
          throw throttled(spec, requestId, hinted, `MDCA kept throttling ${spec.operation} after ${throttleWaits - 1} waits`);
        }
        const delay =
          (hinted ?? Math.min(cfg.retry.maxDelayMs, 2 * cfg.retry.baseDelayMs * 2 ** (throttleWaits - 1))) + Math.floor(cfg.random() * Math.min(250, cfg.retry.baseDelayMs));
        if (cfg.clock.now() + delay > deadline) {
          throw throttled(spec, requestId, delay, `the wait MDCA asked for would pass the operation deadline`);
        }
        if (status === 429) cfg.pacer.reportThrottled(this.tenantKey, delay);
        ctx.onEvent?.({ type: 'throttled', operation: spec.operation, delayMs: delay, requestId });
        cfg.logger.info('MDCA throttled the request; waiting', { operation: spec.operation, requestId, delayMs: delay });
        if (status !== 429) await this.sleepFor(delay, ctx, spec, requestId);
        continue;
      }
      if (RETRYABLE_STATUSES.has(status)) {
        if (retries < cfg.retry.maxRetries) {
          retries++;
          await this.wait(backoffDelayMs(retries - 1, cfg.retry, cfg.random), `HTTP ${status}`, spec, ctx, requestId, deadline, retries);
          continue;
        }
        throw new MdcaServerError(
          `MDCA answered ${status} to ${spec.operation} ${retries + 1} times${serviceMessage ? `: ${serviceMessage}` : ''}.`,
          'Retry later; for list operations narrow the filters (for example a shorter date range).',
          details,
        );
      }
      if (status >= 300 && status < 400) {
        throw new MdcaProtocolError(
          `MDCA answered with a redirect (${status}) to ${spec.operation}; redirects are never followed so the credential cannot leak to another host.`,
          'Use the tenant API URL shown in the portal (Settings > Cloud Apps > System > About).',
          details,
        );
      }
      if (status >= 500) {
        throw new MdcaServerError(`MDCA answered ${status} to ${spec.operation}${serviceMessage ? `: ${serviceMessage}` : ''}.`, 'Retry later.', details);
      }
      throw new MdcaRequestRejectedError(
        `MDCA rejected ${spec.operation} (${status})${serviceMessage ? `: ${serviceMessage}` : ''}.`,
        'Check the filter names and values against the node reference.',
        details,
      );
    }
  }

  private buildUrl(spec: MdcaRequestSpec): string {
    if (!/^\/(cas\/)?api\/[A-Za-z0-9_%./-]*$/.test(spec.path) || spec.path.includes('..') || spec.path.includes('//')) {
      throw new MdcaProtocolError(`Refusing to build a request path for ${spec.operation}.`, 'This is a bug in the operation definition.');
    }
    const query = spec.query
      ? Object.entries(spec.query)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
          .join('&')
      : '';
    return `${this.config.baseUrl}${spec.path}${query ? `?${query}` : ''}`;
  }

  private async freshToken(force: boolean, ctx: CallContext) {
    const cfg = this.config;
    if (force) ctx.onEvent?.({ type: 'token', forced: true });
    let token = await cfg.tokenProvider.getToken({ forceRefresh: force, signal: ctx.signal });
    // Never send a token that expires within a minute (it could expire in flight, and a clock
    // skewed against the server's makes that worse), whatever the provider's cache says.
    if (!force && token.expiresOnMs !== undefined && token.expiresOnMs - cfg.clock.now() < TOKEN_FRESHNESS_MS) {
      ctx.onEvent?.({ type: 'token', forced: true });
      token = await cfg.tokenProvider.getToken({ forceRefresh: true, signal: ctx.signal });
    }
    this.rememberToken(token.token);
    return token;
  }

  private async acquire(spec: MdcaRequestSpec, ctx: CallContext, requestId: string) {
    try {
      const priority = spec.priority ?? (spec.access === 'read' ? 'bulk' : 'interactive');
      return await this.config.pacer.acquire(this.tenantKey, priority, ctx.signal);
    } catch (error) {
      if (error instanceof MdcaError) throw error;
      throw new MdcaCancelledError(undefined, { operation: spec.operation, requestId });
    }
  }

  private async wait(
    delayMs: number,
    reason: string,
    spec: MdcaRequestSpec,
    ctx: CallContext,
    requestId: string,
    deadline: number,
    attempt: number,
  ): Promise<void> {
    if (this.config.clock.now() + delayMs > deadline) {
      throw new MdcaServerError(
        `${spec.operation} failed (${reason}) and the next retry would pass the operation deadline.`,
        'Retry later.',
        { operation: spec.operation, requestId },
      );
    }
    ctx.onEvent?.({ type: 'retry', operation: spec.operation, attempt, delayMs, reason, requestId });
    this.config.logger.debug('retrying MDCA request', { operation: spec.operation, requestId, reason, delayMs, attempt });
    await this.sleepFor(delayMs, ctx, spec, requestId);
  }

  private async sleepFor(ms: number, ctx: CallContext, spec: MdcaRequestSpec, requestId: string): Promise<void> {
    try {
      await this.config.sleep(ms, ctx.signal);
    } catch {
      throw new MdcaCancelledError(undefined, { operation: spec.operation, requestId });
    }
  }

  /** Access tokens this pipeline sent lately: a service could echo them as well as the credential. */
  private readonly sentTokens: string[] = [];

  private rememberToken(token: string): void {
    if (this.sentTokens.includes(token)) return;
    this.sentTokens.push(token);
    if (this.sentTokens.length > 4) this.sentTokens.shift();
  }

  /** Every secret value to remove from what the service says (also for warnings built from it). */
  secrets(): string[] {
    return [...this.config.knownSecrets(), ...this.sentTokens];
  }

  private parse<T>(response: HttpResponse, spec: MdcaRequestSpec, requestId: string): T {
    if (spec.expect === 'none') return undefined as T;
    const contentType = (response.headers['content-type'] ?? '').toLowerCase();
    // Data goes to node outputs and flow messages as it is: only the credential's own secrets are
    // taken out (a compromised service echoing them into an alert or a hunting row).
    const text = removeSecrets(response.body, this.secrets());
    const looksHtml = /^\s*<(!doctype|html|head|body)/i.test(text);
    if (looksHtml || contentType.includes('text/html')) {
      throw new MdcaProtocolError(
        `MDCA answered ${spec.operation} with an HTML page instead of ${spec.expect === 'text' ? 'text' : 'JSON'} (often a sign-in or proxy page).`,
        'Check that the tenant API URL is the one shown in the portal and that no proxy intercepts the traffic.',
        { status: response.status, operation: spec.operation, requestId },
      );
    }
    if (spec.expect === 'text') return text as T;
    if (contentType && !contentType.includes('json')) {
      throw new MdcaProtocolError(
        `MDCA answered ${spec.operation} with content type "${safeServiceMessage(response.headers['content-type'] ?? '', this.secrets()).slice(0, 80)}" instead of JSON.`,
        'Check that the tenant API URL points at MDCA.',
        { status: response.status, operation: spec.operation, requestId },
      );
    }
    if (text.trim() === '') return {} as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new MdcaProtocolError(
        `MDCA answered ${spec.operation} with invalid or truncated JSON (${text.length} characters).`,
        'Retry; if it persists, check proxies between you and MDCA.',
        { status: response.status, operation: spec.operation, requestId },
      );
    }
  }
}

function throttled(spec: MdcaRequestSpec, requestId: string, retryAfterMs: number | undefined, why: string): MdcaThrottledError {
  const seconds = retryAfterMs !== undefined ? Math.ceil(retryAfterMs / 1000) : undefined;
  return new MdcaThrottledError(
    `${spec.operation} was throttled: ${why}.`,
    seconds !== undefined
      ? `Run it again in about ${seconds} s. MDCA allows 30 requests per minute per tenant, shared by every integration.`
      : 'Run it again in a minute. MDCA allows 30 requests per minute per tenant, shared by every integration.',
    { status: 429, operation: spec.operation, requestId, retryAfterMs },
  );
}

function serializeBody(spec: MdcaRequestSpec): { body?: string; contentType?: string } {
  if (spec.json !== undefined) return { body: JSON.stringify(spec.json), contentType: 'application/json' };
  if (spec.form) return { body: new URLSearchParams(spec.form).toString(), contentType: 'application/x-www-form-urlencoded' };
  return {};
}

function throwIfAborted(signal: AbortSignal | undefined, operation: string, requestId: string): void {
  if (signal?.aborted) throw new MdcaCancelledError(undefined, { operation, requestId });
}

/** Pulls a human message out of the DRF `{detail}`, MDCA's invalid-filter error body or XDR `{error}`. */
export function extractServiceMessage(body: string): string {
  const text = body.slice(0, 4_000);
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    if (typeof parsed.detail === 'string') return parsed.detail;
    if (Array.isArray(parsed.filters)) {
      return parsed.filters
        .map((f) => (f && typeof f === 'object' && typeof (f as { error?: unknown }).error === 'string' ? (f as { error: string }).error : ''))
        .filter(Boolean)
        .join('; ');
    }
    const error = parsed.error as Record<string, unknown> | undefined;
    if (error && typeof error === 'object' && typeof error.message === 'string') return error.message;
    if (typeof parsed.error === 'string') return parsed.error;
    if (typeof parsed.message === 'string') return parsed.message;
    return '';
  } catch {
    if (/^\s*</.test(text)) return text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
    return text.slice(0, 200);
  }
}
