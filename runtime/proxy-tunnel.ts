// HTTPS through an outbound proxy: an HTTP CONNECT tunnel to the target's host and port, then TLS
// to the target inside it, verified against the target's own name, so the proxy relays bytes it
// cannot read. The proxy's credentials go in Proxy-Authorization on the CONNECT only, never to the
// target. Failures at the proxy become ProxyTunnelError values without any secret in them.
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { ProxyFailure } from '../core/ports';
import { bypassesProxy, ProxyEndpoint, ProxyRoute } from './proxy-settings';

/** How long the proxy may take to connect and answer CONNECT before it counts as unreachable. */
export const PROXY_HANDSHAKE_TIMEOUT_MS = 15_000;
/** A CONNECT answer's head longer than this is not an HTTP proxy talking. */
const MAX_ANSWER_HEAD = 16 * 1024;

/** The transport failure code of each proxy problem (PROXY_UNREACHABLE is retried: core/retry.ts). */
export const PROXY_FAILURE_CODE: Record<ProxyFailure['problem'], string> = {
  authRequired: 'PROXY_AUTH_REQUIRED',
  unreachable: 'PROXY_UNREACHABLE',
  connectRefused: 'PROXY_CONNECT_REFUSED',
};

/** A failure at the proxy; carries only the secret-free ProxyFailure. */
export class ProxyTunnelError extends Error {
  readonly code: string;

  constructor(readonly failure: ProxyFailure) {
    super(`proxy ${failure.proxy}: ${failure.problem}${failure.status ? ` (${failure.status})` : ''}${failure.networkCode ? ` (${failure.networkCode})` : ''}`);
    this.name = 'ProxyTunnelError';
    this.code = PROXY_FAILURE_CODE[failure.problem];
  }
}

/** The ProxyFailure inside an error from axios or Node (the error itself or its cause). */
export function proxyFailureOf(error: unknown): ProxyFailure | undefined {
  const e = error as { cause?: unknown } | undefined;
  if (error instanceof ProxyTunnelError) return error.failure;
  if (e?.cause instanceof ProxyTunnelError) return e.cause.failure;
  return undefined;
}

function connectRequest(proxy: ProxyEndpoint, target: string): string {
  const auth = proxy.authorization ? `Proxy-Authorization: ${proxy.authorization}\r\n` : '';
  return `CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n${auth}\r\n`;
}

function authority(host: string, port: number): string {
  return `${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
}

/** Opens a CONNECT tunnel to host:port through the proxy; resolves with the raw tunnel socket. */
export function openTunnel(proxy: ProxyEndpoint, host: string, port: number, options: { ca?: string | string[]; timeoutMs?: number } = {}): Promise<net.Socket> {
  const target = authority(host, port);
  const base = { proxy: authority(proxy.hostname, proxy.port), source: proxy.source, target, sentCredentials: Boolean(proxy.authorization) };
  return new Promise((resolve, reject) => {
    const secure = proxy.protocol === 'https:';
    // An https:// proxy is itself verified against its own name, with the same trusted CAs.
    const socket: net.Socket = secure
      ? tls.connect({ host: proxy.hostname, port: proxy.port, servername: net.isIP(proxy.hostname) ? undefined : proxy.hostname, ca: options.ca, ALPNProtocols: ['http/1.1'] })
      : net.connect({ host: proxy.hostname, port: proxy.port });
    let head = Buffer.alloc(0);
    let settled = false;
    const finish = (failure?: Omit<ProxyFailure, keyof typeof base>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeListener('readable', onReadable);
      socket.removeListener('error', onError);
      socket.removeListener('close', onClose);
      if (!failure) return resolve(socket);
      socket.destroy();
      reject(new ProxyTunnelError({ ...base, ...failure }));
    };
    const onError = (error: { code?: string }) => finish({ problem: 'unreachable', networkCode: String(error?.code ?? 'ECONNRESET').slice(0, 40) });
    const onClose = () => finish({ problem: 'unreachable', networkCode: 'ECONNRESET' });
    // Read in paused mode: bytes after the answer stay in the socket for the TLS layer above it
    // (a flowing socket without a 'data' listener would drop them, an https:// proxy's at once).
    const onReadable = () => {
      let chunk: Buffer | null;
      while (!settled && (chunk = socket.read() as Buffer | null) !== null) onChunk(chunk);
    };
    const onChunk = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > MAX_ANSWER_HEAD) finish({ problem: 'connectRefused' });
        return;
      }
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head.subarray(0, Math.min(end, 64)).toString('latin1'))?.[1] ?? 0);
      if (status >= 200 && status < 300) {
        const early = head.subarray(end + 4);
        finish();
        if (early.length > 0) socket.unshift(early);
        return;
      }
      // tinyproxy answers wrong credentials with 401 instead of 407: both mean the sign-in failed.
      finish(status === 407 || status === 401 ? { problem: 'authRequired', status } : { problem: 'connectRefused', ...(status ? { status } : {}) });
    };
    const timer = setTimeout(() => finish({ problem: 'unreachable', networkCode: 'ETIMEDOUT' }), options.timeoutMs ?? PROXY_HANDSHAKE_TIMEOUT_MS);
    socket.once(secure ? 'secureConnect' : 'connect', () => socket.write(connectRequest(proxy, target)));
    socket.on('readable', onReadable);
    socket.on('error', onError);
    socket.on('close', onClose);
  });
}

type ConnectOptions = tls.ConnectionOptions & { host?: string; port?: number | string; beforeRedirects?: unknown };
type Callback = (error: Error | null, socket?: net.Socket) => void;

/**
 * An https.Agent that tunnels through the route's proxy, except for NO_PROXY hosts. Sockets are
 * pooled per target as usual: a kept-alive socket is a tunnel to that very target.
 *
 * With `proxy: false`, axios passes a `beforeRedirects` closure in the connect options; Node keeps
 * those options on the TLS socket, so a keep-alive socket pins the first response it carried
 * (a 5,000-activity page is ~11 MB) until it closes. Dropping the closure before connecting frees
 * it; redirects are never followed here anyway (measured in docs/performance.md).
 */
export class ProxyTunnelAgent extends https.Agent {
  constructor(
    private readonly route: ProxyRoute | undefined,
    options: https.AgentOptions,
    private readonly handshakeTimeoutMs = PROXY_HANDSHAKE_TIMEOUT_MS,
  ) {
    super(options);
  }

  override createConnection(options: Record<string, unknown>, callback?: unknown): ReturnType<https.Agent['createConnection']> {
    const { beforeRedirects: _dropped, ...rest } = options as ConnectOptions;
    const host = String(rest.host ?? 'localhost');
    const port = Number(rest.port ?? 443);
    if (!this.route || bypassesProxy(this.route.noProxy, host, port)) return super.createConnection(rest as never, callback as never);
    const done = callback as Callback;
    openTunnel(this.route.proxy, host, port, { ca: rest.ca as string[] | undefined, timeoutMs: this.handshakeTimeoutMs }).then(
      (tunnel) => {
        // Verified against the target's name (options.host, or the SNI name Node derived from it).
        const servername = rest.servername || (net.isIP(host) ? undefined : host);
        done(null, tls.connect({ ...rest, host, socket: tunnel, ...(servername ? { servername } : {}) }));
      },
      (error: Error) => done(error),
    );
    return undefined as never;
  }
}
