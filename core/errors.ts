// One typed error hierarchy for every failure the client can raise. Each error is built only from
// allow-listed, secret-free fields, so no error can leak a secret: never from a raw transport or
// identity-library error, never with a `cause` that could carry request headers.
import type { ProxyFailure } from './ports';

export type MdcaErrorCode =
  | 'AUTH_FAILED'
  | 'PERMISSION_MISSING'
  | 'NOT_FOUND'
  | 'VALIDATION_FAILED'
  | 'THROTTLED'
  | 'SERVER_ERROR'
  | 'NETWORK_ERROR'
  | 'OUTCOME_UNKNOWN'
  | 'PROTOCOL_ERROR'
  | 'CANCELLED'
  | 'CONFIGURATION_INVALID'
  | 'REQUEST_REJECTED'
  | 'PROXY_FAILED';

// Details and summary are type aliases, not interfaces: an object type is assignable to
// Record<string, unknown>, so a summary goes into a host's error context or message as it is, without
// a cast.
export type MdcaErrorDetails = {
  status?: number;
  requestId?: string;
  retryAfterMs?: number;
  field?: string;
  operation?: string;
  /** Entra error code such as AADSTS7000215, when the identity service gave one. */
  identityCode?: string;
  /** Missing permission names, for PERMISSION_MISSING. */
  permissions?: string[];
  /** A short, scrubbed excerpt of what the service said. */
  serviceMessage?: string;
  /**
   * The service's own error code where its body names one (`{"error":{"code"}}`, e.g. Defender
   * for Endpoint's ActiveRequestAlreadyExists): an identifier, never free text.
   */
  serviceCode?: string;
  /** PROXY_FAILED: what failed at the proxy (authRequired, unreachable, connectRefused). */
  proxyProblem?: ProxyFailure['problem'];
};

export class MdcaError extends Error {
  readonly code: MdcaErrorCode;
  /** What the user should do about it. */
  readonly hint: string;
  readonly details: MdcaErrorDetails;

  constructor(code: MdcaErrorCode, message: string, hint: string, details: MdcaErrorDetails = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.hint = hint;
    this.details = { ...details };
  }

  get status(): number | undefined {
    return this.details.status;
  }

  get retryAfterMs(): number | undefined {
    return this.details.retryAfterMs;
  }

  /** The summary hosts put in messages, status text and execution data. */
  toSummary(): MdcaErrorSummary {
    return { name: this.name, code: this.code, message: this.message, hint: this.hint, ...this.details };
  }

  toJSON(): MdcaErrorSummary {
    return this.toSummary();
  }
}

export type MdcaErrorSummary = MdcaErrorDetails & {
  name: string;
  code: MdcaErrorCode;
  message: string;
  hint: string;
};

export class MdcaAuthError extends MdcaError {
  constructor(message: string, hint: string, details?: MdcaErrorDetails) {
    super('AUTH_FAILED', message, hint, details);
  }
}

export class MdcaPermissionError extends MdcaError {
  constructor(message: string, hint: string, details?: MdcaErrorDetails) {
    super('PERMISSION_MISSING', message, hint, details);
  }
}

export class MdcaNotFoundError extends MdcaError {
  constructor(message: string, hint: string, details?: MdcaErrorDetails) {
    super('NOT_FOUND', message, hint, details);
  }
}

export class MdcaValidationError extends MdcaError {
  constructor(field: string, message: string, hint: string, details?: MdcaErrorDetails) {
    super('VALIDATION_FAILED', message, hint, { ...details, field });
  }

  get field(): string {
    return this.details.field ?? '';
  }
}

export class MdcaThrottledError extends MdcaError {
  constructor(message: string, hint: string, details?: MdcaErrorDetails) {
    super('THROTTLED', message, hint, details);
  }
}

export class MdcaServerError extends MdcaError {
  constructor(message: string, hint: string, details?: MdcaErrorDetails) {
    super('SERVER_ERROR', message, hint, details);
  }
}

export class MdcaNetworkError extends MdcaError {
  constructor(message: string, hint: string, details?: MdcaErrorDetails) {
    super('NETWORK_ERROR', message, hint, details);
  }
}

