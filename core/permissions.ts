// MDCA permission names and what a token carries. Claims are read without verifying the
// signature: only for diagnostics and the pre-send check, never for trust (the service checks
// the token).
import { MDCA_PERMISSION_NAMES } from './service-constants';

export const permissionNames = MDCA_PERMISSION_NAMES;

export type PermissionName = (typeof permissionNames)[number];

/** Microsoft's table spells `Investigation.read`, the UI `Investigation.Read`, scripts lower case. */
export function normalizePermission(value: string): PermissionName | undefined {
  const lower = value.trim().toLowerCase();
  return permissionNames.find((p) => p.toLowerCase() === lower);
}

export interface TokenInsight {
  kind: 'application' | 'delegated' | 'legacy';
  /** MDCA permissions found in roles (app) or scp (delegated). */
  permissions: PermissionName[];
  /** Other roles/scopes in the token, kept for display. */
  otherClaims: string[];
  tenantId?: string;
  appId?: string;
  audience?: string;
  /** The signed-in user (user tokens only): upn, or preferred_username where upn is absent. */
  userPrincipalName?: string;
  expiresOnMs?: number;
  /** Always false: the client does not verify signatures; it only reads claims for diagnostics. */
  verified: false;
}

function decodeBase64Url(segment: string): string {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  // atob exists in every supported runtime (Node >= 16) and keeps the core free of Buffer.
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** Reads the (unverified) claims of a JWT access token. Returns undefined for opaque tokens. */
export function readTokenInsight(accessToken: string): TokenInsight | undefined {
  const parts = accessToken.split('.');
  if (parts.length !== 3) return undefined;
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(decodeBase64Url(parts[1])) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const roles = Array.isArray(claims.roles) ? claims.roles.map(String) : [];
  const scopes = typeof claims.scp === 'string' ? claims.scp.split(/\s+/).filter(Boolean) : [];
  const raw = roles.length > 0 ? roles : scopes;
  const permissions: PermissionName[] = [];
  const otherClaims: string[] = [];
  for (const item of raw) {
    const normalized = normalizePermission(item);
    if (normalized) {
      if (!permissions.includes(normalized)) permissions.push(normalized);
    } else {
      otherClaims.push(item);
    }
  }
  return {
    kind: roles.length > 0 || scopes.length === 0 ? 'application' : 'delegated',
    permissions,
    otherClaims,
    tenantId: typeof claims.tid === 'string' ? claims.tid : undefined,
    appId: typeof claims.appid === 'string' ? claims.appid : typeof claims.azp === 'string' ? claims.azp : undefined,
    audience: typeof claims.aud === 'string' ? claims.aud : undefined,
    userPrincipalName: typeof claims.upn === 'string' ? claims.upn : typeof claims.preferred_username === 'string' ? claims.preferred_username : undefined,
    expiresOnMs: typeof claims.exp === 'number' ? claims.exp * 1000 : undefined,
    verified: false,
  };
}

/** True when the token holds at least one of the permissions an operation accepts. */
export function hasAnyPermission(held: readonly PermissionName[], required: readonly PermissionName[]): boolean {
  return required.length === 0 || required.some((p) => held.includes(p));
}

/** Delegated scopes for a user-context sign-in (`<MDCA app id>/<permission>`). */
export function delegatedScopes(resourceAppId: string, permissions: readonly PermissionName[] = permissionNames): string[] {
  return permissions.map((p) => `${resourceAppId}/${p}`);
}

/**
 * Admin-consent URL for a multi-tenant (partner / MSSP) app (see docs/setup-partners.md).
 * The customer's global admin opens it once per customer tenant.
 */
export function adminConsentUrl(clientId: string, authorityHost = 'https://login.microsoftonline.com', tenant = 'common'): string {
  const params = new URLSearchParams({ prompt: 'consent', client_id: clientId, response_type: 'code', sso_reload: 'true' });
  return `${authorityHost}/${encodeURIComponent(tenant)}/oauth2/authorize?${params.toString()}`;
}
