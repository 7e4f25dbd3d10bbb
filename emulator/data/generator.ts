// Activities, computed from their index (the large-set generator). A 100k-activity tenant keeps
// only its count and the few drift inserts in memory; pages are built on demand.
import { JsonObject } from '../jwt';
import { APPS, appName, COUNTRIES, EVENT_TYPES, USER_AGENT } from './catalog';
import { SeedContext, SPAN_MS } from './context';
import { Rng } from './random';
import { completeActivity } from './activity-detail';
import { SeedUser } from './seed';

/** Stored-after-happened delay of seeded activities (`created` − `timestamp`). */
const CREATED_LAG_MS = 2345;

export interface ActivityEntry {
  /** Sort key value (timestamp or created). */
  key: number;
  /** Position in the canonical order; breaks ties between equal keys. */
  seq: number;
  /** Cheap to read without building the record. */
  timestamp: number;
  created: number;
  record(): JsonObject;
}

export class ActivityStore {
  private readonly step: number;
  /** Drift inserts, with their sequence numbers (after all generated ones). */
  private inserted: Array<{ seq: number; record: JsonObject }> = [];
  private byId = new Map<string, JsonObject>();

  constructor(
    private readonly ctx: SeedContext,
    private readonly users: SeedUser[],
    readonly baseCount: number,
  ) {
    this.step = Math.max(1, Math.floor(SPAN_MS / Math.max(1, baseCount)));
  }

  get size(): number {
    return this.baseCount + this.inserted.length;
  }

  /** Non-increasing in index; every fourth activity shares a timestamp with its neighbour. */
  timestampOf(index: number): number {
    return this.ctx.anchorMs - 30_000 - Math.floor((index * 3) / 4) * this.step;
  }

  private idOf(index: number, appId: number, rng: Rng): string {
    // The last uuid group carries the index so fetch-by-id needs no lookup table.
    const u = rng.uuid();
    return `${this.ctx.numericTenantId}_${appId}_${u.slice(0, 24)}${index.toString(16).padStart(12, '0')}`;
  }

  build(index: number): JsonObject {
    const rng = Rng.for(this.ctx.seed, 'activity', index);
    const app = APPS[rng.int(APPS.length)];
    const event = EVENT_TYPES[rng.int(EVENT_TYPES.length)];
    const user = this.users[rng.int(this.users.length)];
    const country = COUNTRIES[rng.int(COUNTRIES.length)];
    const ip = rng.ip();
    const timestamp = this.timestampOf(index);
    const id = this.idOf(index, app.appId, rng);
    const isAdmin = event.value === 'EVENT_AZURE_ADMIN';
    const userTag = '000000200000000000000000';
    const created = timestamp + CREATED_LAG_MS;
    const base: JsonObject = {
      _id: id,
      uid: id,
      tenantId: this.ctx.numericTenantId,
      aadTenantId: this.ctx.tenantId,
      appId: app.appId,
      saasId: app.appId,
      srcAppId: 11161,
      appName: app.name,
      timestamp,
      timestampRaw: timestamp,
      instantiation: timestamp + 1000,
      instantiationRaw: timestamp + 1000,
      created,
      createdRaw: created,
      eventType: event.code,
      eventTypeValue: event.value,
      eventTypeName: isAdmin ? 'EVENT_CATEGORY_ADMIN' : 'EVENT_CATEGORY_UNSPECIFIED',
      genericEventType: 'ENUM_ACTIVITY_GENERIC_TYPE_BASIC',
      actionType: event.action,
      description: event.description,
      description_id: 'EVENT_DESCRIPTION_BASIC_EVENT',
      description_metadata: { operation_name: event.description, target_object: '', colon: '', dash: '' },
      severity: 'INFO',
      confidenceLevel: 20,
      source: 2,
      classifications: [],
      impersonated: false,
      adminEvent: isAdmin,
      device: { clientIP: ip, userAgent: USER_AGENT, countryCode: country.code, type: rng.pick(['DESKTOP', 'DESKTOP', 'MOBILE', 'TABLET', 'OTHER']), tags: [] },
      location: {
        countryCode: country.code,
        city: country.city,
        region: country.region,
        organizationSearchable: country.org,
        anonymousProxy: false,
        isSatelliteProvider: false,
        category: 0,
        categoryValue: 'NONE',
      },
      user: { userName: user.email, userTags: [userTag], orgUnit: null, domain: `${this.ctx.tenantName}.example` },
      userAgent: { family: 'EDGE_CHROMIUM', name: 'Edge', major: '124', minor: '0', version: '124.0', operatingSystem: { name: 'Windows 10', family: 'Windows', version: '10' }, type: 'Browser', typeName: 'Browser', deviceType: 'DESKTOP', nativeBrowser: false, tags: ['000000000000000000000000'], os: 'WINDOWS', browser: 'EDGE_CHROMIUM' },
      internals: { otherIPs: [ip] },
      mainInfo: { eventObjects: [], rawOperationName: event.action, prettyOperationName: event.description, type: 'basic' },
      resolvedActor: { id: user.oid, saasId: '11161', instanceId: '0', objType: '23', role: '4', name: user.displayName, resolved: true, tags: [] },
      // As recorded: "0" is the account by UPN, "2" the same user by object id, "1" unused.
      entityData: {
        '0': { displayName: user.displayName, id: { id: user.email, saas: 11161, inst: 0 }, resolved: true },
        '1': null,
        '2': { displayName: user.displayName, id: { id: user.oid, saas: 11161, inst: 0 }, resolved: true },
      },
    };
    const facts = { ctx: this.ctx, user, appId: app.appId, eventValue: event.value, action: event.action, ip, country, timestamp, created, userTag };
    return completeActivity(base, facts, Rng.for(this.ctx.seed, 'activity-detail', index));
  }

