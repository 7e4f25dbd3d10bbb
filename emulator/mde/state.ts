// Defender for Endpoint state of one emulated tenant: machines (the Graph alert evidence devices
// and generated ones), machine actions with their lifecycle, per-machine isolation and restriction
// state, per-machine overrides, settings, throttle, faults and a request log.
import { FaultQueue } from '../faults';
import { deviceOf, EvidenceDevice } from '../graph/evidence';
import type { GraphTenant } from '../graph/state';
import { JsonObject } from '../jwt';
import { clone } from '../tenant-control';
import { RequestLogEntry } from '../tenant-state';
import { ActionType, DEFAULT_LIFECYCLE, isLive, Lifecycle, MachineOverride, newAction, StoredAction, statusAt } from './actions';
import { machineRecord, mdeTime, seedMachines } from './machines';
import { MDE_DEFAULT_THROTTLE, MdeThrottle, MdeThrottleSettings } from './throttle';

export interface MdeTenantOptions {
  /** At least this many machines (default 60): evidence devices first, then generated ones. */
  machines?: number;
  /** 100/min and 1,500/h by default; `false` turns throttling off. */
  throttle?: Partial<MdeThrottleSettings> | false;
}

export interface MdeSettings {
  lifecycle: Lifecycle;
  /**
   * A second action of a type already Pending or InProgress on the machine: '400' answers 400
   * ActiveRequestAlreadyExists (observed), '201-existing' answers 201 with the live action (the
   * other answer the docs allow). A second investigation package collection is always 400.
   */
  duplicateMode: '400' | '201-existing';
  /**
   * Isolating an isolated machine (or releasing a released one, restricting a restricted one…):
   * undocumented. '201' (default) accepts a new action that changes nothing; '400' refuses it.
   */
  alreadyAppliedMode: '201' | '400';
  /** An empty machine list answers 404 (documented) or, with '200', an empty `value`. */
  emptyMachineList: '404' | '200';
  /** GetPackageUri's `value` wrapped in quotes, as the docs' example shows it. Off by default. */
  packageUriQuoted: boolean;
}

/** What the machine record does not show: isolation, restriction, scans, package readiness. */
export interface MachineState {
  isolated: boolean;
  isolationType: string | null;
  restricted: boolean;
  lastScan: { scanType: string; at: string } | null;
  /** Action ids of succeeded investigation package collections. */
  packages: string[];
}

export interface MdeRequestLogEntry extends RequestLogEntry {
  /** The JSON body's fields with long values shortened (comments), for counting what was sent. */
  body?: string;
  /** The MachineAction created or answered, when there is one. */
  actionId?: string;
}

const DEFAULT_SETTINGS: MdeSettings = { lifecycle: { ...DEFAULT_LIFECYCLE }, duplicateMode: '400', alreadyAppliedMode: '201', emptyMachineList: '404', packageUriQuoted: false };
const freshState = (): MachineState => ({ isolated: false, isolationType: null, restricted: false, lastScan: null, packages: [] });

export class MdeTenant {
  apiUrl = '';
  /** Origin of the blob stand-in that serves investigation packages (the identity listener). */
  blobBaseUrl = '';
  machines: JsonObject[] = [];
  actions: StoredAction[] = [];
  settings: MdeSettings = clone(DEFAULT_SETTINGS);
  readonly overrides = new Map<string, MachineOverride>();
  readonly machineState = new Map<string, MachineState>();
  readonly throttle: MdeThrottle;
  readonly faults = new FaultQueue();
  requestLog: MdeRequestLogEntry[] = [];
  private evidenceAlertsSeen = 0;

  constructor(
    readonly graph: GraphTenant,
    private readonly options: MdeTenantOptions = {},
  ) {
    this.throttle = new MdeThrottle(options.throttle === false ? false : { ...MDE_DEFAULT_THROTTLE, ...(options.throttle ?? {}) }, (clock) => (clock === 'emulator' ? this.now() : Date.now()));
    this.reseed();
  }

  get name(): string {
    return this.graph.name;
  }
  get tenantId(): string {
    return this.graph.tenantId;
  }
  now(): number {
    return this.graph.now();
  }
  get blobs() {
    return this.graph.mdca.blobs;
  }
  private get domain(): string {
    return `${this.name}.example`;
  }

  reseed(): void {
    this.graph.syncMdca();
    this.evidenceAlertsSeen = this.graph.alerts.length;
    const devices = [...evidenceDevices(this.graph.alerts), ...this.graph.evidenceUsers().map((u) => deviceOf(u, this.graph.mdca.seed))];
    this.machines = seedMachines(this.graph.mdca.seed, this.graph.mdca.ctx.anchorMs, devices, this.domain, this.options.machines ?? 60);
    this.actions = [];
    this.settings = clone(DEFAULT_SETTINGS);
    this.overrides.clear();
    this.machineState.clear();
    this.faults.clear();
    this.throttle.reset();
    this.requestLog = [];
  }

