// The Defender for Endpoint listener of one tenant (stands in for https://api.security.microsoft.com
// and its alias api.securitycenter.microsoft.com): faults → throttle (100/min and 1,500/h) → route →
// auth (Bearer; aud https://api.securitycenter.microsoft.com, the WindowsDefenderATP app id or a US
// Government token resource; roles for apps, scp bounded by the user's MDE role for users) →
// permission → handler. Every error is {"error": {"code", "message", "target"}} with a per-request
// correlation id as target. Paths with or without /v1.0 after /api (routes.ts lists them).
import { randomUUID } from 'crypto';
import { EmulatorClock } from '../clock';
import { IdentityRegistry } from '../identity/registry';
import { decodeJwt, verifyJwtSignature } from '../jwt';
import { createListener, ListenerResult } from '../listener-front';
import { canonicalMdePermission, isMdeAudience } from './constants';
import { Need, routeMde } from './routes';
import { MdeRequestLogEntry, MdeTenant } from './state';

export const mdeError = (status: number, code: string, message: string, headers?: Record<string, string>): ListenerResult => ({
  status,
  json: { error: { code, message, target: randomUUID() } },
  headers,
});

export interface MdePrincipal {
  kind: 'app' | 'user';
  permissions: Set<string>;
  /** What MachineAction.requestor shows: the user's UPN, or the app's id. */
  name: string;
}

export function createMdeHandler(tenant: MdeTenant, registry: IdentityRegistry, clock: EmulatorClock) {
  return createListener<MdeRequestLogEntry>({
    faults: tenant.faults,
    get requestLog() {
      return tenant.requestLog;
    },
    maxBodyBytes: 1024 * 1024,
    error: (status, kind) =>
      kind === 'tooLarge'
        ? mdeError(413, 'BadRequest', 'Request body too large.')
        : status === 429
          ? mdeError(429, 'TooManyRequests', 'API calls quota exceeded! maximum allowed 100 per 00:01:00')
          : status >= 500
            ? mdeError(status, 'InternalServerError', 'An internal error occurred.')
            : mdeError(status, 'BadRequest', 'Injected fault.'),
    throttled: () => {
      const decision = tenant.throttle.check();
      if (decision.allowed) return undefined;
      const header = tenant.throttle.settings !== false && tenant.throttle.settings.retryAfterHeader ? { 'retry-after': String(decision.retryAfterSeconds) } : undefined;
      return mdeError(429, 'TooManyRequests', `API calls quota exceeded! maximum allowed ${decision.limit} per ${decision.window}`, header);
    },
    answer: (call, entry) => {
      entry.body = summarize(call.body);
      tenant.settle();
      return routeMde(call, tenant, entry, (need) => authorize(call.authorization, need, tenant, registry, clock));
    },
  });
}

/**
 * The caller, when the token is valid and holds one of `need` (application roles or delegated
 * scopes; a delegated scope counts only as far as the user's own MDE role allows).
 */
function authorize(header: string | undefined, need: Need, tenant: MdeTenant, registry: IdentityRegistry, clock: EmulatorClock): MdePrincipal | ListenerResult {
  const unauthorized = (): ListenerResult => mdeError(401, 'Unauthorized', 'Unauthorized', { 'www-authenticate': 'Bearer' });
  const bearer = /^\s*bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!bearer) return unauthorized();
  const jwt = decodeJwt(bearer[1]);
  if (!jwt || jwt.header.kid !== registry.signingKey.kid || !verifyJwtSignature(jwt, registry.signingKey.publicKey)) return unauthorized();
  const p = jwt.payload;
  if (typeof p.aud !== 'string' || !isMdeAudience(p.aud)) return unauthorized();
  if (typeof p.exp !== 'number' || p.exp * 1000 <= clock.now()) return unauthorized();
  if (p.tid !== tenant.tenantId) return unauthorized();
  let principal: MdePrincipal;
  if (Array.isArray(p.roles)) {
    const roles = p.roles.filter((r): r is string => typeof r === 'string');
    principal = { kind: 'app', permissions: canonical(roles), name: String(p.appid ?? 'app') };
  } else {
    const scopes = typeof p.scp === 'string' ? p.scp.split(' ').filter(Boolean) : [];
    const user = typeof p.oid === 'string' ? registry.userByOid(p.oid) : undefined;
    // A delegated token does no more than the user's own MDE role allows: a reader holding
    // Machine.ReadWrite reads, nothing more.
    const own = user ? new Set((user.mdePermissions ?? []).map((x) => x.toLowerCase())) : undefined;
    const bounded = own ? scopes.map((s) => (own.has(s.toLowerCase()) ? s : s.toLowerCase() === 'machine.readwrite' && own.has('machine.read') ? 'Machine.Read' : '')).filter(Boolean) : scopes;
    principal = { kind: 'user', permissions: canonical(bounded), name: user?.username ?? String(p.upn ?? p.appid ?? 'user') };
  }
  const names = Array.isArray(need) ? need : need[principal.kind];
  if (names.some((n) => principal.permissions.has(n))) return principal;
  const kind = principal.kind === 'app' ? 'application' : 'delegated';
  // Name what this kind of token could hold: app roles for apps, delegated scopes for users.
  const wanted = names.filter((n) => (principal.kind === 'app' ? !/^Machine\.(Read|ReadWrite)$/.test(n) : !n.endsWith('.All')));
  return mdeError(403, 'Forbidden', `The application does not have any of the required ${kind} permissions (${wanted.join(', ')}) to access the resource.`);
}

const canonical = (names: string[]): Set<string> => new Set(names.map(canonicalMdePermission).filter((n): n is string => n !== undefined));

/** The JSON body's fields, long values shortened; what the request log shows of a body. */
function summarize(body: Buffer): string | undefined {
  if (body.length === 0) return undefined;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return body.toString('utf8').slice(0, 200);
    const short = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' && v.length > 80 ? `${v.slice(0, 80)}…` : v]));
    return JSON.stringify(short).slice(0, 400);
  } catch {
    return `(not JSON, ${body.length} bytes)`;
  }
}
