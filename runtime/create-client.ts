// Builds an MdcaClient from the settings a host collected, wiring the shared ports.
import { MdcaClient } from '../core/client';
import { cloudByName, MDCA_RESOURCE_APP_ID, resolveAuthorityHost, TestingEndpoints } from '../core/clouds';
import type { Logger, PacingPort } from '../core/ports';
import { ConnectionSettings, secretsOf, validateAuthSettings } from './settings';
import { sharedPacer, sharedTokenProvider, sharedTransport } from './registry';
import { realSleep, systemClock } from './timers';
import type { ProviderEnvironment } from './token-providers';
import { redisPorts, RedisSettings } from './redis';

export interface ClientHooks {
  logger?: Logger;
  /** Called with a rotated refresh token so the host can store it (user context). */
  onRefreshToken?: (refreshToken: string) => void;
  /** Replaces the per-process pacer (e.g. a Redis-backed one shared by several processes). */
  pacer?: PacingPort;
  /** Share the tenant budget and the token cache with other processes through Redis (docs/scale-out.md). */
  redis?: RedisSettings;
}

export function providerEnvironment(settings: ConnectionSettings, resource = MDCA_RESOURCE_APP_ID): ProviderEnvironment {
  const cloud = cloudByName(settings.cloud);
  const testing = testingEndpoints(settings);
  return {
    authorityHost: resolveAuthorityHost(cloud, testing),
    customAuthority: Boolean(testing?.authorityHost),
    caPem: settings.testing?.caPem,
    clock: systemClock,
    resource,
  };
}

export function testingEndpoints(settings: ConnectionSettings): TestingEndpoints | undefined {
  const t = settings.testing;
  if (!t || t.allowHosts.length === 0) return undefined;
  return { allowHosts: t.allowHosts, authorityHost: t.authorityHost };
}

export function createMdcaClient(settings: ConnectionSettings, hooks: ClientHooks = {}): MdcaClient {
  const auth = validateAuthSettings(settings.auth);
  const cloud = cloudByName(settings.cloud);
  const env = providerEnvironment(settings);
  const shared = redisPorts(hooks.redis, sharedTokenProvider(auth, env, { onRefreshToken: hooks.onRefreshToken }), secretsOf(auth).join('\n'), settings.pacing, hooks.logger);
  return new MdcaClient({
    cloud,
    apiUrl: settings.apiUrl,
    transport: sharedTransport(settings.testing?.caPem),
    tokenProvider: shared.tokenProvider,
    clock: systemClock,
    sleep: realSleep,
    pacer: hooks.pacer ?? shared.pacer ?? sharedPacer(settings.pacing?.budget, settings.pacing?.windowMs),
    logger: hooks.logger,
    retry: settings.retry,
    timeoutMs: settings.timeoutMs,
    testing: testingEndpoints(settings),
    knownSecrets: () => secretsOf(auth),
  });
}
