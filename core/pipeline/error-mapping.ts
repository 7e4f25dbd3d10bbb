// What the caller is told when a send fails: one typed error per HTTP status class or transport
// failure, with the service's name and hints. Redirects are refused rather than followed, so the
// credential is never sent to a host the pipeline did not validate.
import type { HttpResponse, TransportFailure } from '../ports';
import {
  MdcaAuthError,
  MdcaError,
  MdcaErrorDetails,
  MdcaNetworkError,
  MdcaNotFoundError,
  MdcaPermissionError,
  MdcaProtocolError,
  MdcaRequestRejectedError,
  MdcaServerError,
  MdcaThrottledError,
  MdcaUncertainOutcomeError,
  MdcaProxyError,
  proxyError,
} from '../errors';
import { redact, safeServiceMessage } from '../redact';
import { cutWithoutSecrets } from '../secret-set';
import { RETRYABLE_NETWORK_CODES, RETRYABLE_STATUSES } from '../retry';
import type { PipelinePolicy, PipelineRequest, SendNext } from './request';
import { answeredHint, ServiceWording } from './wording';

/** Turns every answer that is not 2xx and that no retry took care of into its typed error. */
export class ErrorMappingPolicy implements PipelinePolicy {
  readonly name = 'errorMapping';

  constructor(
    private readonly wording: ServiceWording,
    private readonly secrets: () => readonly string[],
  ) {}

  async sendRequest(request: PipelineRequest, next: SendNext): Promise<HttpResponse> {
    const response = await next(request);
    if (response.status >= 200 && response.status < 300) return response;
    throw statusError(request, response, this.wording, this.secrets());
  }
}

/** What the service said, free of any secret: scrubbed before it is cut short, so no piece of one survives. */
export function serviceMessageOf(body: string, secrets: readonly string[]): string {
  return safeServiceMessage(extractServiceMessage(redact(cutWithoutSecrets(body, 64_000, secrets), secrets)), secrets);
}

export function statusError(request: PipelineRequest, response: HttpResponse, wording: ServiceWording, secrets: readonly string[]): MdcaError {
  const { status } = response;
  const operation = request.spec.operation;
  const serviceMessage = serviceMessageOf(response.body, secrets);
  const serviceCode = extractServiceCode(response.body);
  const details: MdcaErrorDetails = { status, operation, requestId: request.requestId, serviceMessage: serviceMessage || undefined, ...(serviceCode ? { serviceCode } : {}) };
  const said = serviceMessage ? `: ${serviceMessage}` : '';
  const name = wording.name;
  const hint = (error: MdcaError['code'], fallback: string) => answeredHint(wording, error, fallback);
  if (status === 401) {
    return new MdcaAuthError(
      `${name} refused the credential for ${operation} (401)${said}.`,
      hint('AUTH_FAILED', 'Check that the token is for this tenant and that the API URL belongs to it; for legacy API tokens, check the token has not been revoked.'),
      details,
    );
  }
  if (status === 403) {
    return new MdcaPermissionError(
      `${name} denied ${operation} (403)${said}.`,
      hint('PERMISSION_MISSING', `Grant the ${name} permission this operation needs (see the node reference) and admin consent; for user context the user also needs the matching ${name} role.`),
      details,
    );
  }
  if (status === 404) {
    return new MdcaNotFoundError(`Not found: ${operation} (404)${said}.`, hint('NOT_FOUND', 'Check the id and that the credential points at the right tenant.'), details);
  }
  if (RETRYABLE_STATUSES.has(status)) {
    const hintText = hint('SERVER_ERROR', 'Retry later; for list operations narrow the filters (for example a shorter date range).');
    return new MdcaServerError(`${name} answered ${status} to ${operation} ${request.retries + 1} times${said}.`, hintText, details);
  }
  return otherStatusError(request, status, said, details, wording);
}

function otherStatusError(request: PipelineRequest, status: number, said: string, details: MdcaErrorDetails, wording: ServiceWording): MdcaError {
  const operation = request.spec.operation;
  const name = wording.name;
  if (status >= 300 && status < 400) {
    return new MdcaProtocolError(
      `${name} answered with a redirect (${status}) to ${operation}; redirects are never followed so the credential cannot leak to another host.`,
      answeredHint(wording, 'PROTOCOL_ERROR', 'Use the tenant API URL shown in the portal (Settings > Cloud Apps > System > About).'),
      details,
    );
  }
  if (status >= 500) {
    return new MdcaServerError(`${name} answered ${status} to ${operation}${said}.`, answeredHint(wording, 'SERVER_ERROR', 'Retry later.'), details);
  }
  return new MdcaRequestRejectedError(
    `${name} rejected ${operation} (${status})${said}.`,
    answeredHint(wording, 'REQUEST_REJECTED', 'Check the filter names and values against the node reference.'),
    details,
  );
}

