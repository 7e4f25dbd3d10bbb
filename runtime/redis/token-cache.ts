// One token fetch per credential across every process that shares a Redis.
//
// getToken(): in-process copy → Redis (decrypt) → on a miss one process takes a lock
// (SET NX PX), fetches through its own msal-backed provider and stores the token until shortly
// before expiry; the lock is released with compare-and-delete (Lua), so a late holder never
// deletes a newer holder's lock. The others poll the key and take the stored token. A holder that
// died leaves only a lock that expires after lockTtlMs.
//
// Tokens in Redis are AES-256-GCM ciphertext under a key derived with scrypt from the
// credential's secret (salted with the credential fingerprint), authenticated with the Redis key
// name as additional data: Redis never holds a usable bearer token, and a process without the
// secret cannot read or forge one. Any Redis problem falls back to the process's own provider.
import crypto from 'node:crypto';
import type { AccessToken, Clock, Logger, TokenProvider, TokenRequestOptions } from '../../core/ports';
import { noopLogger } from '../../core/ports';
import { MdcaCancelledError, MdcaError } from '../../core/errors';
import type { RespClient } from './resp-client';

/** Same skew as the in-process provider: refresh 5 minutes before expiry. */
const REFRESH_SKEW_MS = 5 * 60_000;

export const UNLOCK_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

export interface SharedTokenCacheOptions {
  prefix?: string;
  /** How long a lock holder may take to fetch a token. Default 15 000 ms. */
  lockTtlMs?: number;
  /** Poll interval while another process fetches. Default 100 ms. */
  pollMs?: number;
  clock: Clock;
  logger?: Logger;
  onModeChange?: (mode: 'shared' | 'fallback', reason?: string) => void;
}

interface StoredToken {
  token: string;
  scheme: 'Bearer';
  expiresOnMs: number;
}

const keyCache = new Map<string, Promise<Buffer>>();

/** scrypt (N=2^14, r=8, p=1): also safe for low-entropy secrets such as a user's password. */
export function deriveTokenKey(secret: string, fingerprint: string): Promise<Buffer> {
  const id = crypto.createHash('sha256').update(fingerprint).update('\0').update(secret).digest('hex');
  let key = keyCache.get(id);
  if (!key) {
    const salt = crypto.createHash('sha256').update(`mdca-lowcode token cache v1\0${fingerprint}`).digest();
    key = new Promise<Buffer>((resolve, reject) => crypto.scrypt(secret, salt, 32, { N: 16384, r: 8, p: 1 }, (e, k) => (e ? reject(e) : resolve(k))));
    keyCache.set(id, key);
  }
  return key;
}

export function sealToken(key: Buffer, aad: string, token: StoredToken): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(JSON.stringify(token), 'utf8'), cipher.final()]);
  return `v1.${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${body.toString('base64url')}`;
}

export function openToken(key: Buffer, aad: string, sealed: string): StoredToken | undefined {
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== 'v1') return undefined;
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(parts[1], 'base64url'));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(Buffer.from(parts[2], 'base64url'));
    const text = Buffer.concat([decipher.update(Buffer.from(parts[3], 'base64url')), decipher.final()]).toString('utf8');
    const t = JSON.parse(text) as StoredToken;
    return typeof t.token === 'string' && typeof t.expiresOnMs === 'number' ? t : undefined;
  } catch {
    return undefined; // wrong key (another secret) or tampered: treat as a miss
  }
}

export class SharedTokenProvider implements TokenProvider {
  readonly cacheKey: string;
  private local: AccessToken | undefined;
  private inflight: Promise<AccessToken> | undefined;
  private mode: 'shared' | 'fallback' = 'shared';
  private readonly logger: Logger;
  private readonly tokenKey: string;
  private readonly lockKey: string;
  /** Fetches this process made through its own provider (for tests and status). */
  readonly stats = { fetched: 0, fromRedis: 0, waitedForLock: 0, fallback: 0 };

  constructor(
    private readonly inner: TokenProvider,
    private readonly redis: RespClient,
    private readonly secret: string,
    private readonly options: SharedTokenCacheOptions,
  ) {
    this.cacheKey = inner.cacheKey;
    this.logger = options.logger ?? noopLogger;
    const prefix = options.prefix ?? 'mdca:';
    this.tokenKey = `${prefix}token:{${inner.cacheKey}}`;
    this.lockKey = `${prefix}token:{${inner.cacheKey}}:lock`;
  }

