// The Entra ID directory of one emulated tenant: its users (the users the tenant's MDCA alerts and
// Graph alert evidence name, with the same object id and UPN, plus the seeded sign-in users, an
// admin, a UPN that starts with `$` and a B2B guest), each user's account and session state, the
// Identity Protection risk of some of them, the P2 licence flag, which apps hold a privileged
// admin role, and the throttles of the directory and Identity Protection families.
import { Rng } from '../data/random';
import type { SeedUser } from '../data/seed';
import { JsonObject } from '../jwt';
import { ThrottleSettings, SlidingWindowThrottle } from '../mdca/throttle';
import { deterministicGuid, seededCredentials } from '../seed-credentials';
import { ENTRA_USER_ROLES } from './constants';

export interface DirectoryUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  givenName: string | null;
  surname: string | null;
  mail: string | null;
  jobTitle: string | null;
  officeLocation: string | null;
  mobilePhone: string | null;
  businessPhones: string[];
  preferredLanguage: string | null;
  userType: 'Member' | 'Guest';
  accountEnabled: boolean;
  signInSessionsValidFromDateTime: string;
  createdDateTime: string;
  onPremisesSyncEnabled: boolean | null;
  /** Emulator state, never answered: the user's directory roles. */
  roles: string[];
}

export interface UserRisk {
  riskLevel: string;
  riskState: string;
  riskDetail: string;
  riskLastUpdatedDateTime: string;
}

export interface EntraSettings {
  /** The tenant holds Microsoft Entra ID P2: without it Identity Protection answers 403. */
  p2Licensed: boolean;
  /** revokeSignInSessions answers 200 {"value": true} (documented) or 204 (what the known-issues page says it should). */
  revokeStatus: 200 | 204;
  /** App (client) ids assigned a privileged admin role (Privileged Authentication Administrator). */
  privilegedApps: string[];
}

export type EntraThrottleFamily = 'directoryReads' | 'directoryWrites' | 'identityProtection';

/** Documented limits (docs/entra-users-api.md, "Limits"); Identity Protection sends no Retry-After. */
export const ENTRA_DEFAULT_THROTTLES: Record<EntraThrottleFamily, ThrottleSettings> = {
  directoryReads: { limit: 3_500, windowMs: 10_000, retryAfterHeader: true },
  directoryWrites: { limit: 3_000, windowMs: 150_000, retryAfterHeader: true },
  identityProtection: { limit: 1, windowMs: 1_000, retryAfterHeader: false },
};

const DEFAULT_SETTINGS: EntraSettings = { p2Licensed: true, revokeStatus: 200, privilegedApps: [] };
const LEVELS = ['high', 'medium', 'low'];

export const entraTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface DirectorySource {
  name: string;
  seed: number;
  anchorMs: number;
  users: readonly SeedUser[];
  now(): number;
}

export class EntraDirectory {
  users: DirectoryUser[] = [];
  risk = new Map<string, UserRisk>();
  settings: EntraSettings = { ...DEFAULT_SETTINGS, privilegedApps: [] };
  readonly throttles: Record<EntraThrottleFamily, SlidingWindowThrottle>;

  constructor(
    private readonly source: DirectorySource,
    throttled: boolean,
  ) {
    const make = (f: EntraThrottleFamily) => new SlidingWindowThrottle(throttled ? { ...ENTRA_DEFAULT_THROTTLES[f] } : false, () => Date.now());
    this.throttles = { directoryReads: make('directoryReads'), directoryWrites: make('directoryWrites'), identityProtection: make('identityProtection') };
    this.reseed();
  }

  nowText(): string {
    return entraTime(this.source.now());
  }

