// `Authorization: Token <key>` (legacy) and `Authorization: Bearer <jwt>` (Entra), then the
// permission check: Microsoft's permission table mapped onto the emulated operations (REQUIRED
// below).
import { EmulatorClock } from '../clock';
import { IdentityRegistry } from '../identity/registry';
import { ACCEPTED_AUDIENCES } from '../identity/token-service';
import { decodeJwt, verifyJwtSignature } from '../jwt';

export type AuthKind = 'bearer' | 'token' | 'none';

export interface Principal {
  kind: 'bearer' | 'token';
  /** lower-cased permission names */
  permissions: Set<string>;
  subject: string;
}

export type AuthOutcome = { ok: true; principal: Principal } | { ok: false; status: number; detail: string };

export function authKindOf(header: string | undefined): AuthKind {
  if (!header) return 'none';
  if (/^\s*bearer\b/i.test(header)) return 'bearer';
  return 'token';
}

export function authenticate(header: string | undefined, tenant: { name: string; tenantId: string }, registry: IdentityRegistry, clock: EmulatorClock): AuthOutcome {
  const fail = (status: number, detail: string): AuthOutcome => ({ ok: false, status, detail });
  if (!header || header.trim() === '') return fail(401, 'Authentication credentials were not provided.');
  const bearer = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer) {
    const jwt = decodeJwt(bearer[1]);
    if (!jwt || jwt.header.kid !== registry.signingKey.kid || !verifyJwtSignature(jwt, registry.signingKey.publicKey)) return fail(401, 'Invalid token');
    const p = jwt.payload;
    const aud = typeof p.aud === 'string' ? p.aud.toLowerCase() : '';
    if (!ACCEPTED_AUDIENCES.some((a) => a.toLowerCase() === aud)) return fail(401, 'Invalid token');
    if (typeof p.exp !== 'number' || p.exp * 1000 <= clock.now()) return fail(401, 'Token is expired');
    if (p.tid !== tenant.tenantId) return fail(401, 'Invalid token');
    let names: string[];
    if (Array.isArray(p.roles)) names = p.roles.filter((r): r is string => typeof r === 'string');
    else {
      names = typeof p.scp === 'string' ? p.scp.split(' ').filter(Boolean) : [];
      // "If you can do it in the portal you can do it in the API" (Microsoft's docs): delegated
      // rights are also bounded by the signed-in user's own rights.
      const user = typeof p.oid === 'string' ? registry.userByOid(p.oid) : undefined;
      if (user) {
        const own = new Set(user.permissions.map((x) => x.toLowerCase()));
        names = names.filter((n) => own.has(n.toLowerCase()));
      }
    }
    return { ok: true, principal: { kind: 'bearer', permissions: new Set(names.map((n) => n.toLowerCase())), subject: String(p.oid ?? p.appid ?? '') } };
  }
  // Legacy tokens: `Token <key>`, `Token:<key>`-style spacing variants, and the pre-2020 bare `<key>`.
  const m = /^\s*(?:token\s*[: ]\s*)?([0-9a-zA-Z=]+)\s*$/i.exec(header);
  const legacy = m ? registry.legacyTokens.get(m[1]) : undefined;
  if (!legacy || legacy.tenantName !== tenant.name) return fail(401, 'Invalid token');
  if (legacy.kind === 'deprovisioned') return fail(403, 'Invalid user - the owner of this token is not permitted to use tokens');
  return { ok: true, principal: { kind: 'token', permissions: new Set(legacy.permissions.map((n) => n.toLowerCase())), subject: `token:${legacy.kind}` } };
}

/** Allowed-permission sets per operation (Microsoft's table, mapped; files have none documented). */
export const REQUIRED = {
  activities: ['Investigation.read', 'Investigation.manage'],
  alertsRead: ['Investigation.read', 'Investigation.manage', 'Discovery.read', 'Discovery.manage'],
  alertsClose: ['Investigation.manage', 'Discovery.manage'],
  entities: ['Investigation.read', 'Investigation.manage'],
  subnetRead: ['Investigation.read', 'Investigation.manage', 'Settings.read', 'Settings.manage'],
  subnetWrite: ['Investigation.manage', 'Settings.manage'],
  discoveryRead: ['Discovery.read', 'Discovery.manage'],
  discoveryManage: ['Discovery.manage'],
  files: ['Investigation.read', 'Investigation.manage'],
} as const;

export function permissionDenied(principal: Principal, anyOf: readonly string[]): string | undefined {
  if (anyOf.some((p) => principal.permissions.has(p.toLowerCase()))) return undefined;
  // Name the least permission that would do, then the alternatives.
  const [first, ...rest] = anyOf;
  const alternatives = rest.length > 0 ? ` (or ${rest.join(', ')})` : '';
  return `You do not have permission to perform this action. Required permission: ${first}${alternatives}`;
}
