// Defender for Endpoint names shared by the identity service and the MDE listener: the token
// audiences the listener accepts, the permission names and the seeded grants.
import { CLOUD_HOSTS, MDE_PERMISSION_NAMES, MDE_RESOURCE } from '../../core/service-constants';

/** The resource of Commercial-cloud tokens (the C#/PowerShell samples' scope). */
export const MDE_AUDIENCE = MDE_RESOURCE;
/** The application id of "WindowsDefenderATP", the audience some MDE tokens carry instead of the URL. */
export const WINDOWS_DEFENDER_ATP_APP_ID = 'fc780465-2017-40d4-a0c5-307022471b92';
/** The scope the curl sample of the app-token page asks for (same resource, older name). */
export const MDE_LEGACY_AUDIENCE = 'https://securitycenter.onmicrosoft.com/windowsatpservice';

/**
 * Every audience an MDE token may carry: the Commercial resource, the app id, the curl sample's
 * name, and each US Government cloud's token resource (its API host).
 */
export const MDE_AUDIENCES: readonly string[] = [...new Set([MDE_AUDIENCE, WINDOWS_DEFENDER_ATP_APP_ID, MDE_LEGACY_AUDIENCE, ...Object.values(CLOUD_HOSTS).map((c) => c.mdeTokenResource)])];

export const isMdeAudience = (aud: string): boolean => MDE_AUDIENCES.some((a) => a.toLowerCase() === aud.replace(/\/+$/, '').toLowerCase());

/** Application roles (what `roles` of an app token holds). */
export const MDE_APP_ROLES = ['Machine.Read.All', 'Machine.ReadWrite.All', 'Machine.Isolate', 'Machine.Scan', 'Machine.CollectForensics', 'Machine.RestrictExecution'] as const;
/** Delegated permissions (what `scp` of a user token holds). */
export const MDE_DELEGATED = ['Machine.Read', 'Machine.ReadWrite', 'Machine.Isolate', 'Machine.Scan', 'Machine.CollectForensics', 'Machine.RestrictExecution'] as const;

export const canonicalMdePermission = (name: string): string | undefined => MDE_PERMISSION_NAMES.find((p) => p.toLowerCase() === name.toLowerCase());

/** Seeded grants by app key: full, certificate and workload apps get every role, the reader app reads. */
export const MDE_SEEDED_ROLES: Record<string, string[]> = { full: [...MDE_APP_ROLES], cert: [...MDE_APP_ROLES], workload: [...MDE_APP_ROLES], reader: ['Machine.Read.All'], public: [] };
export const MDE_SEEDED_DELEGATED: Record<string, string[]> = { full: [...MDE_DELEGATED], cert: [...MDE_DELEGATED], reader: ['Machine.Read'], public: [...MDE_DELEGATED] };
/**
 * What each seeded user may do in the Defender portal (their MDE role: "Active remediation actions"
 * and "Alerts investigation" for the analyst, "View data" for the reader); delegated tokens are
 * bounded by it at the listener.
 */
export const MDE_USER_RIGHTS: Record<string, string[]> = { analyst: [...MDE_DELEGATED], reader: ['Machine.Read'] };
