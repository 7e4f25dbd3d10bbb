// What Microsoft publishes about the services this package calls: the clouds with their sign-in
// (authority) and Defender XDR hosts, the MDCA resource app id and permission names, the Defender
// XDR resource and permission names, the Microsoft Graph roots and security permission names.
// Written once here. core/clouds.ts, core/permissions.ts,
// core/xdr/permissions.ts, runtime/, the n8n credential files (credentials/) and the emulator's
// seeded registrations read it.
//
// It imports nothing, on purpose: n8n loads each credential file listed in package.json on its own,
// and a credential file that imports this module pulls in this file only, not the core's errors,
// validation or pipeline (test/n8n/credential-constants.test.ts checks both).

export type CloudName = 'commercial' | 'gcc' | 'gccHigh';

export interface CloudHosts {
  label: string;
  /** Entra authority host (differs per cloud: GCC High signs in at login.microsoftonline.us). */
  authorityHost: string;
  /** Defender XDR API host of the cloud. */
  xdrApiHost: string;
  /** Microsoft Graph root of the cloud (docs/graph-security-api.md: GCC uses the worldwide one). */
  graphApiHost: string;
}

/** In the order the credential and connection dialogs offer them; commercial is the default. */
export const CLOUD_HOSTS: Readonly<Record<CloudName, CloudHosts>> = {
  commercial: {
    label: 'Commercial',
    authorityHost: 'https://login.microsoftonline.com',
    xdrApiHost: 'https://api.security.microsoft.com',
    graphApiHost: 'https://graph.microsoft.com',
  },
  gcc: {
    label: 'US Government (GCC)',
    authorityHost: 'https://login.microsoftonline.com',
    xdrApiHost: 'https://api-gcc.security.microsoft.us',
    graphApiHost: 'https://graph.microsoft.com',
  },
  gccHigh: {
    label: 'US Government (GCC High)',
    authorityHost: 'https://login.microsoftonline.us',
    xdrApiHost: 'https://api-gov.security.microsoft.us',
    graphApiHost: 'https://graph.microsoft.us',
  },
};

export const DEFAULT_CLOUD: CloudName = 'commercial';

/** The MDCA resource application id (Microsoft's first-party app; tokens are requested for it). */
export const MDCA_RESOURCE_APP_ID = '05a65629-4c1b-48c1-a78b-804c4abdd4af';

/** MDCA permissions, spelled as Microsoft's permission table spells them. */
export const MDCA_PERMISSION_NAMES = [
  'Investigation.read',
  'Investigation.manage',
  'Discovery.read',
  'Discovery.manage',
  'Settings.read',
  'Settings.manage',
] as const;

/** The Defender XDR API ("Microsoft Threat Protection"): token audience and scope prefix. */
export const XDR_RESOURCE = 'https://api.security.microsoft.com';

/** Defender XDR permissions: application roles (`.All`) and delegated scopes. */
export const XDR_PERMISSION_NAMES = [
  'Incident.Read.All',
  'Incident.ReadWrite.All',
  'Incident.Read',
  'Incident.ReadWrite',
  'AdvancedHunting.Read.All',
  'AdvancedHunting.Read',
] as const;

/** What a user sign-in asks Defender XDR for: read and write incidents, run hunting queries. */
export const XDR_DELEGATED_PERMISSIONS = ['Incident.ReadWrite', 'AdvancedHunting.Read'] as const;

/** The delegated scope of one permission: `<resource>/<permission>`. */
export const scopeOf = (resource: string, permission: string): string => `${resource}/${permission}`;

/** Delegated Defender XDR scopes, asked for by name like the MDCA ones. */
export const XDR_DELEGATED_SCOPES: string[] = XDR_DELEGATED_PERMISSIONS.map((p) => scopeOf(XDR_RESOURCE, p));

/** Microsoft Graph: the worldwide root, also the token resource of the Commercial and GCC clouds. */
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';

/**
 * The US Government L5 (DoD) Graph root. DoD tenants sign in where GCC High ones do
 * (login.microsoftonline.us), so it belongs to the GCC High cloud as a second documented root.
 */
export const GRAPH_DOD_HOST = 'https://dod-graph.microsoft.us';

/** The China (21Vianet) Graph root: it serves none of the security APIs, so it is refused by name. */
export const GRAPH_CHINA_HOST = 'https://microsoftgraph.chinacloudapi.cn';

/** Microsoft Graph's application id, the audience some Graph tokens carry instead of its URL. */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** Graph security permissions: the same names are application roles and delegated scopes. */
export const GRAPH_PERMISSION_NAMES = [
  'SecurityAlert.Read.All',
  'SecurityAlert.ReadWrite.All',
  'SecurityIncident.Read.All',
  'SecurityIncident.ReadWrite.All',
  'ThreatHunting.Read.All',
] as const;

/** What a user sign-in asks Graph for: read and write alerts and incidents, run hunting queries. */
export const GRAPH_DELEGATED_PERMISSIONS = ['SecurityAlert.ReadWrite.All', 'SecurityIncident.ReadWrite.All', 'ThreatHunting.Read.All'] as const;

/** The scope that makes Entra ID return a refresh token. */
export const OFFLINE_ACCESS = 'offline_access';
