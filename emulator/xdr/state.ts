// Defender XDR state of one emulated tenant: incidents (linked to the tenant's MDCA alerts),
// hunting tables, throttle window, faults, hunting failure switches and a request log.
import { randomUUID } from 'crypto';
import { FaultQueue } from '../faults';
import { JsonObject } from '../jwt';
import { DEFAULT_THROTTLE, SlidingWindowThrottle, ThrottleSettings } from '../mdca/throttle';
import { RequestLogEntry, TenantState } from '../tenant-state';
import { huntingTables } from './hunting-tables';
import { alertFromMdca, iso, maxSeverity, seedIncidents } from './incidents';
import { Table } from './kql';

export interface XdrTenantOptions {
  /** Seeded incidents (default 40). */
  incidents?: number;
  /** Requests per rolling minute (default 50, the documented limit); `false` turns throttling off. */
  throttle?: Partial<ThrottleSettings> | false;
}

export type HuntingFailure = 'timeout' | 'cpuQuota' | 'callQuota';

export interface HuntingSettings {
  /** Rows a query may return before it fails (default 100,000, the documented limit). */
  maxRows: number;
  /** Fail the next N queries like this (the timeout answers at once instead of after 3 minutes). */
  fail?: { kind: HuntingFailure; times: number; retryAfterSeconds?: number };
}

export const XDR_DEFAULT_THROTTLE: ThrottleSettings = { ...DEFAULT_THROTTLE, limit: 50 };

export class XdrTenant {
  apiUrl = '';
  incidents: JsonObject[] = [];
  hunting: HuntingSettings = { maxRows: 100_000 };
  readonly throttle: SlidingWindowThrottle;
  readonly faults = new FaultQueue();
  requestLog: RequestLogEntry[] = [];
  private tablesCache: Record<string, Table> | undefined;

  constructor(
    readonly mdca: TenantState,
    private readonly options: XdrTenantOptions = {},
  ) {
    this.throttle = new SlidingWindowThrottle(options.throttle === false ? false : { ...XDR_DEFAULT_THROTTLE, ...(options.throttle ?? {}) }, () => Date.now());
    this.reseed();
  }

  get name(): string {
    return this.mdca.name;
  }
  get tenantId(): string {
    return this.mdca.tenantId;
  }
  now(): number {
    return this.mdca.now();
  }

  reseed(): void {
    const alerts = [...this.mdca.alerts].sort((a, b) => Number(b.timestamp) - Number(a.timestamp));
    this.incidents = seedIncidents(alerts, this.options.incidents ?? 40, this.mdca.seed, this.mdca.ctx.anchorMs, `analyst@${this.name}.example`);
    this.hunting = { maxRows: 100_000 };
    this.faults.clear();
    this.throttle.reset();
    this.requestLog = [];
    this.tablesCache = undefined;
  }

  setThrottle(settings: Partial<ThrottleSettings> | false): void {
    const current = this.throttle.settings === false ? XDR_DEFAULT_THROTTLE : this.throttle.settings;
    this.throttle.settings = settings === false ? false : { ...current, ...settings };
    this.throttle.reset();
  }

  find(id: number): JsonObject | undefined {
    return this.incidents.find((i) => i.incidentId === id);
  }

  /** Newest first by lastUpdateTime, then by id (the order GET /api/incidents uses). */
  sorted(): JsonObject[] {
    return [...this.incidents].sort((a, b) => Date.parse(String(b.lastUpdateTime)) - Date.parse(String(a.lastUpdateTime)) || Number(b.incidentId) - Number(a.incidentId));
  }

  /**
   * Drift: new incidents. `mdcaAlertIds` links existing MDCA alerts (their XDR alerts are built);
   * other fields override the defaults. Times default to now.
   */
  insert(partials: JsonObject[]): JsonObject[] {
    return partials.map((partial) => {
      const { mdcaAlertIds, ...rest } = partial as JsonObject & { mdcaAlertIds?: unknown };
      const incidentId = typeof rest.incidentId === 'number' ? rest.incidentId : Math.max(100_000, ...this.incidents.map((i) => Number(i.incidentId))) + 1;
      const now = iso(this.now());
      const alerts = (Array.isArray(mdcaAlertIds) ? mdcaAlertIds : [])
        .map((id) => this.mdca.findAlert(String(id)))
        .filter((a): a is JsonObject => a !== undefined)
        .map((a) => alertFromMdca(a, incidentId, this.mdca.seed));
      const createdTime = typeof rest.createdTime === 'string' ? rest.createdTime : now;
      const incident: JsonObject = {
        incidentId,
        redirectIncidentId: null,
        incidentName: alerts.length > 0 ? String(alerts[0].title) : `Emulated incident ${incidentId}`,
        createdTime,
        lastUpdateTime: createdTime,
        assignedTo: null,
        classification: 'Unknown',
        determination: 'NotAvailable',
        detectionSource: alerts.length > 0 ? 'MCAS' : 'CustomDetection',
        status: 'Active',
        severity: alerts.length > 0 ? maxSeverity(alerts) : 'Medium',
        tags: [],
        comments: [],
        alerts,
        ...rest,
      };
      if (this.find(incidentId)) throw new Error(`incident ${incidentId} exists`);
      this.incidents.push(incident);
      return incident;
    });
  }

  /** Drift: changes fields; lastUpdateTime becomes now unless the patch sets it. */
  update(id: number, patch: JsonObject): JsonObject | undefined {
    const incident = this.find(id);
    if (!incident) return undefined;
    Object.assign(incident, { lastUpdateTime: iso(this.now()) }, patch, { incidentId: id });
    return incident;
  }

  /** Hunting tables built from the tenant's MDCA data (hunting-tables.ts), once per seed. */
  tables(): Record<string, Table> {
    this.tablesCache ??= huntingTables(this.mdca);
    return this.tablesCache;
  }
}

export const trackingId = (): string => randomUUID();
