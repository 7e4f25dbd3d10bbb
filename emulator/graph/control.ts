// Control surface of the emulated Graph security listener: alerts and incidents ground truth and
// drift, page size, strict pairs, hunting limits, faults, throttle, request log. In process as
// `emu.control.graph`; over HTTP under /_emulator/graph/ (control-http.ts in this folder).
import { JsonObject } from '../jwt';
import { clone, TenantControl } from '../tenant-control';
import type { HuntingSettings } from '../xdr/state';
import { GraphSettings, GraphTenant } from './state';
import { EntraControl } from '../entra/control';

export class GraphControl extends TenantControl<GraphTenant> {
  /** Entra ID users and Identity Protection of the same listeners (emulator/entra/control.ts). */
  readonly entra = new EntraControl(this.tenants);

  /** Ground truth in list order (newest first). */
  listAlerts(tenant: string): JsonObject[] {
    return clone(this.synced(tenant).sortedAlerts());
  }
  getAlert(tenant: string, id: string): JsonObject | undefined {
    return clone(this.synced(tenant).findAlert(id));
  }
  insertAlerts(tenant: string, partials: JsonObject[]): JsonObject[] {
    return clone(this.tenant(tenant).insertAlerts(partials));
  }
  updateAlert(tenant: string, id: string, patch: JsonObject): JsonObject | undefined {
    return clone(this.synced(tenant).updateAlert(id, patch));
  }
  listIncidents(tenant: string): JsonObject[] {
    return clone(this.synced(tenant).sortedIncidents());
  }
  getIncident(tenant: string, id: string): JsonObject | undefined {
    return clone(this.synced(tenant).findIncident(id));
  }
  /** New incidents, each with one new alert unless `alerts: false`. */
  insertIncidents(tenant: string, partials: JsonObject[], options: { alerts?: boolean } = {}): JsonObject[] {
    return clone(this.tenant(tenant).insertIncidents(partials, options));
  }
  updateIncident(tenant: string, id: string, patch: JsonObject): JsonObject | undefined {
    return clone(this.tenant(tenant).updateIncident(id, patch));
  }
  /** `pageSize` (default 100), `maxPageSize` (default 1000: server-driven paging below it), `strictPairs` (default on), `pascalSchema` (default off). */
  setSettings(tenant: string, settings: Partial<GraphSettings>): void {
    const t = this.tenant(tenant);
    t.settings = { ...t.settings, ...settings };
  }
  /** `maxRows` (default 100,000) and `fail: {kind: 'timeout'|'cpuQuota'|'callQuota', times, retryAfterSeconds?}`. */
  setHunting(tenant: string, settings: Partial<HuntingSettings>): void {
    const t = this.tenant(tenant);
    t.hunting = { ...t.hunting, ...settings, ...(settings.fail ? { fail: { ...settings.fail } } : {}) };
  }
  /** The tenant with the MDCA side brought in (closes, reopens and new MDCA alerts). */
  private synced(tenant: string): GraphTenant {
    const t = this.tenant(tenant);
    t.syncMdca();
    return t;
  }
  reset(tenant?: string): void {
    for (const t of tenant ? [this.tenant(tenant)] : [...this.tenants.values()]) t.reseed();
  }
}
