// Microsoft Graph names shared by the identity service and the Graph security listener.
import { ENTRA_PERMISSIONS, ENTRA_SEEDED_DELEGATED, ENTRA_SEEDED_ROLES, ENTRA_USER_RIGHTS } from '../entra/constants';

/** Token audience of Microsoft Graph (worldwide root; the emulator stands in for it). */
export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';
/** Graph's application id, the audience some Graph tokens carry. */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** The same names are application roles and delegated scopes in Graph. */
export const GRAPH_PERMISSIONS = ['SecurityAlert.Read.All', 'SecurityAlert.ReadWrite.All', 'SecurityIncident.Read.All', 'SecurityIncident.ReadWrite.All', 'ThreatHunting.Read.All'] as const;

/** Graph tokens carry the security names and the Entra ID ones (emulator/entra/constants.ts). */
const TOKEN_PERMISSIONS: readonly string[] = [...GRAPH_PERMISSIONS, ...ENTRA_PERMISSIONS];
export const canonicalGraphPermission = (name: string): string | undefined => TOKEN_PERMISSIONS.find((p) => p.toLowerCase() === name.toLowerCase());

const ALL = [...GRAPH_PERMISSIONS];
const READ = ['SecurityAlert.Read.All', 'SecurityIncident.Read.All'];

/** Seeded grants: full/cert apps get everything, reader only the read permissions; plus the Entra ID grants. */
const withEntra = (security: Record<string, string[]>, entra: Record<string, string[]>): Record<string, string[]> =>
  Object.fromEntries(Object.entries(security).map(([key, names]) => [key, [...names, ...(entra[key] ?? [])]]));
export const GRAPH_SEEDED_ROLES: Record<string, string[]> = withEntra({ full: ALL, cert: ALL, reader: READ, public: [] }, ENTRA_SEEDED_ROLES);
export const GRAPH_SEEDED_DELEGATED: Record<string, string[]> = withEntra({ full: ALL, cert: ALL, reader: READ, public: ALL }, ENTRA_SEEDED_DELEGATED);
/**
 * What each seeded user may do (their Entra role: Security Operator for the analyst, Security
 * Reader for the reader); delegated tokens are bounded by it at the listener.
 */
export const GRAPH_USER_RIGHTS: Record<string, string[]> = withEntra({ analyst: ALL, reader: [...READ, 'ThreatHunting.Read.All'] }, ENTRA_USER_RIGHTS);
