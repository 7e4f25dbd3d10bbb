// Control surface of the emulated Defender for Endpoint listener: machines ground truth and drift,
// machine actions, per-machine state and overrides, lifecycle durations and behaviour settings,
// faults, throttle, request log. In process as `emu.control.mde`; over HTTP under /_emulator/mde/
// (control-http.ts in this folder).
import { JsonObject } from '../jwt';
import { clone, TenantControl } from '../tenant-control';
import { actionView, Lifecycle, MachineOverride } from './actions';
import { machineRecord } from './machines';
import { MachineState, MdeRequestLogEntry, MdeSettings, MdeTenant } from './state';
import { MdeThrottleSettings } from './throttle';

export class MdeControl extends TenantControl<MdeTenant> {
  /** Each request: method, path (no query), status, fault, body summary (JSON fields, long values cut), action id. */
  override requestLog(tenant: string): MdeRequestLogEntry[] {
    return this.tenant(tenant).requestLog.map((e) => ({ ...e }));
  }
  /**
   * `perMinute` (100), `perHour` (1,500), `retryAfterHeader` (on), `minuteWindowMs` / `hourWindowMs`
   * (time-scaled benchmarks), `clock` ('real', or 'emulator' for tests that move the clock); `false`
   * turns throttling off. Clears the throttle's windows.
   */
  override setThrottle(tenant: string, settings: Partial<MdeThrottleSettings & { limit: number }> | false): void {
    this.tenant(tenant).setThrottle(settings);
  }
  /** When each call the throttle admitted was counted, on its clock (since its last reset). */
  throttleAdmissions(tenant: string): number[] {
    return this.tenant(tenant).throttle.admissions();
  }
  listMachines(tenant: string): JsonObject[] {
    return clone(this.settled(tenant).machines);
  }
  getMachine(tenant: string, idOrName: string): JsonObject | undefined {
    return clone(this.settled(tenant).findMachine(idOrName));
  }
  /** New machines: generated fields unless given (`id` 40-hex, `computerDnsName`, …). */
  insertMachines(tenant: string, partials: JsonObject[]): JsonObject[] {
    const t = this.settled(tenant);
    return clone(
      partials.map((partial) => {
        const base = machineRecord(t.graph.mdca.seed, `inserted:${t.machines.length}:${String(partial.id ?? partial.computerDnsName ?? '')}`, t.now(), undefined, `${t.name}.example`, t.machines.length);
        const machine: JsonObject = { ...base, ...partial };
        if (!/^[0-9a-f]{40}$/i.test(String(machine.id))) throw new Error(`machine id must be 40 hex characters: ${String(machine.id).slice(0, 60)}`);
        if (t.findMachine(String(machine.id))) throw new Error(`machine ${String(machine.id)} exists`);
        t.machines.push(machine);
        return machine;
      }),
    );
  }
  /** Changes fields of the machine record (the id stays). */
  updateMachine(tenant: string, idOrName: string, patch: JsonObject): JsonObject | undefined {
    const machine = this.settled(tenant).findMachine(idOrName);
    if (!machine) return undefined;
    Object.assign(machine, patch, { id: machine.id });
    return clone(machine);
  }
  /** Isolation, restriction, last scan, collected packages: what the machine record does not show. */
  getMachineState(tenant: string, idOrName: string): MachineState | undefined {
    const t = this.settled(tenant);
    const machine = t.findMachine(idOrName);
    return machine ? clone(t.stateOf(String(machine.id))) : undefined;
  }
  /** Sets the state directly (e.g. a machine isolated before the test). */
  setMachineState(tenant: string, idOrName: string, state: Partial<MachineState>): MachineState {
    const t = this.settled(tenant);
    const machine = t.findMachine(idOrName);
    if (!machine) throw new Error(`unknown machine: ${idOrName}`);
    const current = t.stateOf(String(machine.id));
    Object.assign(current, clone(state));
    return clone(current);
  }
  /** `{offline: true}` (actions stay Pending, then TimeOut), `{forceStatus: 'Failed'}`; `null` clears. For actions created from now on. */
  setMachineOverride(tenant: string, idOrName: string, override: MachineOverride | null): void {
    this.tenant(tenant).setOverride(idOrName, override);
  }
  machineOverrides(tenant: string): Record<string, MachineOverride> {
    return clone(Object.fromEntries(this.tenant(tenant).overrides));
  }
  /** Machine actions as the API shows them now, newest first. */
  listActions(tenant: string): JsonObject[] {
    const t = this.settled(tenant);
    const now = t.now();
    return t.sortedActions().map((a) => actionView(a, now));
  }
  getAction(tenant: string, id: string): JsonObject | undefined {
    const t = this.settled(tenant);
    const action = t.findAction(id);
    return action ? actionView(action, t.now()) : undefined;
  }
  /** Durations of new actions: `pendingMs` (20 s), `inProgressMs` (60 s), `offlineTimeoutMs` (30 min). */
  setLifecycle(tenant: string, lifecycle: Partial<Lifecycle>): void {
    this.tenant(tenant).setSettings({ lifecycle: lifecycle as Lifecycle });
  }
  /** `duplicateMode` ('400' | '201-existing'), `alreadyAppliedMode` ('201' | '400'), `emptyMachineList` ('404' | '200'), `packageUriQuoted`. */
  setSettings(tenant: string, settings: Partial<MdeSettings>): void {
    this.tenant(tenant).setSettings(settings);
  }
  settings(tenant: string): MdeSettings {
    return clone(this.tenant(tenant).settings);
  }
  private settled(tenant: string): MdeTenant {
    const t = this.tenant(tenant);
    t.settle();
    return t;
  }
  /** Reseeds machines and clears actions, state, overrides, settings, faults, throttle window and log. */
  reset(tenant?: string): void {
    for (const t of tenant ? [this.tenant(tenant)] : [...this.tenants.values()]) t.reseed();
  }
}