/** No answer arrived and no retry is left (or the failure is not one a retry helps with). */
export function networkError(request: PipelineRequest, failure: TransportFailure, wording: ServiceWording): MdcaNetworkError | MdcaProxyError {
  if (failure.proxy) return proxyError(failure.proxy, { operation: request.spec.operation, requestId: request.requestId });
  const code = failure.code;
  const retryable = RETRYABLE_NETWORK_CODES.has(code);
  const untrusted = code.startsWith('CERT') || code.includes('TLS') || code.includes('SELF_SIGNED') || code.includes('UNABLE_TO_VERIFY');
  return new MdcaNetworkError(
    `No response from ${wording.name} for ${request.spec.operation}: ${safeServiceMessage(failure.message)} (${code})${retryable ? ` after ${request.retries + 1} attempts` : ''}.`,
    untrusted
      ? 'The server certificate is not trusted. Certificate checks cannot be turned off; trust the issuing CA with NODE_EXTRA_CA_CERTS.'
      : 'Check the tenant API URL and the network path (proxy, firewall, DNS).',
    { operation: request.spec.operation, requestId: request.requestId },
  );
}

export function uncertainOutcomeError(request: PipelineRequest, failure: TransportFailure, wording: ServiceWording): MdcaUncertainOutcomeError {
  const operation = request.spec.operation;
  return new MdcaUncertainOutcomeError(
    `The connection was lost (${failure.code}) after ${operation} was sent; ${wording.name} may or may not have applied it. It was not sent again, to avoid a duplicate.`,
    'Check in the portal or with a list operation whether the change exists before running it again.',
    { operation, requestId: request.requestId },
  );
}

export function uncertainAnswerError(request: PipelineRequest, status: number, wording: ServiceWording): MdcaUncertainOutcomeError {
  const operation = request.spec.operation;
  return new MdcaUncertainOutcomeError(
    `${wording.name} answered ${status} to ${operation}; it may or may not have applied it. It was not sent again, to avoid a duplicate.`,
    'Check in the portal or with a list operation whether the change exists before running it again.',
    { status, operation, requestId: request.requestId },
  );
}

export function tooLargeError(request: PipelineRequest, maxResponseBytes: number, wording: ServiceWording): MdcaProtocolError {
  const operation = request.spec.operation;
  return new MdcaProtocolError(
    `The response to ${operation} was larger than ${Math.round(maxResponseBytes / 1_048_576)} MB and was not read.`,
    `Narrow the request (smaller page or tighter filters), or check that the API URL points at ${wording.name}.`,
    { operation, requestId: request.requestId },
  );
}

/** Always reported as a 429, whatever status carried the throttling, so callers handle one case. */
export function throttledError(request: PipelineRequest, retryAfterMs: number | undefined, why: string, wording: ServiceWording): MdcaThrottledError {
  const seconds = retryAfterMs !== undefined ? Math.ceil(retryAfterMs / 1000) : undefined;
  const when = seconds !== undefined ? `Run it again in about ${seconds} s.` : 'Run it again in a minute.';
  return new MdcaThrottledError(`${request.spec.operation} was throttled: ${why}.`, answeredHint(wording, 'THROTTLED', `${when} ${wording.throttleLimits}.`), {
    status: 429,
    operation: request.spec.operation,
    requestId: request.requestId,
    retryAfterMs,
  });
}

/**
 * The code of an OData-style error body (`{"error":{"code":"…","message":"…","target":"…"}}`, the
 * shape of Graph and Defender for Endpoint). Only an identifier is kept: a code is matched on, not
 * shown as text. `target` is Defender for Endpoint's request correlation id, not a field name, so
 * it is never read as one.
 */
export function extractServiceCode(body: string): string | undefined {
  try {
    const error = (JSON.parse(body.slice(0, 4_000)) as { error?: { code?: unknown } } | null)?.error;
    const code = error && typeof error === 'object' ? error.code : undefined;
    return typeof code === 'string' && /^[A-Za-z][A-Za-z0-9_.-]{0,99}$/.test(code) ? code : undefined;
  } catch {
    return undefined;
  }
}

/** Pulls a human message out of the DRF `{detail}`, the MDCA filter-error list or XDR `{error}`. */
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
