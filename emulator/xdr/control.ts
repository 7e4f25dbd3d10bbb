// Control surface of the emulated Defender XDR API: incidents ground truth and drift, faults,
// throttle, hunting limits, request log. In process as `emu.control.xdr` (also `emu.xdr`); over
// HTTP under /_emulator/xdr/ (see control-http.ts in this folder).
import { Fault } from '../faults';
import { JsonObject } from '../jwt';
import { ThrottleSettings } from '../mdca/throttle';
import { RequestLogEntry } from '../tenant-state';
import { incidentHasMdcaAlert } from './link';
import { HuntingSettings, XdrTenant } from './state';

const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

export class XdrControl {
  constructor(private readonly tenants: Map<string, XdrTenant>) {}

  /** Accepts the tenant name or its GUID. */
  tenant(nameOrId: string): XdrTenant {
    const t = this.tenants.get(nameOrId) ?? [...this.tenants.values()].find((x) => x.tenantId === nameOrId.toLowerCase());
    if (!t) throw new Error(`unknown tenant: ${nameOrId}`);
    return t;
  }

  /** Ground truth, in the list order (most recently updated first). */
  listIncidents(tenant: string): JsonObject[] {
    return clone(this.tenant(tenant).sorted());
  }
  getIncident(tenant: string, incidentId: number): JsonObject | undefined {
    return clone(this.tenant(tenant).find(Number(incidentId)));
  }
  /** New incidents; `mdcaAlertIds: [...]` links existing MDCA alerts. */
  insertIncidents(tenant: string, partials: JsonObject[]): JsonObject[] {
    return clone(this.tenant(tenant).insert(partials));
  }
  /** Changes fields; lastUpdateTime becomes now unless given. */
  updateIncident(tenant: string, incidentId: number, patch: JsonObject): JsonObject | undefined {
    return clone(this.tenant(tenant).update(Number(incidentId), patch));
  }
  /** Incidents whose alerts come from this MDCA alert (`_id`). */
  incidentsForMdcaAlert(tenant: string, mdcaAlertId: string): JsonObject[] {
    return clone(this.tenant(tenant).incidents.filter((i) => incidentHasMdcaAlert(i, mdcaAlertId)));
  }

  injectFaults(tenant: string, faults: Fault[]): void {
    this.tenant(tenant).faults.add(faults);
  }
  clearFaults(tenant: string): void {
    this.tenant(tenant).faults.clear();
  }
  pendingFaults(tenant: string): Fault[] {
    return this.tenant(tenant).faults.list();
  }
  setThrottle(tenant: string, settings: Partial<ThrottleSettings> | false): void {
    this.tenant(tenant).setThrottle(settings);
  }
  /** `maxRows` (default 100,000) and `fail: {kind: 'timeout'|'cpuQuota'|'callQuota', times, retryAfterSeconds?}`. */
  setHunting(tenant: string, settings: Partial<HuntingSettings>): void {
    const t = this.tenant(tenant);
    t.hunting = { ...t.hunting, ...settings, ...(settings.fail ? { fail: { ...settings.fail } } : {}) };
  }
  requestLog(tenant: string): RequestLogEntry[] {
    return this.tenant(tenant).requestLog.map((e) => ({ ...e }));
  }
  resetRequestLog(tenant: string): void {
    this.tenant(tenant).requestLog = [];
  }
  /** Reseeds incidents (from the current MDCA alerts) and clears faults, throttle, hunting switches, log. */
  reset(tenant?: string): void {
    for (const t of tenant ? [this.tenant(tenant)] : [...this.tenants.values()]) t.reseed();
  }
}
