// Token providers on @azure/msal-node for app and user context, plus the legacy API token.
// One provider per credential per process (see registry.ts), single-flight: concurrent cold
// calls share one token request, because msal does not merge them (bench/tokens.ts measures both).
import crypto from 'node:crypto';
import {
  ConfidentialClientApplication,
  Configuration,
  PublicClientApplication,
  AccountInfo,
  AuthenticationResult,
  INetworkModule,
  NetworkRequestOptions,
  NetworkResponse,
  LogLevel,
} from '@azure/msal-node';
import axios from 'axios';
import type { AccessToken, Clock, ProxyFailure, TokenProvider, TokenRequestOptions } from '../core/ports';
import { MDCA_RESOURCE_APP_ID, XDR_RESOURCE } from '../core/clouds';
import { XDR_DELEGATED_SCOPES } from '../core/service-constants';
import { MdcaAuthError, MdcaCancelledError, MdcaConfigurationError, MdcaError, MdcaNetworkError, MdcaThrottledError, proxyError } from '../core/errors';
import { permissionNames } from '../core/permissions';
import { redact, safeServiceMessage } from '../core/redact';
import type { AuthSettings } from './settings';
import { trustedCas } from './axios-transport';
import type { ProxyRoute } from './proxy-settings';
import { ProxyTunnelAgent, proxyFailureOf } from './proxy-tunnel';

export interface ProviderEnvironment {
  /** Authority origin, e.g. https://login.microsoftonline.com (or the emulator's). */
  authorityHost: string;
  /** True when the authority is a testing override (msal then needs knownAuthorities). */
  customAuthority: boolean;
  caPem?: string;
  /** The outbound proxy of token requests (the same as the API calls'); none: direct. */
  proxy?: ProxyRoute;
  clock: Clock;
  /** Resource app id or URI the token is for. */
  resource?: string;
}

export const APP_SCOPE = `${MDCA_RESOURCE_APP_ID}/.default`;
export const DELEGATED_SCOPES = [...permissionNames.map((p) => `${MDCA_RESOURCE_APP_ID}/${p}`)];

/** Refresh this long before expiry; msal uses the same 5-minute offset. */
const REFRESH_SKEW_MS = 5 * 60_000;

/** What the identity endpoint last answered: msal hides it behind endpoints_resolution_error. */
export type IdentityObservation = { kind: 'network'; code: string } | { kind: 'response'; status: number; aadsts?: string } | { kind: 'proxy'; failure: ProxyFailure };

/**
 * msal network client over axios, so a local CA can be trusted without disabling TLS checks, and
 * token requests take the same outbound proxy as the API calls (msal's own `proxyUrl` is unused).
 */
export function msalNetworkClient(caPem?: string, observe?: (o: IdentityObservation) => void, proxy?: ProxyRoute): INetworkModule {
  const agent = new ProxyTunnelAgent(proxy, { keepAlive: true, ca: trustedCas(caPem) });
  const http = axios.create({ httpsAgent: agent, maxRedirects: 0, validateStatus: () => true, proxy: false, timeout: 30_000 });
  const toResponse = <T>(r: { headers: unknown; data: unknown; status: number }): NetworkResponse<T> => {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries((r.headers ?? {}) as Record<string, unknown>)) headers[k.toLowerCase()] = String(v);
    let body = r.data;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        body = {};
      }
    }
    const codes = (body as { error_codes?: unknown })?.error_codes;
    // Only a number is an Entra error code; anything else in error_codes is service text.
    const first = Array.isArray(codes) ? String(codes[0] ?? '') : '';
    observe?.({ kind: 'response', status: r.status, aadsts: /^\d{1,10}$/.test(first) ? `AADSTS${first}` : undefined });
    return { headers, body: body as T, status: r.status };
  };
  return {
    async sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number) {
      try {
        return toResponse<T>(await http.get(url, { headers: options?.headers, timeout }));
      } catch (error) {
        throw identityNetworkError(error, observe);
      }
    },
    async sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions) {
      try {
        return toResponse<T>(await http.post(url, options?.body, { headers: options?.headers }));
      } catch (error) {
        throw identityNetworkError(error, observe);
      }
    },
  };
}

function identityNetworkError(error: unknown, observe?: (o: IdentityObservation) => void): Error {
  const failure = proxyFailureOf(error);
  if (failure) {
    observe?.({ kind: 'proxy', failure });
    return new Error(`identity endpoint unreachable (proxy ${failure.problem})`);
  }
  const code = (error as { code?: string; cause?: { code?: string } })?.cause?.code ?? (error as { code?: string })?.code ?? 'UNKNOWN';
  observe?.({ kind: 'network', code });
  // A fresh, secret-free error: the axios error holds the token request body.
  return new Error(`identity endpoint unreachable (${code})`);
}

