// Defender XDR state of one emulated tenant: incidents (linked to the tenant's MDCA alerts),
// hunting tables, throttle window, faults, hunting failure switches and a request log.
import { randomUUID } from 'crypto';
import { FaultQueue } from '../faults';
import { JsonObject } from '../jwt';
import { DEFAULT_THROTTLE, SlidingWindowThrottle, ThrottleSettings } from '../mdca/throttle';
import { RequestLogEntry, TenantState } from '../tenant-state';
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

  /** Hunting tables built from the tenant's MDCA data (first 500 activities, all alerts). */
  tables(): Record<string, Table> {
    if (this.tablesCache) return this.tablesCache;
    const activities = [];
    for (let i = 0; i < Math.min(500, this.mdca.activities.baseCount); i++) activities.push(this.mdca.activities.build(i));
    const cloudAppEvents: Table = {
      schema: [
        { Name: 'Timestamp', Type: 'DateTime' },
        { Name: 'ActionType', Type: 'String' },
        { Name: 'Application', Type: 'String' },
        { Name: 'ApplicationId', Type: 'Int64' },
        { Name: 'AccountId', Type: 'String' },
        { Name: 'AccountDisplayName', Type: 'String' },
        { Name: 'IPAddress', Type: 'String' },
        { Name: 'CountryCode', Type: 'String' },
        { Name: 'City', Type: 'String' },
        { Name: 'IsAdminOperation', Type: 'Boolean' },
        { Name: 'ActivityType', Type: 'String' },
        { Name: 'ReportId', Type: 'String' },
      ],
      rows: activities.map((a) => {
        const device = (a.device ?? {}) as JsonObject;
        const location = (a.location ?? {}) as JsonObject;
        const user = (a.user ?? {}) as JsonObject;
        return {
          Timestamp: iso(Number(a.timestamp)),
          ActionType: a.actionType ?? null,
          Application: a.appName ?? null,
          ApplicationId: a.appId ?? null,
          AccountId: user.userName ?? null,
          AccountDisplayName: String(user.userName ?? '').split('@')[0].replace(/\./g, ' ') || null,
          IPAddress: device.clientIP ?? null,
          CountryCode: location.countryCode ?? null,
          City: location.city ?? null,
          IsAdminOperation: a.adminEvent === true,
          ActivityType: a.description ?? null,
          ReportId: a._id,
        };
      }),
    };
    const alertInfo: Table = {
      schema: [
        { Name: 'Timestamp', Type: 'DateTime' },
        { Name: 'AlertId', Type: 'String' },
        { Name: 'Title', Type: 'String' },
        { Name: 'Category', Type: 'String' },
        { Name: 'Severity', Type: 'String' },
        { Name: 'ServiceSource', Type: 'String' },
        { Name: 'DetectionSource', Type: 'String' },
        { Name: 'AttackTechniques', Type: 'String' },
      ],
      rows: this.mdca.alerts.map((a) => {
        const x = alertFromMdca(a, 0, this.mdca.seed);
        return { Timestamp: x.creationTime, AlertId: x.alertId, Title: x.title, Category: x.category, Severity: x.severity, ServiceSource: 'Microsoft Defender for Cloud Apps', DetectionSource: 'Microsoft Defender for Cloud Apps', AttackTechniques: '' };
      }),
    };
    const logons: Table = {
      schema: [
        { Name: 'Timestamp', Type: 'DateTime' },
        { Name: 'ActionType', Type: 'String' },
        { Name: 'Application', Type: 'String' },
        { Name: 'LogonType', Type: 'String' },
        { Name: 'AccountUpn', Type: 'String' },
        { Name: 'AccountDisplayName', Type: 'String' },
        { Name: 'IPAddress', Type: 'String' },
        { Name: 'FailureReason', Type: 'String' },
        { Name: 'ReportId', Type: 'String' },
      ],
      rows: activities.slice(0, 300).map((a, i) => {
        const user = (a.user ?? {}) as JsonObject;
        const failed = i % 7 === 3;
        return {
          Timestamp: iso(Number(a.timestamp) - 1000),
          ActionType: failed ? 'LogonFailed' : 'LogonSuccess',
          Application: 'Active Directory',
          LogonType: i % 3 === 0 ? 'Interactive' : 'Resource access',
          AccountUpn: user.userName ?? null,
          AccountDisplayName: String(user.userName ?? '').split('@')[0].replace(/\./g, ' ') || null,
          IPAddress: ((a.device ?? {}) as JsonObject).clientIP ?? null,
          FailureReason: failed ? 'WrongPassword' : null,
          ReportId: `logon-${i}`,
        };
      }),
    };
    this.tablesCache = { CloudAppEvents: cloudAppEvents, AlertInfo: alertInfo, IdentityLogonEvents: logons };
    return this.tablesCache;
  }
}

export const trackingId = (): string => randomUUID();
