// A small RESP2 client over node:net / node:tls: just what the shared pacer and token cache need
// (EVAL/EVALSHA, GET, SET NX PX, PING, AUTH, SELECT), so the package adds no runtime dependency.
// - One connection, commands pipelined in order; every command has a timeout. A timeout or a
//   socket error destroys the connection and fails every pending command (the reply stream can
//   no longer be trusted), so callers see fast errors and fall back.
// - Reconnects lazily on the next command, with exponential back-off between attempts (250 ms
//   doubling to 5 s): while Redis is down a command fails at once instead of waiting.
import net from 'node:net';
import tls from 'node:tls';
import crypto from 'node:crypto';
import { safeServiceMessage } from '../../core/redact';
import { secretsInUrl } from '../../core/secret-set';

export interface RedisConnectionOptions {
  /** redis://[user:password@]host:port[/db] or rediss:// for TLS. */
  url: string;
  /** Overrides the URL's password (hosts keep it in a credential). */
  password?: string;
  username?: string;
  /** Use TLS even for a redis:// URL. */
  tls?: boolean;
  /** Extra CA (PEM) for TLS; the system CAs are trusted too. */
  caPem?: string;
  /** Skip server-name checks only for an IP address without a SAN; never disables the CA check. */
  servername?: string;
  /** Per-command timeout. Default 2000 ms. */
  commandTimeoutMs?: number;
  /** Connect timeout. Default 2000 ms. */
  connectTimeoutMs?: number;
  /** Back-off bounds between reconnect attempts. Defaults 250 ms → 5000 ms. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export type RedisReply = string | number | null | RedisReply[] | RedisReplyError;

export class RedisReplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisReplyError';
  }
}

/** Redis could not be reached or did not answer in time. */
export class RedisUnavailableError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'RedisUnavailableError';
  }
}

interface Pending {
  resolve: (value: RedisReply) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

interface ParsedTarget {
  host: string;
  port: number;
  tls: boolean;
  username?: string;
  password?: string;
  db: number;
}

export function parseRedisUrl(url: string): ParsedTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error('The Redis URL is not valid (expected redis://host:port or rediss://host:port).');
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new Error('The Redis URL must start with redis:// or rediss://.');
  const db = u.pathname && u.pathname !== '/' ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new Error('The Redis URL database must be a number (redis://host:port/0).');
  return {
    host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    tls: u.protocol === 'rediss:',
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db,
  };
}

export class RespClient {
  private socket: net.Socket | undefined;
  /** The socket whose replies we read (set during the handshake already). */
  private active: net.Socket | undefined;
  private connecting: Promise<net.Socket> | undefined;
  private readonly pending: Pending[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private backoffMs: number;
  private nextAttemptAt = 0;
  private closed = false;
  private readonly target: ParsedTarget;
  private readonly scripts = new Map<string, string>();
  /** Called when the connection goes up or down (for status lines and logs). */
  onStateChange: ((up: boolean, reason?: string) => void) | undefined;
  private up = false;

  constructor(private readonly options: RedisConnectionOptions) {
    this.target = parseRedisUrl(options.url);
    if (options.tls) this.target.tls = true;
    if (options.password) this.target.password = options.password;
    if (options.username) this.target.username = options.username;
    this.backoffMs = options.minBackoffMs ?? 250;
  }

  /** Host and port only (no credentials), for messages. */
  get address(): string {
    return `${this.target.tls ? 'rediss' : 'redis'}://${this.target.host}:${this.target.port}/${this.target.db}`;
  }

  get connected(): boolean {
    return this.up;
  }

  async command(args: (string | number)[]): Promise<RedisReply> {
    const socket = await this.ensureSocket();
    return this.send(socket, args);
  }

  /** EVALSHA with a fallback to EVAL when the script is not cached on the server yet. */
  async evalScript(script: string, keys: string[], args: (string | number)[]): Promise<RedisReply> {
    let sha = this.scripts.get(script);
    if (!sha) {
      sha = crypto.createHash('sha1').update(script).digest('hex');
      this.scripts.set(script, sha);
    }
    try {
      return await this.command(['EVALSHA', sha, keys.length, ...keys, ...args]);
    } catch (error) {
      if (error instanceof RedisReplyError && /NOSCRIPT/.test(error.message)) {
        return this.command(['EVAL', script, keys.length, ...keys, ...args]);
      }
      throw error;
    }
  }

  close(): void {
    this.closed = true;
    this.drop(new RedisUnavailableError('Redis client closed.', 'CLOSED'));
  }

  private ensureSocket(): Promise<net.Socket> {
    if (this.closed) return Promise.reject(new RedisUnavailableError('Redis client closed.', 'CLOSED'));
    if (this.socket) return Promise.resolve(this.socket);
    if (this.connecting) return this.connecting;
    const now = Date.now();
    if (now < this.nextAttemptAt) {
      return Promise.reject(new RedisUnavailableError(`Redis at ${this.address} is unreachable (next attempt in ${this.nextAttemptAt - now} ms).`, 'BACKOFF'));
    }
    this.connecting = this.connect().then(
      (socket) => {
        this.connecting = undefined;
        this.backoffMs = this.options.minBackoffMs ?? 250;
        this.nextAttemptAt = 0;
        return socket;
      },
      (error: Error) => {
        this.connecting = undefined;
        this.nextAttemptAt = Date.now() + this.backoffMs;
        this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs ?? 5000);
        this.setUp(false, error.message);
        throw error instanceof RedisUnavailableError || error instanceof RedisReplyError ? error : new RedisUnavailableError(`Redis at ${this.address} is unreachable.`, 'CONNECT');
      },
    );
    return this.connecting;
  }

