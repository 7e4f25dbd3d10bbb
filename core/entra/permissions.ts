// Microsoft Entra ID permission names (Microsoft Graph directory and Identity Protection) and what
// a Graph token carries of them. Same names for an app's `roles` and a user's `scp`, matched
// without regard to case. Claims are read without verifying the signature: only for diagnostics
// and the pre-send check, never for trust.
import type { TokenInsight } from '../permissions';
import { ENTRA_PERMISSION_NAMES } from '../service-constants';
import { readNamedGrants } from '../graph/permissions';

export const entraPermissionNames = ENTRA_PERMISSION_NAMES;

export type EntraPermissionName = (typeof entraPermissionNames)[number];

/**
 * Any one of these unlocks the operation family (docs/entra-users-api.md, "Permissions"), least
 * privileged first: the first one is what an error asks to add.
 */
export const ENTRA_PERMISSIONS = {
  userRead: ['User.Read.All', 'User.ReadUpdate.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  revokeSessions: ['User.RevokeSessions.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
  // User.EnableDisableAccount.All also needs a read permission beside it (the state is read first).
  enableDisable: ['User.EnableDisableAccount.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
  riskRead: ['IdentityRiskyUser.Read.All', 'IdentityRiskyUser.ReadWrite.All'],
  riskWrite: ['IdentityRiskyUser.ReadWrite.All'],
} as const satisfies Record<string, readonly EntraPermissionName[]>;

export function normalizeEntraPermission(value: string): EntraPermissionName | undefined {
  const lower = value.trim().toLowerCase();
  return entraPermissionNames.find((p) => p.toLowerCase() === lower);
}

export interface EntraTokenInsight extends Omit<TokenInsight, 'permissions'> {
  service: 'entra';
  /** Entra permissions found in roles (app) or scp (delegated). */
  permissions: EntraPermissionName[];
}

/** Reads the (unverified) claims of a Graph access token for its Entra permissions. Undefined for opaque tokens. */
export function readEntraTokenInsight(accessToken: string): EntraTokenInsight | undefined {
  const read = readNamedGrants(accessToken, normalizeEntraPermission);
  return read && { ...read.base, service: 'entra', permissions: read.permissions, otherClaims: read.otherClaims };
}
