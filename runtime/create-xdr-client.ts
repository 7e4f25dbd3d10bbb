// Builds an XdrClient (Defender XDR incidents and advanced hunting) from the same connection
// settings as createMdcaClient: same credential kinds except the legacy MDCA API token, tokens for
// https://api.security.microsoft.com from a provider of their own (the fingerprint includes the
// resource), one XDR pacing budget per tenant and process — or, with Redis settings,
// one budget and one token per tenant across every process that points at the same Redis.
import { cloudByName, XDR_RESOURCE } from '../core/clouds';
import { MdcaConfigurationError } from '../core/errors';
import type { Logger, PacingPort } from '../core/ports';
import { XdrClient } from '../core/xdr/client';
import { XDR_DEFAULT_PACING, XdrPacer, XdrPacingOptions } from '../core/xdr/pacing';
import { RedisSettings, sharedRedis } from './redis';
import { ClientHooks, providerEnvironment, testingEndpoints } from './create-client';
import { sharedTokenProvider, sharedTransport } from './registry';
import { ConnectionSettings, secretsOf, validateAuthSettings } from './settings';
import { realSleep, systemClock } from './timers';

export interface XdrConnectionOptions {
  /** XDR API origin override (testing hosts only; default: the cloud's XDR host). */
  xdrApiUrl?: string;
  /** Per-minute / per-hour budgets (default 45 / 1,400 per tenant). */
  xdrPacing?: XdrPacingOptions;
  /** Per-attempt timeout of hunting queries (default 200 s). */
  huntingTimeoutMs?: number;
}

const xdrPacers = new Map<string, PacingPort>();

/** The XDR pacer of this process, or with Redis settings the one shared by every process. */
export function sharedXdrPacer(options: XdrPacingOptions = {}, redis?: RedisSettings, logger?: Logger): PacingPort {
  if (redis?.url) {
    const sharing = sharedRedis(redis, logger);
    return new XdrPacer(systemClock, realSleep, options, {
      minute: sharing.pacer(options.perMinute ?? XDR_DEFAULT_PACING.perMinute, options.minuteWindowMs ?? 60_000),
      hour: sharing.pacer(options.perHour ?? XDR_DEFAULT_PACING.perHour, options.hourWindowMs ?? 3_600_000),
    });
  }
  const key = JSON.stringify([options.perMinute, options.perHour, options.minuteWindowMs, options.hourWindowMs]);
  let pacer = xdrPacers.get(key);
  if (!pacer) {
    pacer = new XdrPacer(systemClock, realSleep, options);
    xdrPacers.set(key, pacer);
  }
  return pacer;
}

export function createXdrClient(settings: ConnectionSettings & XdrConnectionOptions, hooks: ClientHooks = {}): XdrClient {
  if (settings.auth?.kind === 'apiToken') {
    throw new MdcaConfigurationError(
      'authentication',
      'A legacy MDCA API token cannot call the Defender XDR API.',
      'Use an Entra app (client secret or certificate) or a user sign-in, with the "Microsoft Threat Protection" permissions (Incident.ReadWrite.All, AdvancedHunting.Read.All) and admin consent.',
    );
  }
  const auth = validateAuthSettings(settings.auth);
  const cloud = cloudByName(settings.cloud);
  const env = providerEnvironment(settings, XDR_RESOURCE);
  const tenant = 'tenantId' in auth ? auth.tenantId.toLowerCase() : 'unknown';
  let tokenProvider = sharedTokenProvider(auth, env, { onRefreshToken: hooks.onRefreshToken });
  if (hooks.redis?.url) tokenProvider = sharedRedis(hooks.redis, hooks.logger).tokenProvider(tokenProvider, secretsOf(auth).join('\n'));
  return new XdrClient({
    cloud,
    apiUrl: settings.xdrApiUrl,
    transport: sharedTransport(settings.testing?.caPem),
    tokenProvider,
    clock: systemClock,
    sleep: realSleep,
    pacer: hooks.pacer ?? sharedXdrPacer(settings.xdrPacing, hooks.redis, hooks.logger),
    budgetKey: `xdr:${tenant}`,
    logger: hooks.logger,
    retry: settings.retry,
    timeoutMs: settings.timeoutMs,
    huntingTimeoutMs: settings.huntingTimeoutMs,
    testing: testingEndpoints(settings),
    knownSecrets: () => secretsOf(auth),
  });
}
