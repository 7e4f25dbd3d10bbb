// Process-wide Redis sharing: one connection per Redis target (URL, user, TLS, prefix), one
// shared pacer per budget and one shared token provider per credential on top of it. Hosts pass
// RedisSettings through ClientHooks.redis (runtime/create-client.ts).
import crypto from 'node:crypto';
import type { Logger, PacingPort, TokenProvider } from '../../core/ports';
import { noopLogger } from '../../core/ports';
import { MdcaConfigurationError } from '../../core/errors';
import { systemClock } from '../timers';
import { RedisPacer } from './redis-pacer';
import { RespClient } from './resp-client';
import { SharedTokenProvider } from './token-cache';

export * from './resp-client';
export * from './redis-pacer';
export * from './token-cache';

export interface RedisSettings {
  /** redis://host:port[/db] or rediss://host:port[/db]. */
  url: string;
  password?: string;
  username?: string;
  tls?: boolean;
  /** Extra CA (PEM) to trust for TLS. */
  caPem?: string;
  /** Key prefix, default "mdca:". Never "bull:" or "n8n:" (n8n's queue-mode keys). */
  keyPrefix?: string;
  /** In-process budget while Redis is unreachable (default: the configured budget). */
  fallbackBudget?: number;
  /** Token lock expiry (default 15 s). */
  lockTtlMs?: number;
  commandTimeoutMs?: number;
}

export type SharingMode = 'shared' | 'fallback';

export interface RedisSharing {
  readonly client: RespClient;
  pacer(budget?: number, windowMs?: number): RedisPacer;
  tokenProvider(inner: TokenProvider, secret: string | undefined): TokenProvider;
  /** The worst mode of the pacers and token caches on this connection. */
  readonly mode: SharingMode;
  /** Listeners for mode changes (host status lines). */
  onModeChange(listener: (mode: SharingMode, reason?: string) => void): () => void;
  close(): void;
}

const sharings = new Map<string, RedisSharingImpl>();

export function normalizeKeyPrefix(prefix: string | undefined): string {
  let p = (prefix ?? '').trim() || 'mdca:';
  if (!p.endsWith(':')) p += ':';
  if (/^(bull|n8n)[:{]/i.test(p)) throw new Error(`The Redis key prefix "${p}" is n8n's own: use another one, e.g. "mdca:".`);
  if (/[\s{}]/.test(p)) throw new Error('The Redis key prefix must not contain spaces or braces.');
  return p;
}

/**
 * Redis settings from the one secret value a host stores: the URL with its password. A host and
 * the password that may be sent to it are never saved apart, because an editor who can change a
 * saved host but cannot read the saved password would otherwise receive it at a host of their
 * own. Values of older versions (a separate password, a TLS switch) are read only to stop with an
 * error saying what to enter now: a separate password is never sent to a URL typed without it,
 * and TLS comes only from the URL's scheme, so no editor can switch it off.
 */
export function redisSettingsFromSecretUrl(
  secretUrl: unknown,
  options: { keyPrefix?: string; legacyPassword?: unknown; legacyTls?: unknown },
  field = 'redisUrl',
): RedisSettings | undefined {
  const url = typeof secretUrl === 'string' ? secretUrl.trim() : '';
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new MdcaConfigurationError(field, 'The Redis URL is not a valid URL.', 'Enter redis://:password@host:port/0, or rediss:// for TLS.');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new MdcaConfigurationError(field, 'The Redis URL must start with redis:// or rediss://.', 'Enter redis://:password@host:port/0, or rediss:// for TLS.');
  }
  const legacyPassword = typeof options.legacyPassword === 'string' ? options.legacyPassword : '';
  if (legacyPassword !== '' && !parsed.password) {
    throw new MdcaConfigurationError(
      field,
      'The Redis password is no longer a field of its own: it is part of the Redis URL.',
      'Enter the Redis URL again with its password, e.g. rediss://:password@redis.example.com:6380/0.',
    );
  }
  const legacyTls = options.legacyTls === true || options.legacyTls === 'true';
  if (legacyTls && parsed.protocol !== 'rediss:') {
    throw new MdcaConfigurationError(field, 'TLS for Redis is now chosen by the URL alone.', 'Enter the Redis URL again starting with rediss:// (TLS).');
  }
  return { url, tls: parsed.protocol === 'rediss:', keyPrefix: normalizeKeyPrefix(options.keyPrefix) };
}

