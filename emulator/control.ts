// Test/demo control surface: fault injection, drift, clock, device-code approval, logs, reset.
// The same operations are exposed over HTTP by control-http.ts.
import { BlobStore } from './blob-store';
import { EmulatorClock } from './clock';
import { Fault } from './faults';
import { DeviceCodeState } from './identity/device-codes';
import { TokenRequestRecord, TokenService } from './identity/token-service';
import { JsonObject } from './jwt';
import { ThrottleSettings } from './mdca/throttle';
import { RequestLogEntry, TenantState } from './tenant-state';
import type { XdrControl } from './xdr/control';

export interface UploadInfo {
  url: string;
  filename: string;
  source: string;
  size: number;
  committed: boolean;
  finalized: boolean;
  blocks: number;
  inputStreamName?: string;
  uploadAsSnapshot?: boolean;
}

export interface TokenRequestCounts {
  total: number;
  byTenant: Record<string, number>;
  byClient: Record<string, number>;
  byGrant: Record<string, number>;
}

export class EmulatorControl {
  /** The Defender XDR listeners (incidents, hunting); set by startEmulator. */
  xdr!: XdrControl;

  constructor(
    private readonly tenants: Map<string, TenantState>,
    private readonly tokens: TokenService,
    private readonly clock: EmulatorClock,
    private readonly blobs: BlobStore,
    private readonly describe: () => JsonObject,
    private readonly mint: (claims: JsonObject) => string,
  ) {}

  /**
   * A token signed with the emulator's key for the given tenant (app token with all roles by
   * default); override any claim, e.g. `aud` or `exp`, to test the API's checks.
   */
  mintAccessToken(tenant: string, overrides: JsonObject = {}): string {
    const t = this.tenant(tenant);
    const now = Math.floor(this.clock.now() / 1000);
    return this.mint({ aud: '05a65629-4c1b-48c1-a78b-804c4abdd4af', iss: `https://sts.windows.net/${t.tenantId}/`, tid: t.tenantId, iat: now, nbf: now, exp: now + 3599, appid: 'minted', roles: ['Investigation.read', 'Investigation.manage', 'Discovery.read', 'Discovery.manage', 'Settings.read', 'Settings.manage'], ...overrides });
  }

  /** Accepts the tenant name or its GUID. */
  tenant(nameOrId: string): TenantState {
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
  injectTokenFaults(faults: Fault[]): void {
    this.tokens.faults.add(faults);
  }
  clearTokenFaults(): void {
    this.tokens.faults.clear();
  }

  insertAlerts(tenant: string, partials: JsonObject[]): JsonObject[] {
    return clone(this.tenant(tenant).insertAlerts(partials));
  }
  updateAlert(tenant: string, id: string, patch: JsonObject): JsonObject | undefined {
    return clone(this.tenant(tenant).updateAlert(id, patch));
  }
  getAlert(tenant: string, id: string): JsonObject | undefined {
    return clone(this.tenant(tenant).findAlert(id));
  }
  /** Ground truth, newest first. */
  listAlerts(tenant: string): JsonObject[] {
    return clone(this.tenant(tenant).alerts);
  }
  insertActivities(tenant: string, partials: JsonObject[]): JsonObject[] {
    return clone(this.tenant(tenant).insertActivities(partials));
  }
  getActivity(tenant: string, id: string): JsonObject | undefined {
    return clone(this.tenant(tenant).activities.get(id));
  }
  /** Every activity (builds generated ones: meant for small sets). */
  listActivities(tenant: string): JsonObject[] {
    return this.tenant(tenant).activities.all();
  }
  activityCount(tenant: string): number {
    return this.tenant(tenant).activities.size;
  }
  getActivityFeedback(tenant: string): JsonObject[] {
    return clone(this.tenant(tenant).feedback);
  }
  listEntities(tenant: string): JsonObject[] {
    return clone(this.tenant(tenant).entities);
  }
  listFiles(tenant: string): JsonObject[] {
    return clone(this.tenant(tenant).files);
  }
  listStreams(tenant: string): JsonObject[] {
    return clone(this.tenant(tenant).streams);
  }
  getSubnets(tenant: string): JsonObject[] {
    return clone(this.tenant(tenant).subnets);
  }
  getUploads(tenant: string): UploadInfo[] {
    return this.blobs.forTenant(this.tenant(tenant).name).map((b) => ({
      url: b.url,
      filename: b.filename,
      source: b.source,
      size: b.size,
      committed: b.committed,
      finalized: b.finalized,
      blocks: b.blocks.size,
      ...(b.inputStreamName !== undefined ? { inputStreamName: b.inputStreamName } : {}),
      ...(b.uploadAsSnapshot !== undefined ? { uploadAsSnapshot: b.uploadAsSnapshot } : {}),
    }));
  }

  setClockOffsetMs(offsetMs: number): void {
    this.clock.offsetMs = offsetMs;
  }
  clockOffsetMs(): number {
    return this.clock.offsetMs;
  }
  now(): number {
    return this.clock.now();
  }

  approveDeviceCode(userCode: string, username: string): boolean {
    return this.tokens.approveDeviceCode(userCode, username);
  }
  denyDeviceCode(userCode: string): boolean {
    return this.tokens.denyDeviceCode(userCode);
  }
  lastDeviceCode(): Pick<DeviceCodeState, 'userCode' | 'clientId' | 'tenantId' | 'status' | 'expiresAt' | 'scope'> | undefined {
    const s = this.tokens.deviceCodes.last();
    return s ? { userCode: s.userCode, clientId: s.clientId, tenantId: s.tenantId, status: s.status, expiresAt: s.expiresAt, scope: s.scope } : undefined;
  }

  requestLog(tenant: string): RequestLogEntry[] {
    return this.tenant(tenant).requestLog.map((e) => ({ ...e }));
  }
  resetRequestLog(tenant: string): void {
    this.tenant(tenant).requestLog = [];
  }
  tokenRequests(): TokenRequestRecord[] {
    return this.tokens.requests.map((r) => ({ ...r }));
  }
  tokenRequestCounts(): TokenRequestCounts {
    const counts: TokenRequestCounts = { total: 0, byTenant: {}, byClient: {}, byGrant: {} };
    for (const r of this.tokens.requests) {
      counts.total++;
      counts.byTenant[r.tenantId] = (counts.byTenant[r.tenantId] ?? 0) + 1;
      counts.byClient[r.clientId] = (counts.byClient[r.clientId] ?? 0) + 1;
      counts.byGrant[r.grant] = (counts.byGrant[r.grant] ?? 0) + 1;
    }
    return counts;
  }
  resetTokenRequests(): void {
    this.tokens.requests.length = 0;
  }

  /** Reseeds one tenant (or all) and clears its faults, throttle window and logs. */
  reset(tenant?: string): void {
    const targets = tenant ? [this.tenant(tenant)] : [...this.tenants.values()];
    for (const t of targets) t.reseed();
    this.xdr?.reset(tenant);
    if (!tenant) {
      this.tokens.faults.clear();
      this.resetTokenRequests();
      this.clock.offsetMs = 0;
    }
  }

  setThrottle(tenant: string, settings: Partial<ThrottleSettings> | false): void {
    this.tenant(tenant).setThrottle(settings);
  }

  /** URLs, ports and credentials (what the CLI writes to its state file). */
  state(): JsonObject {
    return this.describe();
  }
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}
