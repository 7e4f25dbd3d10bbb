// The Entra ID token endpoint (v1 `/oauth2/token`, v2 `/oauth2/v2.0/token`) and device-code
// endpoint, for the grants MDCA automation uses (client credentials, password, refresh token,
// device code).
import { randomUUID } from 'crypto';
import { EmulatorClock } from '../clock';
import { Fault, FaultQueue, isDelayFault, isResponseFault } from '../faults';
import { base64url, decodeJwt, JsonObject, signJwt, verifyJwtSignature } from '../jwt';
import { MDCA_PERMISSIONS, MDCA_RESOURCE_APP_ID } from '../seed-credentials';
import { DeviceCodeStore } from './device-codes';
import { AAD, AadError } from './errors';
import { AppRegistration, IdentityRegistry, randomToken, UserRegistration } from './registry';
import { canonicalXdrPermission, XDR_AUDIENCE } from '../xdr/constants';
import { canonicalGraphPermission, GRAPH_AUDIENCE } from '../graph/constants';
import { canonicalMdePermission, isMdeAudience, MDE_AUDIENCES } from '../mde/constants';
import { managedIdentityToken, ManagedIdentityRequest, mintFederatedToken, verifyFederatedAssertion } from './managed-identity';

export interface TokenServiceOptions {
  tokenLifetimeSeconds: number;
  refreshTokenLifetimeSeconds: number;
  deviceCodeLifetimeSeconds: number;
  deviceCodeIntervalSeconds: number;
}

export interface TokenRequestRecord {
  at: number;
  tenantId: string;
  clientId: string;
  grant: string;
  endpoint: 'v1' | 'v2' | 'devicecode' | 'imds' | 'appService';
  status: number;
  error?: string;
}

export interface TokenEndpointResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** raw body for faults with non-JSON content */
  rawBody?: string;
  contentType?: string;
  delayMs?: number;
}

interface RefreshTokenState {
  tenantId: string;
  clientId: string;
  oid: string;
  audience: string;
  permissions: string[];
  oidcScopes: string[];
  expiresAt: number;
}

const OIDC_SCOPES = ['openid', 'profile', 'offline_access', 'email'];
export const ACCEPTED_AUDIENCES = [MDCA_RESOURCE_APP_ID, `api://${MDCA_RESOURCE_APP_ID}`];
/** Every audience the token endpoint issues for: MDCA, plus the Defender XDR API, Microsoft Graph and Defender for Endpoint. */
const TOKEN_AUDIENCES = [...ACCEPTED_AUDIENCES, XDR_AUDIENCE, GRAPH_AUDIENCE, ...MDE_AUDIENCES];

/** Permission names of an audience, canonical spelling. */
const canonicalFor = (audience: string, name: string): string | undefined =>
  audience === XDR_AUDIENCE ? canonicalXdrPermission(name) : audience === GRAPH_AUDIENCE ? canonicalGraphPermission(name) : isMdeAudience(audience) ? canonicalMdePermission(name) : canonicalPermission(name);

/** What an app holds for an audience: application roles, delegated permissions. */
const grantsOf = (app: AppRegistration, audience: string): { roles: string[]; delegated: string[] } =>
  audience === XDR_AUDIENCE
    ? { roles: app.xdrRoles ?? [], delegated: app.xdrDelegated ?? [] }
    : audience === GRAPH_AUDIENCE
      ? { roles: app.graphRoles ?? [], delegated: app.graphDelegated ?? [] }
      : isMdeAudience(audience)
        ? { roles: app.mdeRoles ?? [], delegated: app.mdeDelegated ?? [] }
        : { roles: app.roles, delegated: app.delegated };

interface RequestedScopes {
  audience: string;
  permissions: string[]; // canonical names
  isDefault: boolean;
  oidc: string[];
}

const canonicalPermission = (name: string): string | undefined => MDCA_PERMISSIONS.find((p) => p.toLowerCase() === name.toLowerCase());

