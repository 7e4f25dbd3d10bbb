// Everything one emulated MDCA tenant owns: its data, throttle window, faults and request log.
import { BlobStore } from './blob-store';
import { EmulatorClock } from './clock';
import { DEFAULT_COUNTS, numericTenantIdFor, SeedContext, SeedCounts } from './data/context';
import { ActivityStore, defaultActivity } from './data/generator';
import { AlertPick, buildAlert, objectId, seedAlerts, seedEntities, seedFiles, seedStreams, seedSubnets, seedUsers, SeedUser, usersForEntities } from './data/seed';
import { FaultQueue } from './faults';
import { JsonObject } from './jwt';
import { objectIdFromRandom } from './mdca/ids';
import { DEFAULT_THROTTLE, SlidingWindowThrottle, ThrottleSettings } from './mdca/throttle';
import { tenantIdFor } from './seed-credentials';

export interface TenantOptions {
  name: string;
  seed?: number;
  counts?: Partial<SeedCounts>;
  /** `false` switches throttling off (benchmarks). */
  throttle?: Partial<ThrottleSettings> | false;
  /** fixed port for this tenant's API listener (default: api-port-base + index, or random) */
  port?: number;
}

export interface RequestLogEntry {
  at: number;
  method: string;
  /** path only: query strings may carry secrets (SAS signatures) and are left out */
  path: string;
  authKind: 'bearer' | 'token' | 'none';
  status: number;
  throttled: boolean;
  bodyBytes: number;
  fault?: string;
  /** Bearer tokens only: the token's `exp` minus the emulator clock when it arrived (negative = expired). */
  tokenRemainingMs?: number;
}

export class TenantState {
  readonly name: string;
  readonly tenantId: string;
  readonly seed: number;
  readonly counts: SeedCounts;
  apiUrl = '';
  ctx!: SeedContext;
  users: SeedUser[] = [];
  alerts: JsonObject[] = [];
  entities: JsonObject[] = [];
  subnets: JsonObject[] = [];
  streams: JsonObject[] = [];
  files: JsonObject[] = [];
  activities!: ActivityStore;
  feedback: JsonObject[] = [];
  readonly throttle: SlidingWindowThrottle;
  readonly faults = new FaultQueue();
  requestLog: RequestLogEntry[] = [];
  private alertIndex = new Map<string, JsonObject>();

  constructor(
    options: TenantOptions,
    index: number,
    private readonly clock: EmulatorClock,
    readonly blobs: BlobStore,
    private readonly anchorMs: number,
  ) {
    this.name = options.name;
    this.tenantId = tenantIdFor(options.name);
    this.seed = options.seed ?? index + 1;
    this.counts = { ...DEFAULT_COUNTS, ...(options.counts ?? {}) };
    this.throttle = new SlidingWindowThrottle(options.throttle === false ? false : { ...DEFAULT_THROTTLE, ...(options.throttle ?? {}) }, () => Date.now());
    this.reseed();
  }

  now(): number {
    return this.clock.now();
  }

  /** (Re)builds the seed data; faults, throttle window and log are cleared too. */
  reseed(): void {
    this.ctx = {
      seed: this.seed,
      tenantName: this.name,
      tenantId: this.tenantId,
      numericTenantId: numericTenantIdFor(this.name),
      anchorMs: this.anchorMs,
      portalUrl: `https://${this.name}.portal.cloudappsecurity.com`,
    };
    this.users = seedUsers(this.ctx, usersForEntities(this.counts.entities));
    this.entities = seedEntities(this.ctx, this.users, this.counts.entities);
    this.alerts = seedAlerts(this.ctx, this.users, this.counts.alerts);
    this.subnets = seedSubnets(this.ctx, this.counts.subnets);
    this.streams = seedStreams(this.ctx, this.counts.streams);
    this.files = seedFiles(this.ctx, this.users, this.counts.files);
    this.activities = new ActivityStore(this.ctx, this.users, this.counts.activities);
    this.feedback = [];
    this.alertIndex = new Map(this.alerts.map((a) => [String(a._id), a]));
    this.faults.clear();
    this.throttle.reset();
    this.requestLog = [];
    this.blobs.clearTenant(this.name);
  }

  findAlert(id: string): JsonObject | undefined {
    return this.alertIndex.get(id);
  }

  /** Drift: new alerts (defaults filled), kept in newest-first order. */
  /** New alerts built as the seed builds them (of `pick`'s policy and user when given), with `partials`' fields on top. */
  insertAlerts(partials: JsonObject[], pick: AlertPick = {}): JsonObject[] {
    const out = partials.map((partial, k) => {
      const id = typeof partial._id === 'string' ? partial._id : objectIdFromRandom();
      const timestamp = typeof partial.timestamp === 'number' ? partial.timestamp : this.now();
      const base = buildAlert(this.ctx, this.users, this.alerts.length + k + 1_000_000, timestamp, id, pick);
      const alert: JsonObject = { ...base, ...partial, _id: id, timestamp, URL: `${this.ctx.portalUrl}/#/alerts/${id}` };
      this.alertIndex.set(id, alert);
      return alert;
    });
    this.alerts.push(...out);
    // Stable sort keeps seeded tie order; the list endpoint sorts again per request anyway.
    this.alerts.sort((a, b) => Number(b.timestamp) - Number(a.timestamp));
    return out;
  }

  updateAlert(id: string, patch: JsonObject): JsonObject | undefined {
    const alert = this.alertIndex.get(id);
    if (!alert) return undefined;
    Object.assign(alert, patch, { _id: id });
    if (patch.timestamp !== undefined) this.alerts.sort((a, b) => Number(b.timestamp) - Number(a.timestamp));
    return alert;
  }

  insertActivities(partials: JsonObject[]): JsonObject[] {
    return partials.map((p) => this.activities.insert(defaultActivity(this.ctx, this.users, this.activities, p, this.now())));
  }

  newObjectId(kind: string, index: number): string {
    return objectId(this.seed, kind, index);
  }

  setThrottle(settings: Partial<ThrottleSettings> | false): void {
    const current = this.throttle.settings === false ? DEFAULT_THROTTLE : this.throttle.settings;
    this.throttle.settings = settings === false ? false : { ...current, ...settings };
    this.throttle.reset();
  }
}
