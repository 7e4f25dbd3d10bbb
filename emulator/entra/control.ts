// Control surface of the emulated Entra ID directory (users, sessions, Identity Protection risk,
// P2 licence, privileged apps, throttles). In process as `emu.control.graph.entra`; over HTTP under
// /_emulator/graph/tenants/<t>/entra/ (control-http.ts here). Faults and the request log are the
// Graph listener's (`emu.control.graph`): the calls share it.
import { JsonObject } from '../jwt';
import { ThrottleSettings } from '../mdca/throttle';
import { clone } from '../tenant-control';
import type { GraphTenant } from '../graph/state';
import { DirectoryUser, EntraDirectory, EntraSettings, EntraThrottleFamily, UserRisk } from './directory';

export class EntraControl {
  constructor(private readonly tenants: Map<string, GraphTenant>) {}

  private directory(nameOrId: string): EntraDirectory {
    const t = this.tenants.get(nameOrId) ?? [...this.tenants.values()].find((x) => x.tenantId === nameOrId.toLowerCase());
    if (!t) throw new Error(`unknown tenant: ${nameOrId}`);
    return t.entra;
  }

  listUsers(tenant: string): DirectoryUser[] {
    return clone(this.directory(tenant).users);
  }
  /** By object id or UPN. */
  getUser(tenant: string, idOrUpn: string): DirectoryUser | undefined {
    return clone(this.directory(tenant).findUser(idOrUpn));
  }
  /** Changes a user's state (accountEnabled, roles, signInSessionsValidFromDateTime…). */
  updateUser(tenant: string, idOrUpn: string, patch: Partial<DirectoryUser>): DirectoryUser | undefined {
    const user = this.directory(tenant).findUser(idOrUpn);
    if (!user) return undefined;
    Object.assign(user, patch, { id: user.id });
    return clone(user);
  }
  /** The riskyUser resource of a user, undefined without a risk record. */
  getRisk(tenant: string, id: string): JsonObject | undefined {
    return clone(this.directory(tenant).riskyUser(id.toLowerCase()));
  }
  /** Sets (or with null removes) a user's risk; the time defaults to now. */
  setRisk(tenant: string, id: string, risk: Partial<UserRisk> | null): void {
    const d = this.directory(tenant);
    d.setRisk(id.toLowerCase(), risk === null ? undefined : { riskLevel: 'medium', riskState: 'atRisk', riskDetail: 'none', riskLastUpdatedDateTime: d.nowText(), ...risk });
  }
  /** `p2Licensed` (default true), `revokeStatus` 200 | 204 (default 200), `privilegedApps` (app ids with a privileged admin role). */
  setSettings(tenant: string, settings: Partial<EntraSettings>): void {
    const d = this.directory(tenant);
    d.settings = { ...d.settings, ...settings };
  }
  settings(tenant: string): EntraSettings {
    return clone(this.directory(tenant).settings);
  }
  /** One family's throttle: directoryReads, directoryWrites, identityProtection; false turns it off. */
  setThrottle(tenant: string, family: EntraThrottleFamily, settings: Partial<ThrottleSettings> | false): void {
    this.directory(tenant).setThrottle(family, settings);
  }
  reset(tenant?: string): void {
    for (const t of tenant ? [this.tenants.get(tenant) ?? [...this.tenants.values()].find((x) => x.tenantId === tenant)] : [...this.tenants.values()]) t?.entra.reseed();
  }
}
