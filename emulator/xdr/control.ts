// Control surface of the emulated Defender XDR API: incidents ground truth and drift, faults,
// throttle, hunting limits, request log. In process as `emu.control.xdr` (also `emu.xdr`); over
// HTTP under /_emulator/xdr/ (see control-http.ts in this folder).
import { JsonObject } from '../jwt';
import { clone, TenantControl } from '../tenant-control';
import { incidentHasMdcaAlert } from './link';
import { HuntingSettings, XdrTenant } from './state';

/** Faults, throttle and the request log of a tenant come from TenantControl (emulator/tenant-control.ts). */
export class XdrControl extends TenantControl<XdrTenant> {
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

  /** `maxRows` (default 100,000) and `fail: {kind: 'timeout'|'cpuQuota'|'callQuota', times, retryAfterSeconds?}`. */
  setHunting(tenant: string, settings: Partial<HuntingSettings>): void {
    const t = this.tenant(tenant);
    t.hunting = { ...t.hunting, ...settings, ...(settings.fail ? { fail: { ...settings.fail } } : {}) };
  }
  /** Reseeds incidents (from the current MDCA alerts) and clears faults, throttle, hunting switches, log. */
  reset(tenant?: string): void {
    for (const t of tenant ? [this.tenant(tenant)] : [...this.tenants.values()]) t.reseed();
  }
}
