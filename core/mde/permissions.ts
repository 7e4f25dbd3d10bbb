// Defender for Endpoint permission names ("WindowsDefenderATP") and what an MDE token carries.
// Applications hold `roles` (reads end in ".All"), users `scp` (reads without ".All"); the action
// permissions (Machine.Isolate…) have one name for both. Claims are read without verifying the
// signature: only for diagnostics and the pre-send check, never for trust.
import { readTokenInsight, TokenInsight } from '../permissions';
import { MDE_PERMISSION_NAMES } from '../service-constants';

export const mdePermissionNames = MDE_PERMISSION_NAMES;

export type MdePermissionName = (typeof mdePermissionNames)[number];

const READ = ['Machine.Read.All', 'Machine.ReadWrite.All', 'Machine.Read', 'Machine.ReadWrite'] as const;

/** Any one of these unlocks the operation (docs/defender-endpoint-api.md, "Permissions"). */
export const MDE_PERMISSIONS = {
  read: READ,
  isolate: ['Machine.Isolate'],
  scan: ['Machine.Scan'],
  collect: ['Machine.CollectForensics'],
  restrict: ['Machine.RestrictExecution'],
  // The package link: apps with a machine read role, users with Collect forensics.
  packageUri: ['Machine.Read.All', 'Machine.ReadWrite.All', 'Machine.CollectForensics'],
} as const satisfies Record<string, readonly MdePermissionName[]>;

/** Names only an application holds (reads with ".All") or only a user (reads without). */
const APP_ONLY = new Set<string>(['Machine.Read.All', 'Machine.ReadWrite.All']);
const USER_ONLY = new Set<string>(['Machine.Read', 'Machine.ReadWrite']);

/** Of the permissions that unlock an operation, those a token of this kind can hold. */
export function mdePermissionsForKind(permissions: readonly MdePermissionName[], delegated: boolean): MdePermissionName[] {
  return permissions.filter((p) => !(delegated ? APP_ONLY : USER_ONLY).has(p));
}

export function normalizeMdePermission(value: string): MdePermissionName | undefined {
  const lower = value.trim().toLowerCase();
  return mdePermissionNames.find((p) => p.toLowerCase() === lower);
}

export interface MdeTokenInsight extends Omit<TokenInsight, 'permissions'> {
  service: 'mde';
  /** Defender for Endpoint permissions found in roles (app) or scp (delegated). */
  permissions: MdePermissionName[];
}

/** Reads the (unverified) claims of an MDE access token. Undefined for opaque tokens. */
export function readMdeTokenInsight(accessToken: string): MdeTokenInsight | undefined {
  const base = readTokenInsight(accessToken);
  if (!base) return undefined;
  const permissions: MdePermissionName[] = [];
  // readTokenInsight matched MDCA names; an MDE token carries none, so every claim is in otherClaims.
  const otherClaims: string[] = [...base.permissions];
  for (const claim of base.otherClaims) {
    const normalized = normalizeMdePermission(claim);
    if (!normalized) otherClaims.push(claim);
    else if (!permissions.includes(normalized)) permissions.push(normalized);
  }
  return { ...base, service: 'mde', permissions, otherClaims };
}