  private connect(): Promise<net.Socket> {
    const t = this.target;
    const timeoutMs = this.options.connectTimeoutMs ?? 2000;
    return new Promise<net.Socket>((resolve, reject) => {
      let settled = false;
      const socket: net.Socket = t.tls
        ? tls.connect({
            host: t.host,
            port: t.port,
            servername: this.options.servername ?? (net.isIP(t.host) ? undefined : t.host),
            ca: this.options.caPem ? [...tls.rootCertificates, this.options.caPem] : undefined,
          })
        : net.connect({ host: t.host, port: t.port });
      socket.setNoDelay(true);
      const timer = setTimeout(() => fail(new RedisUnavailableError(`Redis at ${this.address} did not answer within ${timeoutMs} ms.`, 'ETIMEDOUT')), timeoutMs);
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        if (this.socket === socket) this.socket = undefined;
        reject(error);
      };
      socket.once('error', (e: NodeJS.ErrnoException) => fail(new RedisUnavailableError(`Redis at ${this.address} is unreachable (${e.code ?? 'error'}).`, e.code ?? 'ERROR')));
      socket.once(t.tls ? 'secureConnect' : 'connect', async () => {
        // Handshake on this socket before anyone else may use it.
        this.attach(socket);
        try {
          if (t.password) await this.send(socket, t.username ? ['AUTH', t.username, t.password] : ['AUTH', t.password]);
          if (t.db) await this.send(socket, ['SELECT', t.db]);
          await this.send(socket, ['PING']);
        } catch (error) {
          const message = error instanceof RedisReplyError ? `Redis refused the connection: ${error.message.slice(0, 120)}` : (error as Error).message;
          fail(error instanceof RedisReplyError ? new RedisReplyError(message) : new RedisUnavailableError(message, 'HANDSHAKE'));
          return;
        }
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.socket = socket;
        this.setUp(true);
        resolve(socket);
      });
    });
  }

  private attach(socket: net.Socket): void {
    this.buffer = Buffer.alloc(0);
    this.active = socket;
    socket.on('data', (chunk: Buffer) => {
      if (this.active !== socket) return;
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      try {
        this.parseReplies();
      } catch {
        this.drop(new RedisUnavailableError(`Redis at ${this.address} sent an unreadable reply.`, 'PROTOCOL'));
      }
    });
    const lost = (why: string) => {
      if (this.active === socket) {
        this.active = undefined;
        this.socket = undefined;
        this.drop(new RedisUnavailableError(`Connection to Redis at ${this.address} lost (${why}).`, why));
      }
    };
    socket.on('error', (e: NodeJS.ErrnoException) => lost(e.code ?? 'error'));
    socket.on('close', () => lost('closed'));
  }

  private send(socket: net.Socket, args: (string | number)[]): Promise<RedisReply> {
    return new Promise<RedisReply>((resolve, reject) => {
      const timeoutMs = this.options.commandTimeoutMs ?? 2000;
      const entry: Pending = {
        resolve,
        reject,
        timer: setTimeout(() => {
          // The reply stream is now out of step: drop the connection and everything pending.
          this.drop(new RedisUnavailableError(`Redis at ${this.address} did not answer within ${timeoutMs} ms.`, 'ETIMEDOUT'));
        }, timeoutMs),
      };
      this.pending.push(entry);
      socket.write(encode(args));
    });
  }

  private drop(error: Error): void {
    const socket = this.active ?? this.socket;
    this.socket = undefined;
    this.active = undefined;
    socket?.destroy();
    for (const p of this.pending.splice(0)) {
      clearTimeout(p.timer);
      p.reject(error);
    }
    this.setUp(false, error.message);
  }

  private setUp(up: boolean, reason?: string): void {
    if (this.up === up) return;
    this.up = up;
    this.onStateChange?.(up, reason);
  }

  private parseReplies(): void {
    for (;;) {
      const parsed = parseReply(this.buffer, 0);
      if (!parsed) return;
      this.buffer = this.buffer.subarray(parsed.end);
      const p = this.pending.shift();
      if (!p) continue;
      clearTimeout(p.timer);
      // A server answering AUTH with "unknown command ... '<password>'" (AUTH renamed away) echoes
      // the password: every error reply is scrubbed by value and made single-line here, before
      // it can reach a log line or a status.
      if (parsed.value instanceof RedisReplyError) p.reject(new RedisReplyError(safeServiceMessage(parsed.value.message, [this.target.password, ...secretsInUrl(this.options.url)].filter((v): v is string => !!v))));
      else p.resolve(parsed.value);
    }
  }
}

function encode(args: (string | number)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.from(String(a), 'utf8');
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** Parses one RESP2 reply at offset; undefined when the buffer does not hold all of it yet. */
export function parseReply(buf: Buffer, offset: number): { value: RedisReply; end: number } | undefined {
  if (offset >= buf.length) return undefined;
  const lineEnd = buf.indexOf('\r\n', offset);
  if (lineEnd < 0) return undefined;
  const type = String.fromCharCode(buf[offset]);
  const line = buf.toString('utf8', offset + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case '+':
      return { value: line, end: next };
    case '-':
      return { value: new RedisReplyError(line), end: next };
    case ':':
      return { value: Number(line), end: next };
    case '$': {
      const len = Number(line);
      if (len < 0) return { value: null, end: next };
      if (buf.length < next + len + 2) return undefined;
      return { value: buf.toString('utf8', next, next + len), end: next + len + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, end: next };
      const items: RedisReply[] = [];
      let at = next;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buf, at);
        if (!item) return undefined;
        items.push(item.value);
        at = item.end;
      }
      return { value: items, end: at };
    }
    default:
      throw new Error(`unexpected RESP type ${JSON.stringify(type)}`);
  }
}