/** Splits `<resource>/<permission>` scopes; `undefined` when a scope names another resource or permission. */
function parseScopes(scope: string): RequestedScopes | { invalid: string } {
  const out: RequestedScopes = { audience: MDCA_RESOURCE_APP_ID, permissions: [], isDefault: false, oidc: [] };
  for (const item of scope.split(/\s+/).filter(Boolean)) {
    if (OIDC_SCOPES.includes(item.toLowerCase())) {
      out.oidc.push(item.toLowerCase());
      continue;
    }
    const slash = item.lastIndexOf('/');
    const resource = slash > 0 ? item.slice(0, slash) : '';
    const name = item.slice(slash + 1);
    const audience = TOKEN_AUDIENCES.find((a) => a.toLowerCase() === resource.toLowerCase());
    if (!audience) return { invalid: item };
    out.audience = audience;
    if (name === '.default') out.isDefault = true;
    else {
      const perm = canonicalFor(audience, name);
      if (!perm) return { invalid: item };
      out.permissions.push(perm);
    }
  }
  return out;
}

export class TokenService {
  readonly deviceCodes = new DeviceCodeStore();
  readonly faults = new FaultQueue();
  readonly requests: TokenRequestRecord[] = [];
  private refreshTokens = new Map<string, RefreshTokenState>();
  /** What the emulated App Service platform puts in IDENTITY_HEADER for its endpoint. */
  readonly identityHeader = `emulator-identity-header-${randomToken(16)}`;

  constructor(
    private readonly registry: IdentityRegistry,
    private readonly clock: EmulatorClock,
    public options: TokenServiceOptions,
    private readonly issuerBase: () => string,
  ) {}

  private record(rec: Omit<TokenRequestRecord, 'at'>): void {
    this.requests.push({ at: Date.now(), ...rec });
  }

  /** Token endpoint: form fields already parsed; `authorization` is the raw header (Basic client auth). */
  handleToken(tenantSegment: string, endpoint: 'v1' | 'v2', form: Record<string, string>, authorization: string | undefined, requestUrl: string): TokenEndpointResult {
    let clientId = form.client_id ?? '';
    let clientSecret = form.client_secret;
    const basic = /^Basic\s+(.+)$/i.exec(authorization ?? '');
    if (basic) {
      const [id, ...rest] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
      clientId = clientId || decodeURIComponent(id);
      clientSecret = clientSecret ?? decodeURIComponent(rest.join(':'));
    }
    const grant = normalizeGrant(form.grant_type ?? '');
    const tenant = this.resolveTenant(tenantSegment, clientId);
    const fault = this.faults.take({ method: 'POST', path: requestUrl, grant, clientId });
    const finish = (result: TokenEndpointResult): TokenEndpointResult => {
      const body = result.body as { error?: string } | undefined;
      this.record({ tenantId: tenant?.tenantId ?? tenantSegment, clientId, grant, endpoint, status: result.status, ...(body?.error ? { error: body.error } : {}) });
      return result;
    };
    if (fault) {
      const faulted = this.faultResult(fault);
      if (faulted && !faulted.delayMs) return finish(faulted);
      const normal = this.tokenResult(tenant, tenantSegment, endpoint, grant, clientId, clientSecret, form);
      return finish({ ...normal, delayMs: faulted?.delayMs });
    }
    return finish(this.tokenResult(tenant, tenantSegment, endpoint, grant, clientId, clientSecret, form));
  }

  /** The managed identity endpoint of the tenant's emulated Azure host (managed-identity.ts). */
  handleManagedIdentity(request: ManagedIdentityRequest, path: string): TokenEndpointResult {
    const tenant = this.registry.tenantsByName.get(request.tenantName);
    const clientId = request.query.get('client_id') ?? '';
    const fault = this.faults.take({ method: 'GET', path, grant: 'managed_identity', clientId });
    const finish = (result: TokenEndpointResult): TokenEndpointResult => {
      const body = result.body as { error?: unknown; statusCode?: unknown } | undefined;
      const error = typeof body?.error === 'string' ? body.error : result.status >= 400 ? String(result.status) : undefined;
      this.record({ tenantId: tenant?.tenantId ?? request.tenantName, clientId, grant: 'managed_identity', endpoint: request.style, status: result.status, ...(error ? { error } : {}) });
      return result;
    };
    const normal = (): TokenEndpointResult => {
      const answer = managedIdentityToken(this.registry, request, this.identityHeader, TOKEN_AUDIENCES, (claims) => {
        const { token, expiresIn } = this.accessToken(claims);
        const nowSec = Math.floor(this.clock.now() / 1000);
        return { token, expiresIn, expiresOn: nowSec + expiresIn, notBefore: nowSec };
      });
      return { status: answer.status, body: answer.body, headers: { 'cache-control': 'no-store' } };
    };
    if (fault) {
      const faulted = this.faultResult(fault);
      if (faulted && !faulted.delayMs) return finish(faulted);
      return finish({ ...normal(), delayMs: faulted?.delayMs });
    }
    return finish(normal());
  }