export class MdcaUncertainOutcomeError extends MdcaError {
  constructor(message: string, hint: string, details?: MdcaErrorDetails) {
    super('OUTCOME_UNKNOWN', message, hint, details);
  }
}

export class MdcaProtocolError extends MdcaError {
  constructor(message: string, hint: string, details?: MdcaErrorDetails) {
    super('PROTOCOL_ERROR', message, hint, details);
  }
}

export class MdcaCancelledError extends MdcaError {
  constructor(message = 'The operation was cancelled.', details?: MdcaErrorDetails) {
    super('CANCELLED', message, 'Nothing to fix: the workflow or flow was stopped or redeployed.', details);
  }
}

export class MdcaConfigurationError extends MdcaError {
  constructor(field: string, message: string, hint: string) {
    super('CONFIGURATION_INVALID', message, hint, { field });
  }
}

export class MdcaRequestRejectedError extends MdcaError {
  constructor(message: string, hint: string, details?: MdcaErrorDetails) {
    super('REQUEST_REJECTED', message, hint, details);
  }
}

/** The outbound proxy failed before the service was reached: nothing was sent to the service. */
export class MdcaProxyError extends MdcaError {
  constructor(message: string, hint: string, details?: MdcaErrorDetails) {
    super('PROXY_FAILED', message, hint, details);
  }
}

