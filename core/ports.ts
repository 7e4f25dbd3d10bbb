// The ports through which a host plugs into the core. The core never imports a network library,
// a timer or the process object: each host (n8n, Node-RED, tests, benchmarks) passes these in.

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  /** Absolute https URL, already validated against the allowed hosts. */
  url: string;
  headers: Record<string, string>;
  /** Serialized body (JSON text, form text) or raw bytes for uploads. */
  body?: string | Uint8Array;
  /** Per-attempt timeout in ms. */
  timeoutMs: number;
  /** Largest response body accepted, in bytes; larger answers fail as protocol errors. */
  maxResponseBytes: number;
  signal?: AbortSignal;
  /**
   * Use a new connection: set for calls that must not be resent, so a keep-alive socket the
   * server already closed cannot turn them into "outcome unknown".
   */
  freshConnection?: boolean;
}

export interface HttpResponse {
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** Raw body bytes decoded as UTF-8 text (binary endpoints are text/plain in MDCA). */
  body: string;
}

/**
 * Sends one request, never follows redirects, never throws for an HTTP status.
 * Throws a TransportFailure for network-level problems so the core can decide on retries.
 */
export interface HttpTransport {
  send(request: HttpRequest): Promise<HttpResponse>;
}

/** What a transport throws when no HTTP response arrived. */
export interface TransportFailure {
  transportFailure: true;
  /** ECONNRESET, ETIMEDOUT, ECONNREFUSED, ENOTFOUND, EAI_AGAIN, ABORTED, TOO_LARGE, TLS, ... */
  code: string;
  /** True when the request body may have reached the server (matters for non-idempotent calls). */
  mayHaveReachedServer: boolean;
  /** A short, secret-free description. */
  message: string;
  /** Set when the outbound proxy failed before the target was reached (nothing was sent to it). */
  proxy?: ProxyFailure;
}

/** What went wrong at the outbound proxy, with nothing secret in it. */
export interface ProxyFailure {
  /** authRequired: 407 (or 401) to CONNECT; unreachable: no answer from the proxy; connectRefused: any other refusal of the tunnel. */
  problem: 'authRequired' | 'unreachable' | 'connectRefused';
  /** The proxy's host:port. */
  proxy: string;
  /** Where the proxy URL came from: an environment variable (HTTPS_PROXY, ...) or the connection field proxyUrl. */
  source: string;
  /** The host:port the tunnel was for. */
  target: string;
  /** The proxy's answer to CONNECT, when it answered. */
  status?: number;
  /** The network error code when the proxy could not be reached (ECONNREFUSED, ENOTFOUND, ETIMEDOUT, ...). */
  networkCode?: string;
  /** Whether the CONNECT carried Proxy-Authorization. */
  sentCredentials?: boolean;
}

export function isTransportFailure(value: unknown): value is TransportFailure {
  return typeof value === 'object' && value !== null && (value as TransportFailure).transportFailure === true;
}

export interface AccessToken {
  /** The value placed after the scheme in the Authorization header. */
  token: string;
  scheme: 'Bearer' | 'Token';
  /** Epoch ms; undefined for tokens without expiry (legacy API tokens). */
  expiresOnMs?: number;
}

export interface TokenRequestOptions {
  /** Skip every cache and ask the identity provider again (used once after a 401). */
  forceRefresh?: boolean;
  signal?: AbortSignal;
}

export interface TokenProvider {
  getToken(options?: TokenRequestOptions): Promise<AccessToken>;
  /** A stable, secret-free key for this credential (used for caches and shared stores). */
  readonly cacheKey: string;
}

export interface Clock {
  now(): number;
}

/** Resolves after ms, or rejects with an abort error as soon as the signal fires. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Key/value state kept by the host (n8n workflow static data, Node-RED node context). */
export interface StateStore {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T): Promise<void>;
}

export type RequestPriority = 'interactive' | 'bulk';

export interface PacingPermit {
  /** Called when the request finished (the window entry is re-stamped at completion). */
  release(): void;
}

/**
 * One pacing budget per tenant. The in-process implementation is a sliding-window log; a shared
 * store (Redis) can implement the same port for several processes.
 */
export interface PacingPort {
  acquire(tenantKey: string, priority: RequestPriority, signal?: AbortSignal): Promise<PacingPermit>;
  /** The server said 429: shrink the budget and hold every request until retryAfterMs passed. */
  reportThrottled(tenantKey: string, retryAfterMs: number | undefined): void;
}

export const noopLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