export function msalConfiguration(env: ProviderEnvironment, clientId: string, tenantId: string, observe?: (o: IdentityObservation) => void): Configuration {
  const host = new URL(env.authorityHost).host;
  return {
    auth: {
      clientId,
      authority: `${env.authorityHost}/${encodeURIComponent(tenantId)}`,
      ...(env.customAuthority ? { knownAuthorities: [host] } : {}),
    },
    system: {
      networkClient: msalNetworkClient(env.caPem, observe, env.proxy),
      loggerOptions: { loggerCallback: () => undefined, piiLoggingEnabled: false, logLevel: LogLevel.Error },
    },
  };
}

/** Shared single-flight and cache logic; subclasses only know how to ask msal. */
export abstract class CachedTokenProvider implements TokenProvider {
  private cached: AccessToken | undefined;
  private inflight: Promise<AccessToken> | undefined;
  private inflightForced = false;
  private blockedUntil = 0;
  tokenRequests = 0;

  /** The credential's secrets plus every token issued for it: all are scrubbed from identity errors by value. */
  private readonly secrets: string[];
  private readonly credentialSecrets: number;

  constructor(
    readonly cacheKey: string,
    protected readonly env: ProviderEnvironment,
    secrets: readonly string[],
  ) {
    // The proxy's password is scrubbed too: a proxy or the identity service could echo it.
    this.secrets = [...secrets, ...(env.proxy?.secrets ?? [])];
    this.credentialSecrets = this.secrets.length;
  }

  /** A token or refresh token this provider learnt: the identity service could echo it later. */
  protected rememberSecret(value: string | undefined): void {
    if (!value || this.secrets.includes(value)) return;
    this.secrets.push(value);
    // Rotated refresh tokens and access tokens pile up over a long run: keep the recent ones.
    if (this.secrets.length > this.credentialSecrets + 8) this.secrets.splice(this.credentialSecrets, 1);
  }

  async getToken(options: TokenRequestOptions = {}): Promise<AccessToken> {
    if (options.signal?.aborted) throw new MdcaCancelledError();
    const now = this.env.clock.now();
    if (!options.forceRefresh && this.cached?.expiresOnMs !== undefined && this.cached.expiresOnMs - now > REFRESH_SKEW_MS) return this.cached;
    if (this.inflight && (this.inflightForced || !options.forceRefresh)) return this.inflight;
    if (now < this.blockedUntil) {
      // Token endpoint throttled us: send nothing until its window ends (it would only be refused).
      throw new MdcaThrottledError('Entra ID is throttling token requests for this credential.', `Wait ${Math.ceil((this.blockedUntil - now) / 1000)} s.`, { retryAfterMs: this.blockedUntil - now, status: 429 });
    }
    this.inflightForced = options.forceRefresh === true;
    const attempt = (async () => {
      try {
        this.tokenRequests++;
        const result = await this.acquire(options.forceRefresh === true);
        if (!result?.accessToken) throw new MdcaAuthError('Entra ID returned no access token.', 'Check the app registration.');
        this.rememberSecret(result.accessToken);
        const token: AccessToken = { token: result.accessToken, scheme: 'Bearer', expiresOnMs: result.expiresOn ? result.expiresOn.getTime() : now + 3_000_000 };
        this.cached = token;
        return token;
      } catch (error) {
        throw this.mapError(error);
      } finally {
        this.inflight = undefined;
      }
    })();
    this.inflight = attempt;
    return attempt;
  }

  protected abstract acquire(force: boolean): Promise<AuthenticationResult | null>;

  private lastObservation: IdentityObservation | undefined;

  protected msalConfig(clientId: string, tenantId: string): Configuration {
    return msalConfiguration(this.env, clientId, tenantId, (o) => {
      this.lastObservation = o;
    });
  }