  async getToken(options: TokenRequestOptions = {}): Promise<AccessToken> {
    if (options.signal?.aborted) throw new MdcaCancelledError();
    const now = this.options.clock.now();
    if (!options.forceRefresh && this.local?.expiresOnMs !== undefined && this.local.expiresOnMs - now > REFRESH_SKEW_MS) return this.local;
    if (this.inflight && !options.forceRefresh) return this.inflight;
    const attempt = this.fetchShared(options).finally(() => {
      if (this.inflight === attempt) this.inflight = undefined;
    });
    this.inflight = attempt;
    return attempt;
  }

  private async fetchShared(options: TokenRequestOptions): Promise<AccessToken> {
    const rejected = options.forceRefresh ? this.local?.token : undefined;
    let key: Buffer;
    try {
      key = await deriveTokenKey(this.secret, this.cacheKey);
    } catch {
      return this.fallback(options, new Error('key derivation failed'));
    }
    const lockTtl = this.options.lockTtlMs ?? 15_000;
    const pollMs = this.options.pollMs ?? 100;
    const deadline = this.options.clock.now() + 2 * lockTtl + 5_000;
    const lockValue = crypto.randomBytes(16).toString('hex');
    let waited = false;
    try {
      for (;;) {
        if (options.signal?.aborted) throw new MdcaCancelledError();
        const found = await this.read(key, rejected);
        if (found) {
          this.back();
          this.stats.fromRedis++;
          if (waited) this.stats.waitedForLock++;
          return (this.local = found);
        }
        const got = await this.redis.command(['SET', this.lockKey, lockValue, 'NX', 'PX', lockTtl]);
        if (got === 'OK') {
          try {
            // Double-check: the previous holder may have stored a token just before we locked.
            const again = await this.read(key, rejected);
            if (again) {
              this.stats.fromRedis++;
              return (this.local = again);
            }
            const token = await this.inner.getToken({ forceRefresh: rejected !== undefined || options.forceRefresh, signal: options.signal });
            this.stats.fetched++;
            this.local = token;
            const ttl = (token.expiresOnMs ?? 0) - this.options.clock.now() - REFRESH_SKEW_MS;
            if (token.scheme === 'Bearer' && ttl > 1000) {
              await this.redis.command(['SET', this.tokenKey, sealToken(key, this.tokenKey, { token: token.token, scheme: 'Bearer', expiresOnMs: token.expiresOnMs as number }), 'PX', Math.floor(ttl)]).catch(() => undefined);
            }
            this.back();
            return token;
          } finally {
            await this.redis.evalScript(UNLOCK_SCRIPT, [this.lockKey], [lockValue]).catch(() => undefined);
          }
        }
        waited = true;
        if (this.options.clock.now() > deadline) throw new Error('timed out waiting for the token lock');
        await new Promise((r) => setTimeout(r, pollMs));
      }
    } catch (error) {
      // Identity-provider answers (wrong secret, throttled, cancelled) are the caller's business.
      if (error instanceof MdcaError) throw error;
      return this.fallback(options, error);
    }
  }

  private async read(key: Buffer, rejected: string | undefined): Promise<AccessToken | undefined> {
    const sealed = await this.redis.command(['GET', this.tokenKey]);
    if (typeof sealed !== 'string') return undefined;
    const t = openToken(key, this.tokenKey, sealed);
    if (!t || t.token === rejected) return undefined;
    if (t.expiresOnMs - this.options.clock.now() <= REFRESH_SKEW_MS) return undefined;
    return { token: t.token, scheme: 'Bearer', expiresOnMs: t.expiresOnMs };
  }

  private async fallback(options: TokenRequestOptions, error: unknown): Promise<AccessToken> {
    if (this.mode === 'shared') {
      this.mode = 'fallback';
      const reason = (error as Error)?.message ?? String(error);
      this.logger.warn('Redis is unreachable: this process fetches its own token until it is back.', { redis: this.redis.address, reason });
      this.options.onModeChange?.('fallback', reason);
    }
    this.stats.fallback++;
    const token = await this.inner.getToken(options);
    this.local = token;
    return token;
  }

  private back(): void {
    if (this.mode === 'fallback') {
      this.mode = 'shared';
      this.logger.info('Redis is reachable again: the token cache is shared again.', { redis: this.redis.address });
      this.options.onModeChange?.('shared');
    }
  }
}