/** Returns the process-wide sharing for these settings (one connection per target and prefix). */
export function sharedRedis(settings: RedisSettings, logger: Logger = noopLogger): RedisSharing {
  const prefix = normalizeKeyPrefix(settings.keyPrefix);
  const id = crypto
    .createHash('sha256')
    .update(JSON.stringify([settings.url, settings.username ?? '', settings.password ?? '', !!settings.tls, settings.caPem ?? '', prefix, settings.fallbackBudget ?? 0, settings.lockTtlMs ?? 0]))
    .digest('hex');
  let sharing = sharings.get(id);
  if (!sharing) {
    sharing = new RedisSharingImpl(settings, prefix, logger);
    sharings.set(id, sharing);
  }
  return sharing;
}

/** Closes every Redis connection of this process (tests, host shutdown). */
export function closeSharedRedis(): void {
  for (const s of sharings.values()) s.close();
  sharings.clear();
}

class RedisSharingImpl implements RedisSharing {
  readonly client: RespClient;
  private readonly pacers = new Map<string, RedisPacer>();
  private readonly providers = new Map<string, TokenProvider>();
  private readonly listeners = new Set<(mode: SharingMode, reason?: string) => void>();
  private readonly fallbacks = new Set<object>();

  constructor(
    private readonly settings: RedisSettings,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {
    this.client = new RespClient({
      url: settings.url,
      password: settings.password,
      username: settings.username,
      tls: settings.tls,
      caPem: settings.caPem,
      commandTimeoutMs: settings.commandTimeoutMs,
    });
  }

  get mode(): SharingMode {
    return this.fallbacks.size > 0 ? 'fallback' : 'shared';
  }

  onModeChange(listener: (mode: SharingMode, reason?: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private track(owner: object) {
    return (mode: SharingMode, reason?: string) => {
      const before = this.mode;
      if (mode === 'fallback') this.fallbacks.add(owner);
      else this.fallbacks.delete(owner);
      if (this.mode !== before) for (const l of this.listeners) l(this.mode, reason);
    };
  }

  pacer(budget = 28, windowMs = 60_000): RedisPacer {
    const key = `${budget}/${windowMs}`;
    let pacer = this.pacers.get(key);
    if (!pacer) {
      const owner = {};
      pacer = new RedisPacer(this.client, { budget, windowMs, prefix: this.prefix, fallbackBudget: this.settings.fallbackBudget, logger: this.logger, onModeChange: this.track(owner) });
      this.pacers.set(key, pacer);
    }
    return pacer;
  }

  tokenProvider(inner: TokenProvider, secret: string | undefined): TokenProvider {
    // Legacy API tokens never expire and need no fetch: nothing to share.
    if (!secret || inner.cacheKey.startsWith('apiToken:')) return inner;
    let provider = this.providers.get(inner.cacheKey);
    if (!provider) {
      const owner = {};
      provider = new SharedTokenProvider(inner, this.client, secret, { prefix: this.prefix, lockTtlMs: this.settings.lockTtlMs, clock: systemClock, logger: this.logger, onModeChange: this.track(owner) });
      this.providers.set(inner.cacheKey, provider);
    }
    return provider;
  }

  close(): void {
    for (const p of this.pacers.values()) p.close();
    this.client.close();
  }
}

/** Wires a PacingPort and a TokenProvider for a client; undefined settings keep per-process. */
export function redisPorts(
  settings: RedisSettings | undefined,
  inner: TokenProvider,
  secret: string | undefined,
  pacing: { budget?: number; windowMs?: number } | undefined,
  logger?: Logger,
): { pacer?: PacingPort; tokenProvider: TokenProvider; sharing?: RedisSharing } {
  if (!settings || !settings.url) return { tokenProvider: inner };
  const sharing = sharedRedis(settings, logger);
  return { pacer: sharing.pacer(pacing?.budget, pacing?.windowMs), tokenProvider: sharing.tokenProvider(inner, secret), sharing };
}
