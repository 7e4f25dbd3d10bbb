// Microsoft Graph names shared by the identity service and the Graph security listener.

/** Token audience of Microsoft Graph (worldwide root; the emulator stands in for it). */
export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';
/** Graph's application id, the audience some Graph tokens carry. */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** The same names are application roles and delegated scopes in Graph. */
export const GRAPH_PERMISSIONS = ['SecurityAlert.Read.All', 'SecurityAlert.ReadWrite.All', 'SecurityIncident.Read.All', 'SecurityIncident.ReadWrite.All', 'ThreatHunting.Read.All'] as const;

export const canonicalGraphPermission = (name: string): string | undefined => GRAPH_PERMISSIONS.find((p) => p.toLowerCase() === name.toLowerCase());

const ALL = [...GRAPH_PERMISSIONS];
const READ = ['SecurityAlert.Read.All', 'SecurityIncident.Read.All'];

/** Seeded grants: full/cert apps get everything, reader only the two read permissions. */
export const GRAPH_SEEDED_ROLES: Record<string, string[]> = { full: ALL, cert: ALL, reader: READ, public: [] };
export const GRAPH_SEEDED_DELEGATED: Record<string, string[]> = { full: ALL, cert: ALL, reader: READ, public: ALL };
/**
 * What each seeded user may do (their Entra role: Security Operator for the analyst, Security
 * Reader for the reader); delegated tokens are bounded by it at the listener.
 */
export const GRAPH_USER_RIGHTS: Record<string, string[]> = { analyst: ALL, reader: [...READ, 'ThreatHunting.Read.All'] };