  protected mapError(error: unknown): MdcaError {
    if (error instanceof MdcaError) return error;
    const e = error as { errorCode?: string; errorMessage?: string; message?: string; status?: number; subError?: string };
    // Scrubbed before anything is cut short, so that no piece of a secret survives a length limit.
    const raw = redact(`${e.errorMessage ?? e.message ?? ''}`, this.secrets);
    const aadsts = /AADSTS\d+/.exec(raw)?.[0];
    const firstSentence = raw.replace(/Trace ID:[\s\S]*/i, '').replace(/\s+/g, ' ').trim().slice(0, 300);
    const text = safeServiceMessage(firstSentence, this.secrets);
    // msal's error code is the token endpoint's `error` field: service text like any other.
    const errorCode = e.errorCode ? safeServiceMessage(e.errorCode, this.secrets).slice(0, 120) : '';
    if (e.status === 429 || /throttl/i.test(errorCode) || e.status === 503) {
      const retryAfterMs = 60_000;
      this.blockedUntil = this.env.clock.now() + retryAfterMs;
      return new MdcaThrottledError(`Entra ID throttled the token request${text ? `: ${text}` : ''}.`, 'Wait a minute before running again.', { status: e.status ?? 429, retryAfterMs, identityCode: aadsts });
    }
    const observed = this.lastObservation;
    if (observed?.kind === 'proxy') return proxyError(observed.failure);
    if (e.errorCode === 'endpoints_resolution_error' && observed?.kind === 'response') {
      // The identity service answered but would not describe this tenant: usually a wrong
      // tenant id or cloud (Entra answers AADSTS90002 there).
      return new MdcaAuthError(
        `Entra ID could not find the tenant${observed.aadsts ? ` (${observed.aadsts})` : ''}.`,
        authHint(observed.aadsts ?? 'AADSTS90002'),
        { identityCode: observed.aadsts, status: observed.status },
      );
    }
    if (/unreachable|ENOTFOUND|ECONNREFUSED|endpoints_resolution_error|network/i.test(`${raw} ${errorCode}`)) {
      const code = observed?.kind === 'network' ? observed.code : errorCode || 'network error';
      return new MdcaNetworkError(
        `Could not reach the identity service (${safeServiceMessage(code, this.secrets)}).`,
        'Check network access to login.microsoftonline.com (or .us for GCC High). A TLS error means the certificate is not trusted.',
        { identityCode: aadsts },
      );
    }
    return new MdcaAuthError(
      `Entra ID refused the sign-in${errorCode ? ` (${errorCode})` : ''}${text ? `: ${text}` : ''}.`,
      authHint(aadsts),
      { identityCode: aadsts, status: e.status },
    );
  }
}

/** Entra error codes users meet, with the fix; authHint and the troubleshooting page use it. */
export const identityErrorHints: Record<string, string> = {
  AADSTS7000215: 'The client secret is wrong: copy the secret\'s Value (not its Secret ID) from Certificates & secrets, or create a new one.',
  AADSTS7000222: 'The client secret has expired: create a new one under Certificates & secrets.',
  AADSTS700016: 'No app with this Application (client) ID exists in this tenant: check the client id and tenant id, or grant admin consent in the customer tenant (multi-tenant apps).',
  AADSTS90002: 'The tenant was not found: check the Directory (tenant) ID and the cloud.',
  AADSTS50126: 'Wrong user name or password.',
  AADSTS50076: 'This user needs multi-factor authentication, which the password flow cannot do: use the device code sign-in (Node-RED) or the OAuth2 credential (n8n), or exclude the service account via conditional access.',
  AADSTS50079: 'This user must register for multi-factor authentication, which the password flow cannot do: use the device code sign-in (Node-RED) or the OAuth2 credential (n8n).',
  AADSTS53003: 'Conditional access blocked the sign-in: ask your identity admin to allow this app or location.',
  AADSTS700024: 'The certificate assertion is outside its valid time: check the machine clock.',
  AADSTS700027: 'The certificate does not match the one uploaded to the app registration: upload this certificate or use the matching private key.',
  AADSTS65001: 'Consent is missing: grant admin consent for the API permissions of the app registration.',
  AADSTS7000218: 'The app requires a secret or certificate: allow public client flows in the app registration (Authentication > Advanced settings) for user sign-in.',
  AADSTS70000: 'The refresh token is invalid or expired: sign in again with the device code flow.',
  AADSTS9002313: 'The refresh token is invalid: sign in again with the device code flow.',
  AADSTS700082: 'The refresh token expired because it was not used for 90 days: sign in again.',
  AADSTS70021: 'No federated credential of the app matches the token in AZURE_FEDERATED_TOKEN_FILE: add one whose issuer, subject and audience (api://AzureADTokenExchange) are the token\'s (AKS: the cluster\'s OIDC issuer and system:serviceaccount:<namespace>:<service account>).',
  AADSTS700211: 'The issuer of the federated token is not one the app trusts: check the issuer of the app\'s federated credential (AKS: the cluster\'s OIDC issuer URL).',
  AADSTS700212: 'The audience of the federated token is not one the app trusts: use api://AzureADTokenExchange on both sides.',
  AADSTS700213: 'The subject of the federated token is not one the app trusts: check the subject of the app\'s federated credential (AKS: system:serviceaccount:<namespace>:<service account>).',
  AADSTS50027: 'The federated token in AZURE_FEDERATED_TOKEN_FILE is not a valid JWT: check what the platform writes to that file.',
};