/** The typed error of a proxy failure: what happened, at which proxy, and what to check. */
export function proxyError(failure: ProxyFailure, details: MdcaErrorDetails = {}): MdcaProxyError {
  const at = `the proxy ${failure.proxy} (from ${failure.source})`;
  const all = { ...details, proxyProblem: failure.problem, ...(failure.status ? { status: failure.status } : {}) };
  if (failure.problem === 'authRequired') {
    return new MdcaProxyError(
      failure.sentCredentials
        ? `${cap(at)} refused its user name and password (${failure.status}) for the connection to ${failure.target}.`
        : `${cap(at)} needs a sign-in (${failure.status}) for the connection to ${failure.target}.`,
      failure.sentCredentials
        ? `Check the proxy user name and password in ${failure.source} (http://user:password@host:port, special characters percent-encoded).`
        : `Put the proxy user name and password in ${failure.source} as http://user:password@host:port (special characters percent-encoded).`,
      all,
    );
  }
  if (failure.problem === 'unreachable') {
    return new MdcaProxyError(
      `Could not reach ${at} for the connection to ${failure.target} (${failure.networkCode ?? 'no answer'}).`,
      `Check the proxy host and port in ${failure.source}, that the proxy is running and that this machine may connect to it; a host that must go direct belongs in NO_PROXY.`,
      all,
    );
  }
  return new MdcaProxyError(
    `${cap(at)} refused the tunnel to ${failure.target}${failure.status ? ` (${failure.status})` : ''}.`,
    `Ask the proxy's administrators to allow CONNECT to ${failure.target}, or list the host in NO_PROXY if it must go direct.`,
    all,
  );
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function isMdcaError(value: unknown): value is MdcaError {
  return value instanceof MdcaError;
}

/**
 * Every error code with what it means and how to fix it. The troubleshooting page in docs/ is
 * generated from this table, and a test fails when the two drift apart.
 */
export const errorCatalog: Record<MdcaErrorCode, { title: string; meaning: string; fix: string }> = {
  AUTH_FAILED: {
    title: 'Authentication failed',
    meaning:
      'Entra ID refused to issue a token (wrong tenant, client id, secret, certificate, password or expired refresh token), or MDCA refused the token (401).',
    fix: 'Check the credential fields. The message carries the AADSTS code when Entra gave one: AADSTS7000215 = wrong client secret, AADSTS700016 = unknown client id in this tenant, AADSTS90002 = unknown tenant, AADSTS50126 = wrong user name or password, AADSTS50076/50079 = MFA required (use the device code or authorization-code flow), AADSTS700024 = certificate assertion expired (check the clock). Legacy tokens: create a new API token in the portal.',
  },
  PERMISSION_MISSING: {
    title: 'Missing permission',
    meaning:
      'The token does not carry the MDCA permission the operation needs (checked before sending), or MDCA answered 403.',
    fix: 'In Entra ID > App registrations > your app > API permissions, add the named "Microsoft Cloud App Security" permission (Application for app context, Delegated for user context) and grant admin consent. For user context, the user also needs the matching MDCA role.',
  },
  NOT_FOUND: {
    title: 'Not found',
    meaning: 'The alert, activity, entity, file or IP range id does not exist in this tenant (404).',
    fix: 'Check the id (copy it from the portal URL or from a list operation) and that the credential points at the right tenant.',
  },
  VALIDATION_FAILED: {
    title: 'Invalid input',
    meaning: 'A field has a wrong type, an unknown value, or a malformed id, IP range or filter. Nothing was sent.',
    fix: 'Correct the field named in the message; the message lists what is allowed.',
  },
  THROTTLED: {
    title: 'Throttled by MDCA',
    meaning:
      'MDCA allows 30 requests per minute per tenant, shared with every integration. The client waits and retries by itself; this error means the wait MDCA asked for is longer than the configured maximum, or throttling went on for too long.',
    fix: 'Run the workflow again later (the message says when), reduce other integrations that use the same tenant, or raise "Max Retry-After" in the node options.',
  },
  SERVER_ERROR: {
    title: 'MDCA server error',
    meaning: 'MDCA answered 5xx several times in a row (retried with back-off).',
    fix: 'Retry later. Large list queries can time out on the service side: narrow the filters (for example a shorter date range).',
  },
  NETWORK_ERROR: {
    title: 'Network error',
    meaning: 'No answer reached us: DNS failure, refused or reset connection, timeout, or a TLS certificate that is not trusted.',
    fix: 'Check the tenant API URL, proxies and firewalls. For TLS errors, trust the issuing CA with NODE_EXTRA_CA_CERTS; certificate checks cannot be turned off.',
  },
  OUTCOME_UNKNOWN: {
    title: 'Outcome unknown',
    meaning:
      'A call that is not safe to repeat (IP range create, discovery upload finalize, an incident update with a comment) lost its connection after the request may have reached the service, or the service or a gateway answered 500, 502, 504, 408 or 503 without Retry-After, after which it may still have applied it. It was not resent, to avoid a duplicate.',
    fix: 'Check in the portal or with a list operation whether the change was applied before running it again.',
  },
  PROTOCOL_ERROR: {
    title: 'Unexpected response',
    meaning:
      'MDCA answered with something that is not the documented shape: invalid or truncated JSON, an HTML sign-in page, a wrong content type, a body over the size limit, or an envelope without data.',
    fix: 'Check that the tenant API URL is the one shown in the portal under Settings > Cloud Apps > System > About (it ends with portal.cloudappsecurity.com). A proxy that rewrites responses also causes this.',
  },
  CANCELLED: {
    title: 'Cancelled',
    meaning: 'The workflow execution was cancelled or the Node-RED flow was stopped or redeployed while the call was in progress.',
    fix: 'Nothing to fix. For bulk operations, the per-item report says what was done before the stop.',
  },
  CONFIGURATION_INVALID: {
    title: 'Invalid credential or connection settings',
    meaning:
      'A credential field is missing or malformed, or the tenant API URL is not an allowed MDCA host (https, *.portal.cloudappsecurity.com, *.portal.cloudappsecuritygov.com or *.portal.cloudappsecurity.us). Nothing was sent.',
    fix: 'Correct the field named in the message. Copy the API URL from the portal (Settings > Cloud Apps > System > About).',
  },
  PROXY_FAILED: {
    title: 'Outbound proxy failed',
    meaning:
      'The proxy from HTTPS_PROXY / HTTP_PROXY or the connection\'s Proxy URL did not open the tunnel to the Microsoft host: it asked for a sign-in or refused the user name and password (407), could not be reached (refused, unknown host, timeout), or refused the CONNECT (403 and others). Nothing reached the service.',
    fix: 'The message names the proxy, where its URL came from and the target host. 407: put user:password@ in the proxy URL or correct them. Unreachable: check the proxy host and port and that it runs. Refused: ask the proxy administrators to allow CONNECT to the named host on port 443, or list it in NO_PROXY (docs/networking.md).',
  },
  REQUEST_REJECTED: {
    title: 'Request rejected by MDCA',
    meaning: 'MDCA answered 4xx (other than 401, 403, 404, 429): usually an invalid filter or body value.',
    fix: 'Read the service message in the error; check filter names and values against the node reference.',
  },
};