  /** Assigns (or removes) a managed identity of the tenant's host; system-assigned: turns it on or off. */
  setManagedIdentityAssigned(tenantName: string, key: string, assigned: boolean): boolean {
    for (const mi of this.registry.managedIdentities.values()) {
      if (mi.tenantName === tenantName && mi.key === key) {
        mi.assigned = assigned;
        return true;
      }
    }
    return false;
  }

  /** A federated token of the tenant's emulated external issuer, as AZURE_FEDERATED_TOKEN_FILE holds. */
  mintFederatedToken(tenantName: string, overrides: JsonObject = {}): string {
    if (!this.registry.tenantsByName.has(tenantName)) throw new Error(`unknown tenant: ${tenantName}`);
    return mintFederatedToken(this.registry, tenantName, Math.floor(this.clock.now() / 1000), overrides);
  }

  private faultResult(fault: Fault): TokenEndpointResult | undefined {
    if (isDelayFault(fault)) return { status: 0, body: undefined, delayMs: fault.delayMs };
    if (!isResponseFault(fault)) return undefined;
    const defaultBody = fault.status === 429 ? AAD.throttled().body : fault.status >= 500 ? AAD.serverError().body : {};
    const headers: Record<string, string> = fault.status === 429 ? { 'retry-after': '60', ...(fault.headers ?? {}) } : { ...(fault.headers ?? {}) };
    if (typeof fault.body === 'string') return { status: fault.status, body: undefined, rawBody: fault.body, contentType: fault.contentType ?? 'text/html', headers };
    return { status: fault.status, body: fault.body ?? defaultBody, headers };
  }

  private resolveTenant(segment: string, clientId: string): { name: string; tenantId: string } | undefined {
    const lower = segment.toLowerCase();
    if (lower === 'common' || lower === 'organizations') {
      const app = this.registry.apps.get(clientId);
      return app ? { name: app.tenantName, tenantId: app.tenantId } : undefined;
    }
    return this.registry.findTenant(segment);
  }

