// Defender XDR names shared by the identity service and the XDR listener.

/** Token audience of the Defender XDR API ("Microsoft Threat Protection"). */
export const XDR_AUDIENCE = 'https://api.security.microsoft.com';

export const XDR_APP_ROLES = ['Incident.Read.All', 'Incident.ReadWrite.All', 'AdvancedHunting.Read.All'] as const;
export const XDR_DELEGATED = ['Incident.Read', 'Incident.ReadWrite', 'AdvancedHunting.Read'] as const;
export const XDR_PERMISSIONS: readonly string[] = [...XDR_APP_ROLES, ...XDR_DELEGATED];

/** Canonical name, case-insensitive (also the plural "Incidents.*" a Microsoft page shows). */
export const canonicalXdrPermission = (name: string): string | undefined => {
  const lower = name.toLowerCase().replace(/^incidents\./, 'incident.');
  return XDR_PERMISSIONS.find((p) => p.toLowerCase() === lower);
};

/** Seeded grants: full/cert apps get everything, reader only Incident.Read.All. */
export const XDR_SEEDED_ROLES: Record<string, string[]> = {
  full: ['Incident.ReadWrite.All', 'AdvancedHunting.Read.All'],
  cert: ['Incident.ReadWrite.All', 'AdvancedHunting.Read.All'],
  reader: ['Incident.Read.All'],
  public: [],
};
export const XDR_SEEDED_DELEGATED: Record<string, string[]> = {
  full: [...XDR_DELEGATED],
  cert: [...XDR_DELEGATED],
  reader: ['Incident.Read'],
  public: [...XDR_DELEGATED],
};
/** What each seeded user may do in the Defender portal (delegated tokens are bounded by it). */
export const XDR_USER_RIGHTS: Record<string, string[]> = {
  analyst: [...XDR_DELEGATED],
  reader: ['Incident.Read'],
};
