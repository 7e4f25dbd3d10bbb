// Microsoft Graph security permission names and what a Graph token carries. Graph has one name
// per permission for both token kinds (an app's `roles`, a user's `scp`), matched without regard
// to case. Claims are read without verifying the signature: only for diagnostics and the pre-send
// check, never for trust.
import { readTokenInsight, TokenInsight } from '../permissions';
import { GRAPH_PERMISSION_NAMES } from '../service-constants';

export const graphPermissionNames = GRAPH_PERMISSION_NAMES;

export type GraphPermissionName = (typeof graphPermissionNames)[number];

/** Any one of these unlocks the operation family (docs/graph-security-api.md, "Permissions"). */
export const GRAPH_PERMISSIONS = {
  alertRead: ['SecurityAlert.Read.All', 'SecurityAlert.ReadWrite.All'],
  alertWrite: ['SecurityAlert.ReadWrite.All'],
  incidentRead: ['SecurityIncident.Read.All', 'SecurityIncident.ReadWrite.All'],
  incidentWrite: ['SecurityIncident.ReadWrite.All'],
  hunting: ['ThreatHunting.Read.All'],
} as const satisfies Record<string, readonly GraphPermissionName[]>;

export function normalizeGraphPermission(value: string): GraphPermissionName | undefined {
  const lower = value.trim().toLowerCase();
  return graphPermissionNames.find((p) => p.toLowerCase() === lower);
}

export interface GraphTokenInsight extends Omit<TokenInsight, 'permissions'> {
  service: 'graph';
  /** Graph security permissions found in roles (app) or scp (delegated). */
  permissions: GraphPermissionName[];
}

/**
 * A token's (unverified) claims split into the names one Graph permission family knows and the
 * rest. readTokenInsight matched MDCA names; a Graph token carries none, so every claim is "other".
 */
export function readNamedGrants<P extends string>(accessToken: string, normalize: (claim: string) => P | undefined): { base: TokenInsight; permissions: P[]; otherClaims: string[] } | undefined {
  const base = readTokenInsight(accessToken);
  if (!base) return undefined;
  const permissions: P[] = [];
  const otherClaims: string[] = [...base.permissions];
  for (const claim of base.otherClaims) {
    const normalized = normalize(claim);
    if (!normalized) otherClaims.push(claim);
    else if (!permissions.includes(normalized)) permissions.push(normalized);
  }
  return { base, permissions, otherClaims };
}

/** Reads the (unverified) claims of a Graph access token. Undefined for opaque tokens. */
export function readGraphTokenInsight(accessToken: string): GraphTokenInsight | undefined {
  const read = readNamedGrants(accessToken, normalizeGraphPermission);
  return read && { ...read.base, service: 'graph', permissions: read.permissions, otherClaims: read.otherClaims };
}