  private tokenResult(
    tenant: { name: string; tenantId: string } | undefined,
    segment: string,
    endpoint: 'v1' | 'v2',
    grant: string,
    clientId: string,
    clientSecret: string | undefined,
    form: Record<string, string>,
  ): TokenEndpointResult {
    const err = (e: AadError): TokenEndpointResult => ({ status: e.status, body: e.body });
    if (!tenant) return err(AAD.unknownTenant(segment));
    if (!grant) return err(AAD.missingParameter('grant_type'));
    if (!['client_credentials', 'password', 'refresh_token', 'device_code'].includes(grant)) return err(AAD.unsupportedGrant());
    if (!clientId) return err(AAD.missingParameter('client_id'));
    const app = this.registry.apps.get(clientId);
    if (!app || app.tenantId !== tenant.tenantId) return err(AAD.unknownClient(clientId, tenant.tenantId));

    // v1 uses `resource`; a v2-style `scope` on v1 is accepted too (documented samples mix the two).
    let requested: RequestedScopes;
    if (endpoint === 'v1' && form.resource) {
      const audience = TOKEN_AUDIENCES.find((a) => a.toLowerCase() === form.resource.replace(/\/+$/, '').toLowerCase());
      if (!audience) return err(AAD.unknownResource(form.resource, tenant.name));
      const extra = form.scope ? parseScopes(form.scope) : undefined;
      requested = { audience, permissions: extra && !('invalid' in extra) ? extra.permissions : [], isDefault: !extra || ('invalid' in extra) || extra.permissions.length === 0, oidc: extra && !('invalid' in extra) ? extra.oidc : [] };
    } else if (grant !== 'refresh_token' && grant !== 'device_code') {
      if (!form.scope) return err(AAD.missingParameter('scope'));
      const parsed = parseScopes(form.scope);
      if ('invalid' in parsed) return err(AAD.invalidScope(parsed.invalid));
      requested = parsed;
    } else {
      requested = { audience: MDCA_RESOURCE_APP_ID, permissions: [], isDefault: true, oidc: [] };
    }

    const clientAuth = this.authenticateClient(app, tenant, clientSecret, form, grant);
    if (clientAuth) return err(clientAuth);

    switch (grant) {
      case 'client_credentials':
        if (app.kind === 'public') return err(AAD.missingClientAuth());
        if (!requested.isDefault && endpoint === 'v2') return err(AAD.invalidScope(form.scope ?? ''));
        return this.success(this.appTokenResponse(app, requested.audience));
      case 'password': {
        if (!form.username) return err(AAD.missingParameter('username'));
        if (!form.password) return err(AAD.missingParameter('password'));
        const user = this.registry.users.get(form.username.toLowerCase());
        if (!user || user.tenantId !== tenant.tenantId) return err(AAD.unknownUser());
        if (user.password !== form.password) return err(AAD.wrongPassword());
        return this.success(this.userTokenResponse(app, user, requested));
      }
      case 'refresh_token': {
        const state = form.refresh_token ? this.refreshTokens.get(form.refresh_token) : undefined;
        if (!state || state.clientId !== app.clientId || state.tenantId !== tenant.tenantId) return err(AAD.badRefreshToken());
        if (state.expiresAt <= this.clock.now()) return err(AAD.expiredRefreshToken());
        const user = this.registry.userByOid(state.oid);
        if (!user) return err(AAD.badRefreshToken());
        const scoped = form.scope ? parseScopes(form.scope) : undefined;
        const narrowed: RequestedScopes =
          // A refresh token is multi-resource: redeemed for another audience it gets what the
          // app was granted there (bounded by consent in userTokenResponse).
          scoped && !('invalid' in scoped) && scoped.audience !== state.audience
            ? scoped
            : scoped && !('invalid' in scoped) && !scoped.isDefault && scoped.permissions.length > 0
            ? { ...scoped, permissions: scoped.permissions.filter((p) => state.permissions.includes(p)) }
            : { audience: state.audience, permissions: state.permissions, isDefault: false, oidc: scoped && !('invalid' in scoped) ? scoped.oidc : state.oidcScopes };
        // Rotation: a new refresh token is issued; the presented one stays valid until it expires
        // (Entra behaves the same way, and clients that lose a response can retry with it).
        return this.success(this.userTokenResponse(app, user, narrowed));
      }
      case 'device_code': {
        const code = form.device_code ? this.deviceCodes.get(form.device_code) : undefined;
        if (!code || code.clientId !== app.clientId) return err(AAD.badDeviceCode());
        if (code.expiresAt <= this.clock.now()) return err(AAD.expiredDeviceCode());
        if (code.status === 'denied') return err(AAD.declinedDeviceCode());
        if (code.status === 'redeemed') return err(AAD.badDeviceCode());
        if (code.status === 'pending' || !code.username) return err(AAD.authorizationPending());
        const user = this.registry.users.get(code.username.toLowerCase());
        if (!user) return err(AAD.unknownUser());
        const parsed = parseScopes(code.scope);
        code.status = 'redeemed';
        return this.success(this.userTokenResponse(app, user, 'invalid' in parsed ? { audience: MDCA_RESOURCE_APP_ID, permissions: [], isDefault: true, oidc: [] } : parsed));
      }
      default:
        return err(AAD.unsupportedGrant());
    }
  }

