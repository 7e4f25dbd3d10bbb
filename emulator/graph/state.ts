// Microsoft Graph security state of one emulated tenant: alerts (from the tenant's MDCA alerts,
// plus other products'), incidents over them, the page size, the strict pair switch, hunting
// failure switches, throttle window, faults and a request log.
import { FaultQueue } from '../faults';
import { JsonObject } from '../jwt';
import { DEFAULT_THROTTLE, SlidingWindowThrottle, ThrottleSettings } from '../mdca/throttle';
import { RequestLogEntry, TenantState } from '../tenant-state';
import { huntingTables } from '../xdr/hunting-tables';
import { Table } from '../xdr/kql';
import type { HuntingSettings } from '../xdr/state';
import { alertFromMdca, graphTime, incidentFor, otherAlerts, seedIncidents } from './data';
import { applyGraphChange, applyMdcaChange, isMdcaGraphAlert, mdcaStateKey } from './mdca-sync';
import type { EvidenceUser } from './evidence';
import { EntraDirectory } from '../entra/directory';

export interface GraphTenantOptions {
  /** Seeded incidents (default 40). */
  incidents?: number;
  /** Alerts of other products than MDCA (default 12). */
  otherAlerts?: number;
  /** Requests per rolling minute (default 150, the documented security limit); `false` turns throttling off. */
  throttle?: Partial<ThrottleSettings> | false;
}

export interface GraphSettings {
  /** Items per page when the caller sends no $top (undocumented for Graph; 100 here). */
  pageSize: number;
  /**
   * The most items one page holds whatever `$top` asks (server-driven paging: fewer items and a
   * nextLink, as OData allows). Default 1000, `$top`'s maximum, so `$top` alone decides.
   */
  maxPageSize: number;
  /** Reject a determination that does not go with the classification (400). On by default. */
  strictPairs: boolean;
  /** Answer hunting schemas as {Name, Type} (the other documented example) instead of {name, type}. */
  pascalSchema: boolean;
}

/** Incidents Defender opens for MDCA alerts raised after the seed: ids from here on. */
const MDCA_INCIDENT_IDS = 700_000_000;

export const GRAPH_DEFAULT_THROTTLE: ThrottleSettings = { ...DEFAULT_THROTTLE, limit: 150 };
const DEFAULT_SETTINGS: GraphSettings = { pageSize: 100, maxPageSize: 1000, strictPairs: true, pascalSchema: false };

export class GraphTenant {
  apiUrl = '';
  alerts: JsonObject[] = [];
  incidents: JsonObject[] = [];
  settings: GraphSettings = { ...DEFAULT_SETTINGS };
  hunting: HuntingSettings = { maxRows: 100_000 };
  readonly throttle: SlidingWindowThrottle;
  /** Entra ID users and Identity Protection, served on the same listener (emulator/entra/). */
  readonly entra: EntraDirectory;
  readonly faults = new FaultQueue();
  requestLog: RequestLogEntry[] = [];
  /** Incidents inserted since the last reseed (their ids follow on from 900000000). */
  private insertedIncidents = 0;
  private tablesCache: Record<string, Table> | undefined;
  /** MDCA alert id → its Graph alert, and the MDCA state last mirrored (mdca-sync.ts). */
  private readonly byMdcaId = new Map<string, JsonObject>();
  private readonly mdcaSeen = new Map<string, string>();

