// Test/demo control surface: fault injection, drift, clock, device-code approval, logs, reset.
// The same operations are exposed over HTTP by control-http.ts; what it shares with the Defender
// XDR control (faults, throttle, request log of a tenant) is in tenant-control.ts.
import { BlobStore } from './blob-store';
import { EmulatorClock } from './clock';
import type { AlertPick } from './data/seed';
import { Fault } from './faults';
import { DeviceCodeState } from './identity/device-codes';
import { TokenRequestRecord, TokenService } from './identity/token-service';
import { JsonObject } from './jwt';
import { MDCA_PERMISSIONS, MDCA_RESOURCE_APP_ID } from './seed-credentials';
import { clone, TenantControl } from './tenant-control';
import { TenantState } from './tenant-state';
import type { XdrControl } from './xdr/control';
import type { GraphControl } from './graph/control';
import type { MdeControl } from './mde/control';

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

export class EmulatorControl extends TenantControl<TenantState> {
  /** The Defender XDR listeners (incidents, hunting); set by startEmulator. */
  xdr!: XdrControl;
  graph!: GraphControl;
  /** The Defender for Endpoint listeners (machines, machine actions). */
  mde!: MdeControl;

  constructor(
    tenants: Map<string, TenantState>,
    private readonly tokens: TokenService,
    private readonly clock: EmulatorClock,
    private readonly blobs: BlobStore,
    private readonly describe: () => JsonObject,
    private readonly mint: (claims: JsonObject) => string,
  ) {
    super(tenants);
  }

  /**
   * A token signed with the emulator's key for the given tenant (app token with all roles by
   * default); override any claim, e.g. `aud` or `exp`, to test the API's checks.
   */
  mintAccessToken(tenant: string, overrides: JsonObject = {}): string {
    const t = this.tenant(tenant);
    const now = Math.floor(this.clock.now() / 1000);
    return this.mint({ aud: MDCA_RESOURCE_APP_ID, iss: `https://sts.windows.net/${t.tenantId}/`, tid: t.tenantId, iat: now, nbf: now, exp: now + 3599, appid: 'minted', roles: [...MDCA_PERMISSIONS], ...overrides });
  }

  /**
   * The token the platform writes to AZURE_FEDERATED_TOKEN_FILE for the tenant's workload (issuer,
   * subject and audience of the workload app's federated credential); override any claim to test
   * the token endpoint's checks.
   */
  mintFederatedToken(tenant: string, overrides: JsonObject = {}): string {
    this.tenant(tenant);
    return this.tokens.mintFederatedToken(tenant, overrides);
  }

  /** Assigns or removes a managed identity ("system", "automation", "reader") of the tenant's Azure host. */
  setManagedIdentityAssigned(tenant: string, key: string, assigned: boolean): void {
    this.tenant(tenant);
    if (!this.tokens.setManagedIdentityAssigned(tenant, key, assigned)) throw new Error(`unknown managed identity: ${key}`);
  }

  injectTokenFaults(faults: Fault[]): void {
    this.tokens.faults.add(faults);
  }
  clearTokenFaults(): void {
    this.tokens.faults.clear();
  }

  /** New alerts as the seed builds them; `pick` names their policy (title) and seeded user (UPN or object id). */
  insertAlerts(tenant: string, partials: JsonObject[], pick?: AlertPick): JsonObject[] {
    return clone(this.tenant(tenant).insertAlerts(partials, pick));
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
    this.graph?.reset(tenant);
    this.mde?.reset(tenant);
    if (!tenant) {
      this.tokens.faults.clear();
      this.resetTokenRequests();
      this.clock.offsetMs = 0;
    }
  }

  /** URLs, ports and credentials (what the CLI writes to its state file). */
  state(): JsonObject {
    return this.describe();
  }
}