  /**
   * Brings the tenant up to now: devices of Graph alerts added since the last look become
   * machines, and actions that succeeded since change their machine's state. Run before every
   * request and control read.
   */
  settle(): void {
    this.graph.syncMdca();
    if (this.graph.alerts.length !== this.evidenceAlertsSeen) {
      this.evidenceAlertsSeen = this.graph.alerts.length;
      for (const device of evidenceDevices(this.graph.alerts)) {
        if (!this.findMachine(device.mdeDeviceId)) this.machines.push(machineRecord(this.graph.mdca.seed, device.mdeDeviceId, this.now(), device, this.domain, this.machines.length));
      }
    }
    const now = this.now();
    const done = this.actions
      .filter((a) => !a.applied)
      .map((a) => ({ action: a, ...statusAt(a, now) }))
      .filter((x) => !isLive(x.status))
      .sort((a, b) => a.sinceMs - b.sinceMs);
    for (const { action, status, sinceMs } of done) {
      action.applied = true;
      if (status === 'Succeeded') this.apply(action, sinceMs);
    }
  }

  private apply(action: StoredAction, atMs: number): void {
    const state = this.stateOf(action.machineId);
    switch (action.type) {
      case 'Isolate':
        Object.assign(state, { isolated: true, isolationType: action.scope });
        break;
      case 'Unisolate':
        Object.assign(state, { isolated: false, isolationType: null });
        break;
      case 'RestrictCodeExecution':
        state.restricted = true;
        break;
      case 'UnrestrictCodeExecution':
        state.restricted = false;
        break;
      case 'RunAntiVirusScan':
        state.lastScan = { scanType: String(action.scope), at: mdeTime(atMs) };
        break;
      case 'CollectInvestigationPackage':
        state.packages.push(action.id);
        break;
    }
  }

  stateOf(machineId: string): MachineState {
    let state = this.machineState.get(machineId);
    if (!state) {
      state = freshState();
      this.machineState.set(machineId, state);
    }
    return state;
  }

  /** By id (any case) or computer DNS name (any case). */
  findMachine(idOrName: string): JsonObject | undefined {
    const key = idOrName.toLowerCase();
    return this.machines.find((m) => String(m.id).toLowerCase() === key) ?? this.machines.find((m) => String(m.computerDnsName).toLowerCase() === key);
  }

  findAction(id: string): StoredAction | undefined {
    const key = id.toLowerCase();
    return this.actions.find((a) => a.id === key);
  }

  /** The action of this type on the machine that is still Pending or InProgress. */
  liveAction(machineId: string, type: ActionType): StoredAction | undefined {
    const now = this.now();
    return this.actions.find((a) => a.machineId === machineId && a.type === type && isLive(statusAt(a, now).status));
  }

  addAction(fields: Omit<StoredAction, 'id' | 'plan' | 'applied' | 'createdMs'>): StoredAction {
    const action = newAction({ ...fields, createdMs: this.now() }, this.settings.lifecycle, this.overrides.get(fields.machineId));
    this.actions.push(action);
    return action;
  }

  /** Newest first, as the list answers. */
  sortedActions(): StoredAction[] {
    return [...this.actions].sort((a, b) => b.createdMs - a.createdMs);
  }

  setThrottle(settings: Partial<MdeThrottleSettings & { limit: number }> | false): void {
    const current = this.throttle.settings === false ? MDE_DEFAULT_THROTTLE : this.throttle.settings;
    if (settings === false) this.throttle.settings = false;
    else {
      const { limit, ...rest } = settings;
      this.throttle.settings = { ...current, ...(limit !== undefined ? { perMinute: limit } : {}), ...rest };
    }
    this.throttle.reset();
  }

  setSettings(settings: Partial<MdeSettings>): void {
    this.settings = { ...this.settings, ...clone(settings), lifecycle: { ...this.settings.lifecycle, ...(settings.lifecycle ?? {}) } };
  }

  setOverride(machineId: string, override: MachineOverride | null): void {
    const machine = this.findMachine(machineId);
    if (!machine) throw new Error(`unknown machine: ${machineId}`);
    if (override === null) this.overrides.delete(String(machine.id));
    else this.overrides.set(String(machine.id), { ...(this.overrides.get(String(machine.id)) ?? {}), ...override });
  }
}

/** Every device named in the alerts' evidence (the first sighting of each id). */
function evidenceDevices(alerts: JsonObject[]): EvidenceDevice[] {
  const out: EvidenceDevice[] = [];
  for (const alert of alerts) {
    for (const e of (alert.evidence as JsonObject[] | undefined) ?? []) {
      if (!String(e['@odata.type']).endsWith('deviceEvidence') || typeof e.mdeDeviceId !== 'string') continue;
      out.push({ mdeDeviceId: e.mdeDeviceId, azureAdDeviceId: String(e.azureAdDeviceId ?? ''), deviceDnsName: String(e.deviceDnsName ?? e.hostName ?? e.mdeDeviceId), hostName: String(e.hostName ?? '') });
    }
  }
  return out;
}
