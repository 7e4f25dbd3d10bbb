// Microsoft Entra ID names of the emulated Graph listener: the directory and Identity Protection
// permissions (same names for app roles and delegated scopes, core/service-constants.ts), what the
// seeded apps and users hold of them, what each call needs, and the directory roles that decide
// who may act on an admin.
import { ENTRA_PERMISSION_NAMES } from '../../core/service-constants';

export const ENTRA_PERMISSIONS: readonly string[] = ENTRA_PERMISSION_NAMES;

const ALL = [...ENTRA_PERMISSION_NAMES];
const READ = ['User.Read.All', 'IdentityRiskyUser.Read.All'];

/** Seeded grants: full/cert apps every permission, reader the two read ones. */
export const ENTRA_SEEDED_ROLES: Record<string, string[]> = { full: ALL, cert: ALL, reader: READ, public: [] };
export const ENTRA_SEEDED_DELEGATED: Record<string, string[]> = { full: ALL, cert: ALL, reader: READ, public: ALL };
/** What each seeded user may do (the analyst is a Security Administrator-like admin, the reader reads). */
export const ENTRA_USER_RIGHTS: Record<string, string[]> = { analyst: ALL, reader: READ };
/** The seeded users' directory roles. */
export const ENTRA_USER_ROLES: Record<string, string[]> = { analyst: ['Security Administrator'], reader: ['Security Reader'] };

/** Any one of these lets the call through (least privileged first). */
export const ENTRA_NEED = {
  userRead: ['User.Read.All', 'User.ReadUpdate.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'],
  userUpdate: ['User.ReadUpdate.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
  /** accountEnabled: these alone, or User.EnableDisableAccount.All together with a read permission. */
  accountEnabled: ['User.ReadWrite.All', 'Directory.ReadWrite.All'],
  revoke: ['User.RevokeSessions.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'],
  riskRead: ['IdentityRiskyUser.Read.All', 'IdentityRiskyUser.ReadWrite.All'],
  riskWrite: ['IdentityRiskyUser.ReadWrite.All'],
} as const;

/** Directory roles that make a user an admin: disabling one or revoking their sessions is a sensitive action. */
export const ADMIN_ROLES = ['Global Administrator', 'Privileged Authentication Administrator', 'User Administrator', 'Security Administrator', 'Helpdesk Administrator', 'Authentication Administrator'];
/** Roles that may perform sensitive actions on every admin. */
export const PRIVILEGED_ROLES = ['Global Administrator', 'Privileged Authentication Administrator'];

/** riskyUsers confirmCompromised / dismiss take at most this many ids (the beta dismiss page; docs/entra-users-api.md). */
export const MAX_RISKY_USER_IDS = 60;
