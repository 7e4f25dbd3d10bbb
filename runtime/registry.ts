// Process-wide sharing: one token provider per credential (so every node using it shares one
// token cache, and a Node-RED redeploy reuses it instead of asking for a new token) and one
// transport per trusted-CA set. Pacers per budget live in runtime/service-pacer.ts.
import crypto from 'node:crypto';
import type { HttpTransport, TokenProvider } from '../core/ports';
import type { AuthSettings } from './settings';
import { createAxiosTransport } from './axios-transport';
import { resolveProxyRoute } from './proxy-settings';
import { createTokenProvider, ProviderEnvironment, TokenProviderOptions } from './token-providers';
import { createAzureIdentityProvider, isAzureIdentity } from './azure-identity';

const providers = new Map<string, TokenProvider>();
const transports = new Map<string, HttpTransport>();

/** A stable, secret-free key for a credential: a hash over everything that identifies it. */
export function credentialFingerprint(auth: AuthSettings, env: Pick<ProviderEnvironment, 'authorityHost' | 'resource' | 'proxy'>): string {
  // The proxy counts only when there is one, so the keys of direct connections stay as they were.
  const proxy = env.proxy ? { proxy: env.proxy.key } : {};
  const hash = crypto.createHash('sha256').update(JSON.stringify({ auth, authority: env.authorityHost, resource: env.resource ?? '', ...proxy })).digest('hex');
  return `${auth.kind}:${hash.slice(0, 32)}`;
}

export function sharedTokenProvider(auth: AuthSettings, env: ProviderEnvironment, options: TokenProviderOptions = {}): TokenProvider {
  const key = credentialFingerprint(auth, env);
  let provider = providers.get(key);
  if (!provider) {
    provider = isAzureIdentity(auth) ? createAzureIdentityProvider(auth, env, key) : createTokenProvider(auth, env, key, options);
    providers.set(key, provider);
  }
  return provider;
}

/** Forgets a credential's provider (Node-RED calls this when a config node is removed). */
export function evictTokenProvider(key: string): void {
  providers.delete(key);
}

/**
 * The transport of a trusted-CA set and a proxy route: the connection's own proxy URL, else the
 * process environment's (read on each call, so a changed environment applies to new clients).
 */
export function sharedTransport(caPem?: string, proxyUrl?: string): HttpTransport {
  const proxy = resolveProxyRoute(proxyUrl);
  const ca = caPem ? crypto.createHash('sha256').update(caPem).digest('hex') : 'system';
  const key = `${ca}|${proxy?.key ?? 'direct'}`;
  let transport = transports.get(key);
  if (!transport) {
    transport = createAxiosTransport({ caPem, proxy });
    transports.set(key, transport);
  }
  return transport;
}