export function authHint(aadsts: string | undefined): string {
  return (aadsts && identityErrorHints[aadsts]) || 'Check the tenant id, client id and the secret, certificate or password.';
}

class ClientSecretProvider extends CachedTokenProvider {
  private readonly app: ConfidentialClientApplication;

  constructor(key: string, env: ProviderEnvironment, auth: Extract<AuthSettings, { kind: 'appSecret' }>) {
    super(key, env, [auth.clientSecret]);
    const config = this.msalConfig(auth.clientId, auth.tenantId);
    this.app = new ConfidentialClientApplication({ ...config, auth: { ...config.auth, clientSecret: auth.clientSecret } });
  }

  protected acquire(force: boolean) {
    return this.app.acquireTokenByClientCredential({ scopes: [scopeFor(this.env)], skipCache: force });
  }
}

class CertificateProvider extends CachedTokenProvider {
  private readonly app: ConfidentialClientApplication;

  constructor(key: string, env: ProviderEnvironment, auth: Extract<AuthSettings, { kind: 'appCertificate' }>) {
    super(key, env, [auth.privateKeyPem, ...(auth.privateKeyPassphrase ? [auth.privateKeyPassphrase] : [])]);
    let certificate: crypto.X509Certificate;
    let privateKey: string;
    try {
      certificate = new crypto.X509Certificate(auth.certificatePem);
    } catch {
      throw new MdcaConfigurationError('certificatePem', 'The certificate could not be read.', 'Paste the PEM certificate including the BEGIN/END lines.');
    }
    try {
      privateKey = crypto
        .createPrivateKey({ key: auth.privateKeyPem, passphrase: auth.privateKeyPassphrase })
        .export({ format: 'pem', type: 'pkcs8' })
        .toString();
    } catch {
      throw new MdcaConfigurationError('privateKeyPem', 'The private key could not be read (wrong format or passphrase).', 'Paste the PEM private key; give the passphrase if it is encrypted.');
    }
    if (!certificate.checkPrivateKey(crypto.createPrivateKey(privateKey))) {
      throw new MdcaConfigurationError('privateKeyPem', 'The private key does not belong to the certificate.', 'Use the key pair the certificate was made from.');
    }
    const thumbprintSha256 = certificate.fingerprint256.replace(/:/g, '').toLowerCase();
    const x5c = certificate.toString();
    const config = this.msalConfig(auth.clientId, auth.tenantId);
    this.app = new ConfidentialClientApplication({ ...config, auth: { ...config.auth, clientCertificate: { thumbprintSha256, privateKey, x5c } } });
  }

  protected acquire(force: boolean) {
    return this.app.acquireTokenByClientCredential({ scopes: [scopeFor(this.env)], skipCache: force });
  }
}

/** Delegated flows: the first token by password or refresh token, later ones silently. */
class DelegatedProvider extends CachedTokenProvider {
  private readonly app: PublicClientApplication;
  private account: AccountInfo | null = null;

  constructor(
    key: string,
    env: ProviderEnvironment,
    private readonly auth: Extract<AuthSettings, { kind: 'userPassword' | 'refreshToken' }>,
    private readonly onRefreshToken?: (refreshToken: string) => void,
  ) {
    super(key, env, [auth.kind === 'userPassword' ? auth.password : auth.refreshToken]);
    this.app = new PublicClientApplication(this.msalConfig(auth.clientId, auth.tenantId));
  }

  protected async acquire(force: boolean) {
    const scopes = delegatedScopesFor(this.env);
    if (this.account) {
      try {
        const silent = await this.app.acquireTokenSilent({ account: this.account, scopes, forceRefresh: force });
        this.rememberSecret(latestRefreshToken(this.app));
        return silent;
      } catch {
        // Fall through to the original grant (the cached refresh token may be gone).
      }
    }
    const result =
      this.auth.kind === 'userPassword'
        ? await this.app.acquireTokenByUsernamePassword({ scopes, username: this.auth.username, password: this.auth.password })
        : await this.app.acquireTokenByRefreshToken({ scopes, refreshToken: this.auth.refreshToken, forceCache: true });
    this.account = result?.account ?? null;
    const rotated = latestRefreshToken(this.app);
    this.rememberSecret(rotated);
    if (this.onRefreshToken && rotated) this.onRefreshToken(rotated);
    return result;
  }
}