  /** Drift: activities arriving after start, possibly with old timestamps (late arrival). */
  insert(record: JsonObject): JsonObject {
    const seq = this.baseCount + this.inserted.length;
    this.inserted.push({ seq, record });
    this.byId.set(String(record._id), record);
    return record;
  }

  get(id: string): JsonObject | undefined {
    const hit = this.byId.get(id);
    if (hit) return hit;
    const m = /^\d+_\d+_[0-9a-f-]{24}([0-9a-f]{12})$/.exec(id);
    if (!m) return undefined;
    const index = parseInt(m[1], 16);
    if (index >= this.baseCount) return undefined;
    const record = this.build(index);
    return record._id === id ? record : undefined;
  }

  /** First index whose timestamp is ≤ max, and last index whose timestamp is ≥ min. */
  private indexRange(min: number, max: number): [number, number] {
    let lo = 0;
    let hi = this.baseCount;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.timestampOf(mid) > max) lo = mid + 1;
      else hi = mid;
    }
    const first = lo;
    lo = first;
    hi = this.baseCount;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.timestampOf(mid) >= min) lo = mid + 1;
      else hi = mid;
    }
    return [first, lo - 1];
  }

  /**
   * All activities in sort order (`desc` = newest first, ties by ascending seq; `asc` is the exact
   * reverse), restricted to keys within [min, max]. Generated records are built lazily.
   */
  *entries(sortField: 'date' | 'created', direction: 'asc' | 'desc', min: number, max: number): Generator<ActivityEntry> {
    const lag = sortField === 'created' ? CREATED_LAG_MS : 0;
    const keyOf = (r: JsonObject): number => Number(sortField === 'created' ? r.created : r.timestamp);
    const extra = this.inserted
      .map((e) => ({ key: keyOf(e.record), seq: e.seq, timestamp: Number(e.record.timestamp), created: Number(e.record.created), record: () => e.record }))
      .filter((e) => e.key >= min && e.key <= max)
      .sort((a, b) => b.key - a.key || a.seq - b.seq);
    if (direction === 'asc') extra.reverse();
    const [first, last] = this.indexRange(min - lag, max - lag);
    const count = Math.max(0, last - first + 1);
    let x = 0;
    for (let k = 0; k < count; k++) {
      const index = direction === 'desc' ? first + k : last - k;
      const timestamp = this.timestampOf(index);
      const base: ActivityEntry = { key: timestamp + lag, seq: index, timestamp, created: timestamp + CREATED_LAG_MS, record: () => this.build(index) };
      while (x < extra.length && (direction === 'desc' ? before(extra[x], base) : before(base, extra[x]))) yield extra[x++];
      yield base;
    }
    while (x < extra.length) yield extra[x++];
  }

  /** Ground truth in canonical (newest-first) order; builds every record, so for tests only. */
  all(): JsonObject[] {
    return [...this.entries('date', 'desc', -Infinity, Infinity)].map((e) => e.record());
  }
}

/** Canonical newest-first order. */
const before = (a: { key: number; seq: number }, b: { key: number; seq: number }): boolean => a.key > b.key || (a.key === b.key && a.seq < b.seq);

export function defaultActivity(ctx: SeedContext, users: SeedUser[], store: ActivityStore, partial: JsonObject, nowMs: number): JsonObject {
  const template = store.build(store.size % Math.max(1, store.baseCount || 1));
  const rng = new Rng(`${ctx.seed}:insert:${store.size}:${nowMs}`);
  const appId = typeof partial.appId === 'number' ? partial.appId : Number(template.appId);
  const timestamp = typeof partial.timestamp === 'number' ? partial.timestamp : nowMs;
  const id = typeof partial._id === 'string' ? partial._id : `${ctx.numericTenantId}_${appId}_${rng.uuid()}`;
  void users;
  return {
    ...template,
    _id: id,
    uid: id,
    appId,
    saasId: appId,
    appName: appName(appId),
    timestamp,
    timestampRaw: timestamp,
    created: nowMs,
    createdRaw: nowMs,
    ...partial,
  };
}
