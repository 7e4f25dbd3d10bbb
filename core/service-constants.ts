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
  /** Defender for Endpoint API host of the cloud (docs/defender-endpoint-api.md). */
  mdeApiHost: string;
  /**
   * The resource Defender for Endpoint tokens are asked for in this cloud. Microsoft documents it
   * for the Commercial cloud only; for the US Government hosts clients use the API host itself.
   */
  mdeTokenResource: string;
}

/** In the order the credential and connection dialogs offer them; commercial is the default. */
export const CLOUD_HOSTS: Readonly<Record<CloudName, CloudHosts>> = {
  commercial: {
    label: 'Commercial',
    authorityHost: 'https://login.microsoftonline.com',
    xdrApiHost: 'https://api.security.microsoft.com',
    graphApiHost: 'https://graph.microsoft.com',
    mdeApiHost: 'https://api.security.microsoft.com',
    mdeTokenResource: 'https://api.securitycenter.microsoft.com',
  },
  gcc: {
    label: 'US Government (GCC)',
    authorityHost: 'https://login.microsoftonline.com',
    xdrApiHost: 'https://api-gcc.security.microsoft.us',
    graphApiHost: 'https://graph.microsoft.com',
    mdeApiHost: 'https://api-gcc.securitycenter.microsoft.us',
    mdeTokenResource: 'https://api-gcc.securitycenter.microsoft.us',
  },
  gccHigh: {
    label: 'US Government (GCC High)',
    authorityHost: 'https://login.microsoftonline.us',
    xdrApiHost: 'https://api-gov.security.microsoft.us',
    graphApiHost: 'https://graph.microsoft.us',
    mdeApiHost: 'https://api-gov.securitycenter.microsoft.us',
    mdeTokenResource: 'https://api-gov.securitycenter.microsoft.us',
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

/**
 * Microsoft Graph directory and Identity Protection permissions the containment operations use
 * (users: get, revoke sign-in sessions, disable/enable; riskyUsers: get, confirm compromised,
 * dismiss). Same names for application roles and delegated scopes.
 */
export const ENTRA_PERMISSION_NAMES = [
  'User.Read.All',
  'User.ReadWrite.All',
  'User.ReadUpdate.All',
  'User.EnableDisableAccount.All',
  'User.RevokeSessions.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
  'IdentityRiskyUser.Read.All',
  'IdentityRiskyUser.ReadWrite.All',
] as const;

/** What a user sign-in asks Graph for to contain users: the least privileged permission of each operation. */
export const ENTRA_DELEGATED_PERMISSIONS = ['User.Read.All', 'User.RevokeSessions.All', 'User.EnableDisableAccount.All', 'IdentityRiskyUser.ReadWrite.All'] as const;

/**
 * Defender for Endpoint ("WindowsDefenderATP" under "APIs my organization uses"): the resource of
 * the Commercial cloud's tokens, also an accepted API host besides api.security.microsoft.com.
 */
export const MDE_RESOURCE = 'https://api.securitycenter.microsoft.com';

/** Defender for Endpoint permissions: application roles (`.All` for reads) and delegated scopes. */
export const MDE_PERMISSION_NAMES = [
  'Machine.Read.All',
  'Machine.ReadWrite.All',
  'Machine.Read',
  'Machine.ReadWrite',
  'Machine.Isolate',
  'Machine.Scan',
  'Machine.CollectForensics',
  'Machine.RestrictExecution',
] as const;

/** What a user sign-in asks Defender for Endpoint for: read machines, and every containment action. */
export const MDE_DELEGATED_PERMISSIONS = ['Machine.Read', 'Machine.Isolate', 'Machine.Scan', 'Machine.CollectForensics', 'Machine.RestrictExecution'] as const;

/** The scope that makes Entra ID return a refresh token. */
export const OFFLINE_ACCESS = 'offline_access';