  private success(body: JsonObject): TokenEndpointResult {
    return { status: 200, body, headers: { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' } };
  }

  /** Returns an error, or undefined when the client authenticated (or is a public client without credentials). */
  private authenticateClient(app: AppRegistration, tenant: { name: string; tenantId: string }, clientSecret: string | undefined, form: Record<string, string>, grant: string): AadError | undefined {
    if (form.client_assertion_type || form.client_assertion) {
      if (form.client_assertion_type !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') return AAD.badAssertion('Unsupported client_assertion_type.');
      return this.verifyAssertion(app, tenant, form.client_assertion ?? '');
    }
    if (clientSecret !== undefined && clientSecret !== '') {
      if (app.kind === 'public') return AAD.publicClientSecret();
      if (!app.clientSecret || app.clientSecret !== clientSecret) return AAD.invalidSecret(app.clientId);
      return undefined;
    }
    if (app.kind === 'confidential') return AAD.missingClientAuth();
    if (grant === 'client_credentials') return AAD.missingClientAuth();
    return undefined;
  }

  private tokenEndpointUrls(tenant: { name: string; tenantId: string }): string[] {
    const base = this.issuerBase();
    return [tenant.tenantId, tenant.name].flatMap((t) => [`${base}/${t}/oauth2/token`, `${base}/${t}/oauth2/v2.0/token`, `${base}/${t}/oauth2/v2.0/token/`]);
  }

  private verifyAssertion(app: AppRegistration, tenant: { name: string; tenantId: string }, assertion: string): AadError | undefined {
    const jwt = decodeJwt(assertion);
    if (!jwt) return AAD.badAssertion('The client assertion is not a JWT.');
    // Workload identity federation: a token of an external issuer the app trusts.
    if (app.federatedCredentials?.length) return verifyFederatedAssertion(this.registry, app, jwt, Math.floor(this.clock.now() / 1000));
    const cert = app.certificate;
    if (!cert) return AAD.badAssertionSignature(app.clientId);
    const x5tS256 = jwt.header['x5t#S256'];
    const x5t = jwt.header.x5t;
    const thumbOk =
      (typeof x5tS256 === 'string' && x5tS256 === base64url(Buffer.from(cert.thumbprintSha256, 'hex'))) ||
      (typeof x5t === 'string' && x5t === base64url(Buffer.from(cert.thumbprintSha1, 'hex')));
    if (!thumbOk) return AAD.badAssertionSignature(app.clientId);
    if (!verifyJwtSignature(jwt, cert.publicKey)) return AAD.badAssertionSignature(app.clientId);
    const p = jwt.payload;
    if (p.iss !== app.clientId || p.sub !== app.clientId) return AAD.badAssertion("The 'iss' and 'sub' claims must be the client id.");
    const aud = Array.isArray(p.aud) ? p.aud : [p.aud];
    const accepted = this.tokenEndpointUrls(tenant).map((u) => u.toLowerCase());
    if (!aud.some((a) => typeof a === 'string' && accepted.includes(a.toLowerCase()))) return AAD.assertionAudience();
    const nowSec = Date.now() / 1000;
    if (typeof p.exp !== 'number' || p.exp <= nowSec) return AAD.expiredAssertion();
    if (typeof p.nbf === 'number' && p.nbf > nowSec + 300) return AAD.expiredAssertion();
    return undefined;
  }

  private accessToken(claims: JsonObject): { token: string; expiresIn: number } {
    const nowSec = Math.floor(this.clock.now() / 1000);
    const expiresIn = this.options.tokenLifetimeSeconds;
    const token = signJwt(
      { kid: this.registry.signingKey.kid, x5t: this.registry.signingKey.kid },
      { iat: nowSec, nbf: nowSec, exp: nowSec + expiresIn, uti: randomToken(16), ver: '1.0', ...claims },
      this.registry.signingKey.privateKey,
    );
    return { token, expiresIn };
  }

  private appTokenResponse(app: AppRegistration, audience: string): JsonObject {
    const { token, expiresIn } = this.accessToken({
      aud: audience,
      iss: `https://sts.windows.net/${app.tenantId}/`,
      appid: app.clientId,
      azp: app.clientId,
      appidacr: app.certificate ? '2' : '1',
      idtyp: 'app',
      oid: servicePrincipalOid(app),
      sub: servicePrincipalOid(app),
      tid: app.tenantId,
      roles: [...grantsOf(app, audience).roles],
    });
    return { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: token };
  }

  private userTokenResponse(app: AppRegistration, user: UserRegistration, requested: RequestedScopes): JsonObject {
    // scp = requested ∩ granted to the app; `.default` means everything granted.
    const consented = grantsOf(app, requested.audience).delegated;
    const granted = requested.isDefault && requested.permissions.length === 0 ? consented : requested.permissions.filter((p) => consented.includes(p));
    const { token, expiresIn } = this.accessToken({
      aud: requested.audience,
      iss: `https://sts.windows.net/${user.tenantId}/`,
      appid: app.clientId,
      azp: app.clientId,
      appidacr: app.kind === 'public' ? '0' : app.certificate ? '2' : '1',
      idtyp: 'user',
      oid: user.oid,
      sub: user.oid,
      tid: user.tenantId,
      upn: user.username,
      unique_name: user.username,
      name: user.displayName,
      scp: granted.join(' '),
    });
    const nowSec = Math.floor(this.clock.now() / 1000);
    const idToken = signJwt(
      { kid: this.registry.signingKey.kid },
      {
        aud: app.clientId,
        iss: `${this.issuerBase()}/${user.tenantId}/v2.0`,
        iat: nowSec,
        nbf: nowSec,
        exp: nowSec + 3600,
        oid: user.oid,
        sub: user.oid,
        tid: user.tenantId,
        preferred_username: user.username,
        name: user.displayName,
        ver: '2.0',
      },
      this.registry.signingKey.privateKey,
    );
    const refreshToken = `0.EMU${randomToken(48)}`;
    this.refreshTokens.set(refreshToken, {
      tenantId: user.tenantId,
      clientId: app.clientId,
      oid: user.oid,
      audience: requested.audience,
      permissions: granted,
      oidcScopes: requested.oidc,
      expiresAt: this.clock.now() + this.options.refreshTokenLifetimeSeconds * 1000,
    });
    const scope = [...granted.map((p) => `${requested.audience}/${p}`), ...requested.oidc.filter((s) => s !== 'offline_access'), 'offline_access'];
    return {
      token_type: 'Bearer',
      scope: [...new Set(scope)].join(' '),
      expires_in: expiresIn,
      ext_expires_in: expiresIn,
      access_token: token,
      refresh_token: refreshToken,
      refresh_token_expires_in: this.options.refreshTokenLifetimeSeconds,
      id_token: idToken,
      client_info: base64url(JSON.stringify({ uid: user.oid, utid: user.tenantId })),
    };
  }

  /** POST /{tenant}/oauth2/v2.0/devicecode */
  handleDeviceCode(tenantSegment: string, form: Record<string, string>, verificationUri: string): TokenEndpointResult {
    const clientId = form.client_id ?? '';
    const tenant = this.resolveTenant(tenantSegment, clientId);
    const finish = (r: TokenEndpointResult): TokenEndpointResult => {
      const body = r.body as { error?: string };
      this.record({ tenantId: tenant?.tenantId ?? tenantSegment, clientId, grant: 'devicecode', endpoint: 'devicecode', status: r.status, ...(body.error ? { error: body.error } : {}) });
      return r;
    };
    if (!tenant) return finish({ status: 400, body: AAD.unknownTenant(tenantSegment).body });
    const app = this.registry.apps.get(clientId);
    if (!app || app.tenantId !== tenant.tenantId) return finish({ status: 400, body: AAD.unknownClient(clientId, tenant.tenantId).body });
    const scope = form.scope ?? `${MDCA_RESOURCE_APP_ID}/.default`;
    const parsed = parseScopes(scope);
    if ('invalid' in parsed) return finish({ status: 400, body: AAD.invalidScope(parsed.invalid).body });
    const state = this.deviceCodes.create(tenant.tenantId, clientId, scope, this.clock.now(), this.options.deviceCodeLifetimeSeconds);
    return finish({
      status: 200,
      body: {
        user_code: state.userCode,
        device_code: state.deviceCode,
        verification_uri: verificationUri,
        expires_in: this.options.deviceCodeLifetimeSeconds,
        interval: this.options.deviceCodeIntervalSeconds,
        message: `To sign in, use a web browser to open the page ${verificationUri} and enter the code ${state.userCode} to authenticate.`,
      },
    });
  }

  approveDeviceCode(userCode: string, username: string): boolean {
    const state = this.deviceCodes.byUserCode(userCode);
    const user = this.registry.users.get(username.toLowerCase());
    if (!state || !user || user.tenantId !== state.tenantId || state.status !== 'pending') return false;
    state.status = 'approved';
    state.username = user.username;
    return true;
  }

  denyDeviceCode(userCode: string): boolean {
    const state = this.deviceCodes.byUserCode(userCode);
    if (!state || state.status !== 'pending') return false;
    state.status = 'denied';
    return true;
  }

  newCorrelationId(): string {
    return randomUUID();
  }
}

/** msal sends the short form `device_code`; RFC 8628 clients send the URN. */
function normalizeGrant(grant: string): string {
  return grant === 'urn:ietf:params:oauth:grant-type:device_code' ? 'device_code' : grant;
}

const servicePrincipalOid = (app: AppRegistration): string => {
  const h = app.clientId.replace(/-/g, '').split('').reverse().join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};
