// The one place a client is built: from the settings a host collected (or, for n8n's OAuth2
// credential, from tokens the host itself holds) to a ServiceClient for any service descriptor,
// wired to the process-wide transport, token providers and pacers (runtime/registry.ts) and, with
// Redis settings, to the budget and tokens shared by every process (docs/scale-out.md).
import type { CloudName } from '../core/clouds';
import { cloudByName, resolveAuthorityHost, TestingEndpoints } from '../core/clouds';
import { MdcaConfigurationError } from '../core/errors';
import { MDCA_RESOURCE_APP_ID } from '../core/service-constants';
import type { Clock, HttpTransport, Logger, PacingPort, Sleep, TokenProvider } from '../core/ports';
import type { RetryOptions } from '../core/retry';
import { ServiceClient, GrantedAccess } from '../core/service-client';
import type { ServiceDescriptor } from '../core/services/descriptor';
import type { AnyOperationDefinition } from '../core/operations/types';
import { AuthSettings, secretsOf, TestingSettings, validateAuthSettings } from './settings';
import { sharedTokenProvider, sharedTransport } from './registry';
import { realSleep, systemClock } from './timers';
import type { ProviderEnvironment } from './token-providers';
import { RedisSettings, sharedRedis } from './redis';
import { servicePacer, ServiceBudget } from './service-pacer';
import { proxySecrets, resolveProxyRoute } from './proxy-settings';

export interface ClientHooks {
  logger?: Logger;
  /** Called with a rotated refresh token so the host can store it (user context). */
  onRefreshToken?: (refreshToken: string) => void;
  /** Replaces the per-process pacer (e.g. a Redis-backed one shared by several processes). */
  pacer?: PacingPort;
  /** Share the tenant budget and the token cache with other processes through Redis (docs/scale-out.md). */
  redis?: RedisSettings;
  /**
   * The client's clock and sleep (waits between retries and while a response action finishes);
   * default the system's. Tests move an emulated clock with them instead of waiting.
   */
  time?: { clock: Clock; sleep: Sleep };
}

/**
 * A credential whose tokens the host holds and refreshes (n8n's OAuth2 credential): the client
 * asks the host for tokens and, for the API origin, may send through the host's own transport,
 * which adds the credential itself.
 */
export interface ExternalAuthentication {
  kind: 'external';
  tokenProvider: TokenProvider;
  transport?: (apiOrigin: string, fallback: HttpTransport) => HttpTransport;
  /** The credential's secret values, scrubbed from anything shown. */
  secrets: () => readonly string[];
  /** The tenant, for the budget key of a shared API host. */
  tenantId?: string;
}

export interface ServiceConnection {
  cloud: CloudName;
  /** The service's API URL as typed (MDCA: the tenant URL; XDR: empty for the cloud's host). */
  apiUrl?: string;
  auth: AuthSettings | ExternalAuthentication;
  testing?: TestingSettings;
  /** The connection's own outbound proxy (http(s)://[user:password@]host:port); default: HTTPS_PROXY / HTTP_PROXY. */
  proxyUrl?: string;
  /** Budget per tenant and process (or across processes with Redis); default: the service's. */
  budget?: ServiceBudget;
  retry?: RetryOptions;
  timeoutMs?: number;
  longTimeoutMs?: number;
}

export function testingEndpoints(settings: { testing?: TestingSettings }): TestingEndpoints | undefined {
  const t = settings.testing;
  if (!t || t.allowHosts.length === 0) return undefined;
  return { allowHosts: t.allowHosts, authorityHost: t.authorityHost };
}

/**
 * Where tokens for `resource` come from, for these settings (the operator's test authority or the
 * cloud's). The default resource is MDCA's, which most callers sign in for.
 */
export function providerEnvironment(settings: { cloud: CloudName; testing?: TestingSettings; proxyUrl?: string }, resource: string = MDCA_RESOURCE_APP_ID): ProviderEnvironment {
  const cloud = cloudByName(settings.cloud);
  const testing = testingEndpoints(settings);
  const proxy = resolveProxyRoute(settings.proxyUrl);
  return {
    ...(proxy ? { proxy } : {}),
    authorityHost: resolveAuthorityHost(cloud, testing),
    customAuthority: Boolean(testing?.authorityHost),
    caPem: settings.testing?.caPem,
    clock: systemClock,
    resource,
  };
}