  constructor(
    readonly mdca: TenantState,
    private readonly options: GraphTenantOptions = {},
  ) {
    this.throttle = new SlidingWindowThrottle(options.throttle === false ? false : { ...GRAPH_DEFAULT_THROTTLE, ...(options.throttle ?? {}) }, () => Date.now());
    const mdcaTenant = this.mdca;
    const source = { name: mdcaTenant.name, seed: mdcaTenant.seed, anchorMs: mdcaTenant.ctx.anchorMs, now: () => mdcaTenant.now(), get users() { return mdcaTenant.users; } };
    this.entra = new EntraDirectory(source, options.throttle !== false);
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
  nowText(): string {
    return graphTime(this.now());
  }

  reseed(): void {
    const { seed } = this.mdca;
    const fromMdca = this.mdca.alerts.map((a) => alertFromMdca(a, this.tenantId, seed));
    this.alerts = newestFirst([...fromMdca, ...otherAlerts(this.options.otherAlerts ?? 12, this.tenantId, seed, this.mdca.ctx.anchorMs, this.evidenceUsers())]);
    this.insertedIncidents = 0;
    this.incidents = seedIncidents(this.alerts, this.options.incidents ?? 40, this.tenantId, seed, `analyst@${this.name}.example`);
    this.settings = { ...DEFAULT_SETTINGS };
    this.hunting = { maxRows: 100_000 };
    this.faults.clear();
    this.throttle.reset();
    this.requestLog = [];
    this.tablesCache = undefined;
    this.entra?.reseed();
    this.byMdcaId.clear();
    this.mdcaSeen.clear();
    for (const mdca of this.mdca.alerts) this.mdcaSeen.set(String(mdca._id), mdcaStateKey(mdca));
    for (const alert of fromMdca) this.byMdcaId.set(String(alert.providerAlertId), alert);
  }

  /**
   * Brings the MDCA side in: an MDCA alert closed or reopened since the last look changes its Graph
   * alert; a new MDCA alert becomes a Graph alert in a new incident. Run before every Graph request
   * and control read, so both views agree whenever either is looked at.
   */
  syncMdca(): void {
    for (const mdca of this.mdca.alerts) {
      const id = String(mdca._id);
      const key = mdcaStateKey(mdca);
      const seen = this.mdcaSeen.get(id);
      if (seen === key) continue;
      this.mdcaSeen.set(id, key);
      const alert = this.byMdcaId.get(id);
      if (seen === undefined || !alert) this.addFromMdca(mdca);
      else applyMdcaChange(alert, mdca, this.nowText());
    }
  }

  private addFromMdca(mdca: JsonObject): void {
    const now = this.nowText();
    const alert: JsonObject = alertFromMdca(mdca, this.tenantId, this.mdca.seed);
    if (this.findAlert(String(alert.id))) return;
    applyMdcaChange(alert, mdca, now);
    alert.lastUpdateDateTime = now;
    // An id space of its own, apart from the seeded ids and the drift controls' ones.
    const incidentId = String(MDCA_INCIDENT_IDS + this.byMdcaId.size);
    this.incidents.push(incidentFor(alert, incidentId, this.tenantId, now));
    this.alerts.push(alert);
    this.byMdcaId.set(String(mdca._id), alert);
  }

  /** A Graph alert was changed by a client: an MDCA alert's close or reopen follows (mdca-sync.ts). */
  graphAlertChanged(alert: JsonObject, by: string): void {
    if (!isMdcaGraphAlert(alert) || !applyGraphChange(this.mdca, alert, by)) return;
    const mdca = this.mdca.findAlert(String(alert.providerAlertId));
    if (mdca) this.mdcaSeen.set(String(mdca._id), mdcaStateKey(mdca));
  }

  /** The tenant's users as other products' alerts name them (the MDCA seed users). */
  evidenceUsers(): EvidenceUser[] {
    return this.mdca.users.map((u) => ({ oid: u.oid, upn: u.email, displayName: u.displayName }));
  }

  setThrottle(settings: Partial<ThrottleSettings> | false): void {
    const current = this.throttle.settings === false ? GRAPH_DEFAULT_THROTTLE : this.throttle.settings;
    this.throttle.settings = settings === false ? false : { ...current, ...settings };
    this.throttle.reset();
  }

  findAlert(id: string): JsonObject | undefined {
    return this.alerts.find((a) => a.id === id);
  }
  findIncident(id: string): JsonObject | undefined {
    return this.incidents.find((i) => i.id === id);
  }
  alertsOf(incidentId: string): JsonObject[] {
    return this.alerts.filter((a) => a.incidentId === incidentId);
  }

  /** Newest first, as the lists answer. */
  sortedAlerts(): JsonObject[] {
    return newestFirst(this.alerts);
  }
  sortedIncidents(): JsonObject[] {
    return newestFirst(this.incidents);
  }

  /** Drift: new alerts (times default to now); `incidentId` links an existing incident. */
  insertAlerts(partials: JsonObject[]): JsonObject[] {
    return partials.map((partial, k) => {
      const now = this.now();
      const id = typeof partial.id === 'string' ? partial.id : `emu${now}_${this.alerts.length + k}`;
      if (this.findAlert(id)) throw new Error(`alert ${id} exists`);
      const alert: JsonObject = { ...otherAlerts(1, this.tenantId, this.mdca.seed, now, this.evidenceUsers())[0], id, providerAlertId: id, createdDateTime: graphTime(now), lastUpdateDateTime: graphTime(now), ...partial };
      this.alerts.push(alert);
      return alert;
    });
  }

  /** Drift: changes fields; lastUpdateDateTime becomes now unless the patch sets it. */
  updateAlert(id: string, patch: JsonObject): JsonObject | undefined {
    const alert = this.findAlert(id);
    if (!alert) return undefined;
    Object.assign(alert, { lastUpdateDateTime: this.nowText() }, patch, { id });
    return alert;
  }

  /**
   * Drift: new incidents (times default to now). Each gets one new alert of its own unless
   * `alerts: false` (a large backlog of bare incidents).
   */
  insertIncidents(partials: JsonObject[], options: { alerts?: boolean } = {}): JsonObject[] {
    return partials.map((partial) => {
      const now = this.now();
      const id = typeof partial.id === 'string' ? partial.id : String(900_000_000 + ++this.insertedIncidents);
      if (this.findIncident(id)) throw new Error(`incident ${id} exists`);
      const created = typeof partial.createdDateTime === 'string' ? partial.createdDateTime : graphTime(now);
      const incident: JsonObject = {
        id,
        tenantId: this.tenantId,
        status: 'active',
        incidentWebUrl: `https://security.microsoft.com/incidents/${id}?tid=${this.tenantId}`,
        redirectIncidentId: null,
        displayName: `Emulated incident ${id}`,
        createdDateTime: created,
        lastUpdateDateTime: created,
        assignedTo: null,
        classification: 'unknown',
        determination: 'unknown',
        severity: 'medium',
        customTags: [],
        systemTags: [],
        description: null,
        lastModifiedBy: null,
        resolvingComment: null,
        summary: null,
        priorityScore: 50,
        comments: [],
        ...partial,
      };
      this.incidents.push(incident);
      if (options.alerts !== false) {
        this.insertAlerts([{ title: String(incident.displayName), severity: incident.severity, createdDateTime: created, lastUpdateDateTime: incident.lastUpdateDateTime, incidentId: id, incidentWebUrl: incident.incidentWebUrl }]);
      }
      return incident;
    });
  }

  /** Drift: changes fields; lastUpdateDateTime becomes now unless the patch sets it. */
  updateIncident(id: string, patch: JsonObject): JsonObject | undefined {
    const incident = this.findIncident(id);
    if (!incident) return undefined;
    Object.assign(incident, { lastUpdateDateTime: this.nowText() }, patch, { id });
    return incident;
  }

  /** Hunting tables built from the tenant's MDCA data (the same as the XDR listener's). */
  tables(): Record<string, Table> {
    this.tablesCache ??= huntingTables(this.mdca);
    return this.tablesCache;
  }
}

function newestFirst(items: JsonObject[]): JsonObject[] {
  return [...items].sort((a, b) => Date.parse(String(b.createdDateTime)) - Date.parse(String(a.createdDateTime)) || String(b.id).localeCompare(String(a.id)));
}
