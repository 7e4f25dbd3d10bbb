// The HTTP transport both hosts use: axios over Node's https, TLS always verified, no redirects,
// size-capped, abortable, through the outbound proxy when one is configured (runtime/proxy-tunnel.ts;
// axios' own proxy support stays off, so only ours decides). Failures become secret-free
// TransportFailure values: the raw axios error (which carries the request headers, bearer token
// included) never leaves this file.
import tls from 'node:tls';
import axios, { AxiosInstance } from 'axios';
import type { HttpRequest, HttpResponse, HttpTransport, TransportFailure } from '../core/ports';
import type { ProxyRoute } from './proxy-settings';
import { PROXY_FAILURE_CODE, ProxyTunnelAgent, proxyFailureOf } from './proxy-tunnel';

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY']);

export interface AxiosTransportOptions {
  /** Extra CA certificate(s) to trust besides the system ones (the local emulator's CA). */
  caPem?: string;
  /** The outbound proxy and its bypass list (runtime/proxy-settings.ts); none: direct. */
  proxy?: ProxyRoute;
}

export function trustedCas(caPem?: string): string[] | undefined {
  return caPem ? [...tls.rootCertificates, caPem] : undefined;
}

export function createAxiosTransport(options: AxiosTransportOptions = {}): HttpTransport {
  const ca = trustedCas(options.caPem);
  const keepAlive = new ProxyTunnelAgent(options.proxy, { keepAlive: true, maxSockets: 16, ca });
  const fresh = new ProxyTunnelAgent(options.proxy, { keepAlive: false, ca });
  const instance: AxiosInstance = axios.create({
    maxRedirects: 0,
    validateStatus: () => true,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    decompress: true,
    proxy: false,
  });
  return {
    async send(request: HttpRequest): Promise<HttpResponse> {
      if (!request.url.startsWith('https://')) throw failure('INSECURE_URL', 'only https URLs are used', false);
      try {
        const response = await instance.request<string>({
          method: request.method,
          url: request.url,
          headers: request.headers,
          data: request.body instanceof Uint8Array ? Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength) : request.body,
          timeout: request.timeoutMs,
          maxContentLength: request.maxResponseBytes,
          maxBodyLength: Infinity,
          signal: request.signal,
          httpsAgent: request.freshConnection ? fresh : keepAlive,
        });
        const headers: Record<string, string> = {};
        for (const [key, value] of Object.entries(response.headers ?? {})) {
          if (value !== undefined && value !== null) headers[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
        }
        return { status: response.status, headers, body: typeof response.data === 'string' ? response.data : String(response.data ?? '') };
      } catch (error) {
        throw toFailure(error, request.signal);
      }
    },
  };
}

function failure(code: string, message: string, mayHaveReachedServer: boolean): TransportFailure {
  return { transportFailure: true, code, message, mayHaveReachedServer };
}

function toFailure(error: unknown, signal?: AbortSignal): TransportFailure {
  if (signal?.aborted || axios.isCancel(error)) return failure('ABORTED', 'cancelled', true);
  const proxy = proxyFailureOf(error);
  // The tunnel was never opened: nothing reached the target.
  if (proxy) return { ...failure(PROXY_FAILURE_CODE[proxy.problem], `proxy ${proxy.problem}`, false), proxy };
  const e = error as { code?: string; message?: string; cause?: { code?: string } };
  const code = e.cause?.code ?? e.code ?? 'UNKNOWN';
  if (typeof e.message === 'string' && /maxContentLength/i.test(e.message)) return failure('TOO_LARGE', 'response too large', true);
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') return failure('ETIMEDOUT', 'no answer within the timeout', true);
  if (NOT_SENT_CODES.has(code) || /CERT|SSL|TLS/.test(code)) return failure(code, describe(code), false);
  return failure(code, describe(code), true);
}

function describe(code: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host name not found';
    case 'ECONNRESET':
      return 'connection reset';
    case 'EPIPE':
      return 'connection closed while sending';
    default:
      return /CERT|SSL|TLS|SELF_SIGNED|VERIFY/.test(code) ? 'TLS certificate not trusted' : 'network failure';
  }
}
