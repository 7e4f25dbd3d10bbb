// Defender XDR permission names and what an XDR token carries. Claims are read
// without verifying the signature: only for diagnostics and the pre-send check, never for trust.
import { readTokenInsight, TokenInsight } from '../permissions';
import { XDR_PERMISSION_NAMES } from '../service-constants';

export const xdrPermissionNames = XDR_PERMISSION_NAMES;

export type XdrPermissionName = (typeof xdrPermissionNames)[number];

/** Any one of these unlocks the operation family (app roles first, then delegated scopes). */
export const XDR_PERMISSIONS = {
  incidentRead: ['Incident.Read.All', 'Incident.ReadWrite.All', 'Incident.Read', 'Incident.ReadWrite'],
  incidentWrite: ['Incident.ReadWrite.All', 'Incident.ReadWrite'],
  hunting: ['AdvancedHunting.Read.All', 'AdvancedHunting.Read'],
} as const satisfies Record<string, readonly XdrPermissionName[]>;

/**
 * Case-insensitive, and tolerant of the plural "Incidents.Read.All" spelling one Microsoft page
 * shows in its decoded-token example.
 */
export function normalizeXdrPermission(value: string): XdrPermissionName | undefined {
  const lower = value.trim().toLowerCase().replace(/^incidents\./, 'incident.');
  return xdrPermissionNames.find((p) => p.toLowerCase() === lower);
}

export interface XdrTokenInsight extends Omit<TokenInsight, 'permissions'> {
  service: 'xdr';
  /** XDR permissions found in roles (app) or scp (delegated). */
  permissions: XdrPermissionName[];
}

/** Reads the (unverified) claims of an XDR access token. Undefined for opaque tokens. */
export function readXdrTokenInsight(accessToken: string): XdrTokenInsight | undefined {
  const base = readTokenInsight(accessToken);
  if (!base) return undefined;
  const permissions: XdrPermissionName[] = [];
  const otherClaims: string[] = [...base.permissions];
  for (const claim of base.otherClaims) {
    const normalized = normalizeXdrPermission(claim);
    if (normalized) {
      if (!permissions.includes(normalized)) permissions.push(normalized);
    } else otherClaims.push(claim);
  }
  return { ...base, service: 'xdr', permissions, otherClaims };
}

export function hasAnyXdrPermission(held: readonly XdrPermissionName[], required: readonly XdrPermissionName[]): boolean {
  return required.length === 0 || required.some((p) => held.includes(p));
}