class LegacyTokenProvider implements TokenProvider {
  constructor(
    readonly cacheKey: string,
    private readonly token: string,
  ) {}

  async getToken(): Promise<AccessToken> {
    return { token: this.token, scheme: 'Token' };
  }
}

export function scopeFor(env: ProviderEnvironment): string {
  return `${env.resource ?? MDCA_RESOURCE_APP_ID}/.default`;
}

// Delegated Defender XDR scopes come from core/service-constants.ts, like the credential's OAuth2 scope.
export { XDR_DELEGATED_SCOPES };

function delegatedScopesFor(env: ProviderEnvironment): string[] {
  if (env.resource === XDR_RESOURCE) return XDR_DELEGATED_SCOPES;
  if (env.resource && env.resource !== MDCA_RESOURCE_APP_ID) return [`${env.resource}/.default`];
  return DELEGATED_SCOPES;
}

/** msal keeps refresh tokens private; the serialized cache is the supported way to read one. */
export function latestRefreshToken(app: PublicClientApplication): string | undefined {
  try {
    const cache = JSON.parse(app.getTokenCache().serialize()) as { RefreshToken?: Record<string, { secret?: string }> };
    const entries = Object.values(cache.RefreshToken ?? {});
    return entries[entries.length - 1]?.secret;
  } catch {
    return undefined;
  }
}

export interface TokenProviderOptions {
  onRefreshToken?: (refreshToken: string) => void;
}

export function createTokenProvider(auth: AuthSettings, env: ProviderEnvironment, cacheKey: string, options: TokenProviderOptions = {}): TokenProvider {
  switch (auth.kind) {
    case 'appSecret':
      return new ClientSecretProvider(cacheKey, env, auth);
    case 'appCertificate':
      return new CertificateProvider(cacheKey, env, auth);
    case 'userPassword':
    case 'refreshToken':
      return new DelegatedProvider(cacheKey, env, auth, options.onRefreshToken);
    case 'apiToken':
      return new LegacyTokenProvider(cacheKey, auth.token);
    default:
      throw new MdcaConfigurationError('authentication', 'Unknown authentication kind.', 'Choose a supported sign-in method.');
  }
}

export interface DeviceCodePrompt {
  userCode: string;
  verificationUri: string;
  message: string;
  expiresInSeconds: number;
}

/**
 * Interactive device-code sign-in for user context: calls `onPrompt` with the code and URL to
 * show, waits for the user, and returns the refresh token to store in the host's credentials.
 */
export async function signInWithDeviceCode(
  settings: { tenantId: string; clientId: string },
  env: ProviderEnvironment,
  onPrompt: (prompt: DeviceCodePrompt) => void,
  signal?: AbortSignal,
): Promise<{ refreshToken: string; username?: string; expiresOnMs?: number }> {
  const app = new PublicClientApplication(msalConfiguration(env, settings.clientId, settings.tenantId));
  const request = {
    scopes: delegatedScopesFor(env),
    deviceCodeCallback: (response: { userCode: string; verificationUri: string; message: string; expiresIn: number }) =>
      onPrompt({ userCode: response.userCode, verificationUri: response.verificationUri, message: response.message, expiresInSeconds: response.expiresIn }),
    cancel: false,
  };
  signal?.addEventListener('abort', () => {
    request.cancel = true;
  });
  try {
    const result = await app.acquireTokenByDeviceCode(request);
    const refreshToken = latestRefreshToken(app);
    if (!refreshToken) throw new MdcaAuthError('Sign-in finished but Entra ID returned no refresh token.', 'Make sure the app registration allows public client flows and offline access.');
    return { refreshToken, username: result?.account?.username, expiresOnMs: result?.expiresOn?.getTime() };
  } catch (error) {
    if (error instanceof MdcaError) throw error;
    const e = error as { errorCode?: string; errorMessage?: string; message?: string };
    const aadsts = /AADSTS\d+/.exec(e.errorMessage ?? e.message ?? '')?.[0];
    throw new MdcaAuthError(`Device code sign-in failed${e.errorCode ? ` (${safeServiceMessage(e.errorCode)})` : ''}.`, authHint(aadsts), { identityCode: aadsts });
  }
}