interface Authentication {
  tokenProvider: TokenProvider;
  secrets: () => readonly string[];
  tenant: string;
  transport?: ExternalAuthentication['transport'];
}

/**
 * The host's transport for the API origin only: its credential must never reach a storage URL the
 * service handed out, a look-alike host or another port.
 */
export function routeToApiOrigin(apiOrigin: string, host: HttpTransport, fallback: HttpTransport): HttpTransport {
  return { send: (request) => (new URL(request.url).origin === apiOrigin ? host.send(request) : fallback.send(request)) };
}

function authentication(service: ServiceDescriptor, settings: ServiceConnection, hooks: ClientHooks, resource: string): Authentication {
  if (settings.auth?.kind === 'external') {
    const { tokenProvider, secrets, tenantId, transport } = settings.auth;
    return { tokenProvider, secrets, transport, tenant: tenantId?.trim().toLowerCase() || 'unknown' };
  }
  if (settings.auth?.kind === 'apiToken') {
    // Refused before any request where the service takes no legacy MDCA token (XDR).
    const refusal = service.permissions.refuse?.({ token: '', scheme: 'Token' }, undefined);
    if (refusal) throw new MdcaConfigurationError('authentication', refusal.message, refusal.hint);
  }
  const auth = validateAuthSettings(settings.auth);
  const secrets = secretsOf(auth);
  let tokenProvider = sharedTokenProvider(auth, providerEnvironment(settings, resource), { onRefreshToken: hooks.onRefreshToken });
  // Secrets a provider learnt itself (the federated assertion it read from its file) are scrubbed too.
  const learnt = tokenProvider as TokenProvider & { knownSecrets?: () => readonly string[] };
  const providerSecrets = (): readonly string[] => (typeof learnt.knownSecrets === 'function' ? learnt.knownSecrets() : []);
  if (hooks.redis?.url) tokenProvider = sharedRedis(hooks.redis, hooks.logger).tokenProvider(tokenProvider, secrets.join('\n'));
  return { tokenProvider, secrets: () => [...secretsOf(auth), ...providerSecrets()], tenant: 'tenantId' in auth && auth.tenantId ? auth.tenantId.toLowerCase() : 'unknown' };
}

export function createServiceClient<D extends AnyOperationDefinition, I extends GrantedAccess>(
  service: ServiceDescriptor<D, I>,
  settings: ServiceConnection,
  hooks: ClientHooks = {},
): ServiceClient<D, I> {
  const cloud = cloudByName(settings.cloud);
  const testing = testingEndpoints(settings);
  const apiOrigin = new URL(service.baseUrl(settings.apiUrl, cloud, testing)).origin;
  const auth = authentication(service, settings, hooks, service.tokenResourceFor?.(apiOrigin, cloud) ?? service.tokenResource);
  const fallback = sharedTransport(settings.testing?.caPem, settings.proxyUrl);
  const transport = auth.transport ? routeToApiOrigin(apiOrigin, auth.transport(apiOrigin, fallback), fallback) : fallback;
  return new ServiceClient(service, {
    cloud,
    apiUrl: settings.apiUrl,
    transport,
    tokenProvider: auth.tokenProvider,
    clock: hooks.time?.clock ?? systemClock,
    sleep: hooks.time?.sleep ?? realSleep,
    pacer: hooks.pacer ?? servicePacer(service, settings.budget, hooks.redis, hooks.logger),
    budgetKey: service.defaultBudgetKey ? `${service.id}:${auth.tenant}` : undefined,
    logger: hooks.logger,
    retry: settings.retry,
    timeoutMs: settings.timeoutMs,
    longTimeoutMs: settings.longTimeoutMs,
    testing,
    knownSecrets: () => [...auth.secrets(), ...proxySecrets(settings.proxyUrl)],
  });
}