  reseed(): void {
    const { name, seed, anchorMs } = this.source;
    const created = entraTime(anchorMs - 400 * 86_400_000);
    const member = (id: string, upn: string, displayName: string, roles: string[] = []): DirectoryUser => {
      const [given, ...rest] = displayName.split(' ');
      return {
        id, userPrincipalName: upn, displayName, givenName: given ?? null, surname: rest.join(' ') || null, mail: upn.includes('#EXT#') ? null : upn, jobTitle: null, officeLocation: null, mobilePhone: null,
        businessPhones: [], preferredLanguage: 'en-US', userType: 'Member', accountEnabled: true, signInSessionsValidFromDateTime: created, createdDateTime: created, onPremisesSyncEnabled: null, roles,
      };
    };
    const creds = seededCredentials(name);
    this.users = [
      ...this.source.users.map((u) => member(u.oid, u.email, u.displayName)),
      member(creds.users.analyst.oid, creds.users.analyst.username, 'Alex Analyst', ENTRA_USER_ROLES.analyst),
      member(creds.users.reader.oid, creds.users.reader.username, 'Riley Reader', ENTRA_USER_ROLES.reader),
      member(deterministicGuid(`entra:${name}:admin`), `admin@${name}.example`, 'Ada Admin', ['Global Administrator']),
      member(deterministicGuid(`entra:${name}:dollar`), `$svc.backup@${name}.example`, 'Backup Service'),
      { ...member(deterministicGuid(`entra:${name}:guest`), `partner_fabrikam.example#EXT#@${name}.example`, 'Pat Partner'), userType: 'Guest', mail: 'partner@fabrikam.example' },
    ];
    this.risk = new Map();
    this.source.users.forEach((u, i) => {
      const rng = Rng.for(seed, 'entra-risk', i);
      const at = entraTime(anchorMs - rng.int(20 * 86_400_000));
      if (i % 3 === 0) this.risk.set(u.oid, { riskLevel: LEVELS[(i / 3) % 3], riskState: 'atRisk', riskDetail: 'none', riskLastUpdatedDateTime: at });
      else if (i % 7 === 1) this.risk.set(u.oid, { riskLevel: 'none', riskState: 'dismissed', riskDetail: 'adminDismissedAllRiskForUser', riskLastUpdatedDateTime: at });
    });
    this.settings = { ...DEFAULT_SETTINGS, privilegedApps: [] };
    for (const t of Object.values(this.throttles)) t.reset();
  }

  /** By object id or UPN, without regard to case. */
  findUser(idOrUpn: string): DirectoryUser | undefined {
    const key = idOrUpn.toLowerCase();
    return this.users.find((u) => u.id === key || u.userPrincipalName.toLowerCase() === key);
  }

  isAdmin(user: DirectoryUser): boolean {
    return user.roles.length > 0 && user.roles.some((r) => !['Security Reader', 'Global Reader'].includes(r));
  }

  /** The riskyUser resource of a user with a risk record. */
  riskyUser(id: string): JsonObject | undefined {
    const risk = this.risk.get(id);
    const user = this.users.find((u) => u.id === id);
    if (!risk || !user) return undefined;
    return { id, isDeleted: false, isProcessing: false, ...risk, userDisplayName: user.displayName, userPrincipalName: user.userPrincipalName };
  }

  riskyUsers(): JsonObject[] {
    return [...this.risk.keys()].map((id) => this.riskyUser(id)).filter((r): r is JsonObject => r !== undefined);
  }

  setRisk(id: string, risk: UserRisk | undefined): void {
    if (risk) this.risk.set(id, risk);
    else this.risk.delete(id);
  }

  setThrottle(family: EntraThrottleFamily, settings: Partial<ThrottleSettings> | false): void {
    const throttle = this.throttles[family];
    const current = throttle.settings === false ? ENTRA_DEFAULT_THROTTLES[family] : throttle.settings;
    throttle.settings = settings === false ? false : { ...current, ...settings };
    throttle.reset();
  }

  /** The throttle a request on the Graph listener counts against, or undefined when it is not an Entra call. */
  throttleFor(method: string, path: string): SlidingWindowThrottle | undefined {
    if (/^\/v1\.0\/identityprotection\//i.test(path)) return this.throttles.identityProtection;
    if (!/^\/v1\.0\/users[/(]/i.test(path)) return undefined;
    return method === 'GET' ? this.throttles.directoryReads : this.throttles.directoryWrites;
  }
}
