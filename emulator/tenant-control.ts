// What the MDCA and the Defender XDR control surfaces (control.ts, xdr/control.ts) do alike for
// one emulated tenant: find it by name or GUID, queue faults, switch its throttle, read and clear
// its request log.
import { Fault, FaultQueue } from './faults';
import { ThrottleSettings } from './mdca/throttle';
import { RequestLogEntry } from './tenant-state';

/** The part of an emulated tenant (MDCA or Defender XDR) the control surface drives. */
export interface ControlledTenant {
  readonly tenantId: string;
  readonly faults: FaultQueue;
  requestLog: RequestLogEntry[];
  setThrottle(settings: Partial<ThrottleSettings> | false): void;
}

export class TenantControl<T extends ControlledTenant> {
  constructor(protected readonly tenants: Map<string, T>) {}

  /** Accepts the tenant name or its GUID. */
  tenant(nameOrId: string): T {
    const t = this.tenants.get(nameOrId) ?? [...this.tenants.values()].find((x) => x.tenantId === nameOrId.toLowerCase());
    if (!t) throw new Error(`unknown tenant: ${nameOrId}`);
    return t;
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
  requestLog(tenant: string): RequestLogEntry[] {
    return this.tenant(tenant).requestLog.map((e) => ({ ...e }));
  }
  resetRequestLog(tenant: string): void {
    this.tenant(tenant).requestLog = [];
  }
}

/** A deep copy, so a caller cannot change the emulator's ground truth through what it was given. */
export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}
