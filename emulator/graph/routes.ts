// The Graph security resources of the emulated listener (server.ts does faults, throttle and
// auth first): alerts_v2 and incidents (list, get, update, comments) and runHuntingQuery.
import { JsonObject } from '../jwt';
import { FilterSpec, parseODataFilter } from '../odata-filter';
import { clone } from '../tenant-control';
import { ALERT_STATUSES, canonicalDetermination, CLASSIFICATIONS, DETERMINATIONS, INCIDENT_STATUSES, member, PAIRS, SEVERITIES } from './enums';
import { runHunting } from './hunting';
import type { GraphPrincipal } from './server';
import { graphError } from './server';
import { GraphTenant } from './state';

export interface GraphResult {
  status: number;
  json: unknown;
  headers?: Record<string, string>;
}

export interface Call {
  method: string;
  url: URL;
  body: Buffer;
  json: JsonObject;
  clientRequestId?: string;
  prefer: string;
  principal: GraphPrincipal;
}

const NEED = {
  alertRead: ['SecurityAlert.Read.All', 'SecurityAlert.ReadWrite.All'],
  alertWrite: ['SecurityAlert.ReadWrite.All'],
  incidentRead: ['SecurityIncident.Read.All', 'SecurityIncident.ReadWrite.All'],
  incidentWrite: ['SecurityIncident.ReadWrite.All'],
  hunting: ['ThreatHunting.Read.All'],
};

const text = (name: string, anyCase = true, canonical?: (v: string) => string) => ({ name, kind: 'text' as const, anyCase, canonical });
const time = (name: string) => ({ name, kind: 'time' as const });
const COMMON = {
  assignedto: text('assignedTo', false),
  classification: text('classification'),
  determination: text('determination', true, (v) => canonicalDetermination(member(DETERMINATIONS, v) ?? v)),
  createddatetime: time('createdDateTime'),
  lastupdatedatetime: time('lastUpdateDateTime'),
  severity: text('severity'),
  status: text('status'),
};
// providerAlertId is not among the documented filter fields; the emulator accepts it (exact match,
// as an MDCA id is) so the MDCA-id lookup of core/graph/mdca-link.ts has its list form to fall back on.
const ALERT_FILTER: FilterSpec = { typeName: 'microsoft.graph.security.alert', fields: { ...COMMON, servicesource: text('serviceSource'), provideralertid: text('providerAlertId', false) } };
const INCIDENT_FILTER: FilterSpec = { typeName: 'microsoft.graph.security.incident', fields: COMMON };

export function routeGraph(call: Call, tenant: GraphTenant): GraphResult {
  tenant.syncMdca();
  const path = call.url.pathname.replace(/\/+$/, '');
  const m = /^\/v1\.0\/security\/(alerts_v2|incidents|runHuntingQuery)(?:\/([^/]+))?(?:\/(comments))?$/i.exec(path);
  if (!m) return graphError(call, 404, 'UnknownError', `Resource not found for the segment '${path.split('/').pop()?.slice(0, 60) ?? ''}'.`);
  const [, collection, rawId, comments] = m;
  const kind = collection.toLowerCase() === 'alerts_v2' ? 'alert' : collection.toLowerCase() === 'incidents' ? 'incident' : 'hunt';
  const id = rawId === undefined ? undefined : decodeURIComponent(rawId);
  const allowed = (verb: string, ok: boolean): GraphResult | undefined => (ok ? undefined : graphError(call, 405, 'Request_BadRequest', `The method ${call.method} is not allowed on ${verb}.`));
  if (kind === 'hunt') return allowed('runHuntingQuery', call.method === 'POST' && id === undefined) ?? guard(call, NEED.hunting) ?? runHunting(call, tenant);
  const write = call.method !== 'GET';
  const need = kind === 'alert' ? (write ? NEED.alertWrite : NEED.alertRead) : write ? NEED.incidentWrite : NEED.incidentRead;
  if (id === undefined) return allowed(collection, call.method === 'GET') ?? guard(call, need) ?? list(call, tenant, kind);
  if (comments) return allowed('comments', call.method === 'POST') ?? guard(call, need) ?? addComment(call, tenant, kind, id);
  const bad = allowed(collection, call.method === 'GET' || call.method === 'PATCH') ?? guard(call, need);
  if (bad) return bad;
  const found = kind === 'alert' ? tenant.findAlert(id) : tenant.findIncident(id);
  if (!found) return graphError(call, 404, 'NotFound', `No ${kind} with id '${id.slice(0, 60)}' was found.`);
  if (call.method === 'PATCH') return kind === 'alert' ? updateAlert(call, tenant, found) : updateIncident(call, tenant, found);
  const expand = expandOf(call);
  if (typeof expand !== 'boolean') return expand;
  return { status: 200, json: withContext(kind, expand ? { ...found, alerts: tenant.alertsOf(id) } : found) };
}

function guard(call: Call, need: string[]): GraphResult | undefined {
  if (need.some((p) => call.principal.permissions.has(p))) return undefined;
  return graphError(call, 403, 'Forbidden', `Missing role permissions on the request. API requires one of '${need.join(', ')}'.`);
}

const withContext = (kind: string, value: JsonObject): JsonObject => ({ '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#security/${kind === 'alert' ? 'alerts_v2' : 'incidents'}/$entity`, ...clone(value) });

function expandOf(call: Call): boolean | GraphResult {
  const expand = call.url.searchParams.get('$expand');
  if (expand === null) return false;
  if (!call.url.pathname.toLowerCase().includes('/incidents') || expand.trim().toLowerCase() !== 'alerts') {
    return graphError(call, 400, 'BadRequest', `Parsing OData Select and Expand failed: could not find a navigation property named '${expand.slice(0, 40)}'.`);
  }
  return true;
}

const LIST_OPTIONS = ['$filter', '$top', '$skip', '$count', '$skiptoken', '$expand'];

function list(call: Call, tenant: GraphTenant, kind: 'alert' | 'incident'): GraphResult {
  const q = call.url.searchParams;
  for (const key of q.keys()) {
    if (key.startsWith('$') && !LIST_OPTIONS.includes(key.toLowerCase())) return graphError(call, 400, 'BadRequest', `Query option '${key.slice(0, 30)}' is not allowed.`);
  }
  const expand = expandOf(call);
  if (typeof expand !== 'boolean') return expand;
  const number = (key: string, fallback: number): number => (q.get(key) === null ? fallback : Number(q.get(key)));
  const top = number('$top', tenant.settings.pageSize);
  const token = q.get('$skiptoken');
  const skip = token !== null ? Number(Buffer.from(token, 'base64url').toString('utf8')) : number('$skip', 0);
  if (!Number.isInteger(top) || top < 1 || top > 1000) return graphError(call, 400, 'BadRequest', `Invalid $top '${String(q.get('$top')).slice(0, 20)}': a value from 1 to 1000 is allowed.`);
  if (!Number.isInteger(skip) || skip < 0) return graphError(call, 400, 'BadRequest', 'Invalid $skip or $skiptoken.');
  let predicate: (i: JsonObject) => boolean = () => true;
  const filter = q.get('$filter');
  if (filter !== null && filter.trim() !== '') {
    try {
      predicate = parseODataFilter(filter, kind === 'alert' ? ALERT_FILTER : INCIDENT_FILTER);
    } catch (e) {
      return graphError(call, 400, 'BadRequest', e instanceof Error ? e.message : 'Invalid $filter.');
    }
  }
  const all = (kind === 'alert' ? tenant.sortedAlerts() : tenant.sortedIncidents()).filter(predicate);
  const size = Math.min(top, tenant.settings.maxPageSize);
  const page = all.slice(skip, skip + size).map((i) => (expand ? { ...i, alerts: tenant.alertsOf(String(i.id)) } : i));
  const out: JsonObject = { '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#security/${kind === 'alert' ? 'alerts_v2' : 'incidents'}` };
  if ((q.get('$count') ?? '').toLowerCase() === 'true') out['@odata.count'] = all.length;
  if (skip + size < all.length) out['@odata.nextLink'] = nextLink(tenant, call.url, top, skip + size);
  out.value = clone(page);
  return { status: 200, json: out };
}

/** The next page on this listener: the same query with an opaque $skiptoken. */
function nextLink(tenant: GraphTenant, url: URL, top: number, offset: number): string {
  const next = new URL(url.pathname, tenant.apiUrl);
  for (const [k, v] of url.searchParams) if (!['$skip', '$skiptoken', '$top'].includes(k.toLowerCase())) next.searchParams.set(k, v);
  next.searchParams.set('$top', String(top));
  next.searchParams.set('$skiptoken', Buffer.from(String(offset)).toString('base64url'));
  return next.toString();
}

type Changes = { changes: JsonObject; error?: undefined } | { changes?: undefined; error: GraphResult };

/** Enum values any case, answered camelCase; a bad one is Graph's "Requested value … was not found". */
function enumChanges(call: Call, enums: Record<string, readonly string[]>): Changes {
  const changes: JsonObject = {};
  for (const [field, values] of Object.entries(enums)) {
    if (call.json[field] === undefined) continue;
    const value = member(values, call.json[field]);
    if (value === undefined) return { error: graphError(call, 400, 'BadRequest', `Invalid value for '${field}': Requested value '${String(call.json[field]).slice(0, 40)}' was not found.`) };
    changes[field] = value;
  }
  return { changes };
}

/** In strict mode a determination must go with the classification it ends up with. */
function pairError(call: Call, tenant: GraphTenant, record: JsonObject, changes: JsonObject): GraphResult | undefined {
  if (!tenant.settings.strictPairs || changes.determination === undefined || changes.determination === 'unknown') return undefined;
  const classification = String(changes.classification ?? record.classification);
  if ((PAIRS[classification] ?? []).includes(canonicalDetermination(String(changes.determination)))) return undefined;
  return graphError(call, 400, 'BadRequest', `The determination '${String(changes.determination)}' is not valid with the classification '${classification}'.`);
}

function patch(call: Call, tenant: GraphTenant, record: JsonObject, writable: string[], enums: Record<string, readonly string[]>, extra: (changes: JsonObject) => GraphResult | undefined): GraphResult {
  const unknown = Object.keys(call.json).find((k) => !writable.includes(k));
  if (unknown) return graphError(call, 400, 'BadRequest', `The property '${unknown.slice(0, 40)}' does not exist or is not writable. Writable: ${writable.join(', ')}.`);
  const { changes, error } = enumChanges(call, enums);
  if (error) return error;
  for (const key of writable) if (enums[key] === undefined && call.json[key] !== undefined) changes[key] = call.json[key];
  const bad = pairError(call, tenant, record, changes) ?? extra(changes);
  if (bad) return bad;
  if (Object.entries(changes).some(([k, v]) => JSON.stringify(record[k]) !== JSON.stringify(v))) {
    Object.assign(record, changes, { lastUpdateDateTime: tenant.nowText() });
    if (changes.status === 'resolved' && 'resolvedDateTime' in record) record.resolvedDateTime ??= tenant.nowText();
  }
  return { status: 200, json: clone(record) };
}

function updateAlert(call: Call, tenant: GraphTenant, alert: JsonObject): GraphResult {
  const enums = { status: ALERT_STATUSES, classification: CLASSIFICATIONS, determination: DETERMINATIONS };
  const result = patchAlert(call, tenant, alert, enums);
  if (result.status === 200) tenant.graphAlertChanged(alert, call.principal.name);
  return result;
}

function patchAlert(call: Call, tenant: GraphTenant, alert: JsonObject, enums: Record<string, readonly string[]>): GraphResult {
  return patch(call, tenant, alert, ['status', 'classification', 'determination', 'assignedTo', 'customDetails'], enums, (c) => {
    if (c.assignedTo !== undefined && c.assignedTo !== null && typeof c.assignedTo !== 'string') return graphError(call, 400, 'BadRequest', "'assignedTo' must be a string.");
    if (c.customDetails !== undefined && (typeof c.customDetails !== 'object' || c.customDetails === null || Object.values(c.customDetails).some((v) => typeof v !== 'string'))) {
      return graphError(call, 400, 'BadRequest', "'customDetails' must be a dictionary of strings.");
    }
    return undefined;
  });
}

const INCIDENT_WRITABLE = ['status', 'classification', 'determination', 'assignedTo', 'customTags', 'description', 'displayName', 'severity', 'resolvingComment', 'summary'];

function updateIncident(call: Call, tenant: GraphTenant, incident: JsonObject): GraphResult {
  const enums = { status: INCIDENT_STATUSES, classification: CLASSIFICATIONS, determination: DETERMINATIONS, severity: SEVERITIES };
  const wasResolved = incident.status === 'resolved';
  const result = patchIncident(call, tenant, incident, enums);
  if (result.status === 200 && !wasResolved && incident.status === 'resolved') resolveAlertsOf(call, tenant, incident);
  return result;
}

/** Resolving an incident resolves its open alerts with the incident's verdict; their MDCA alerts close. */
function resolveAlertsOf(call: Call, tenant: GraphTenant, incident: JsonObject): void {
  const now = tenant.nowText();
  for (const alert of tenant.alertsOf(String(incident.id))) {
    if (alert.status === 'resolved') continue;
    const verdict = incident.classification === 'unknown' ? {} : { classification: incident.classification, determination: incident.determination };
    Object.assign(alert, { status: 'resolved', resolvedDateTime: now, lastUpdateDateTime: now }, verdict);
    tenant.graphAlertChanged(alert, call.principal.name);
  }
}

function patchIncident(call: Call, tenant: GraphTenant, incident: JsonObject, enums: Record<string, readonly string[]>): GraphResult {
  return patch(call, tenant, incident, INCIDENT_WRITABLE, enums, (c) => {
    // Only Defender Experts set awaitingAction.
    if (c.status === 'awaitingAction' || c.status === 'unknownFutureValue') return graphError(call, 400, 'BadRequest', `The status '${String(c.status)}' cannot be set by a client.`);
    if (c.customTags !== undefined && (!Array.isArray(c.customTags) || c.customTags.some((t) => typeof t !== 'string'))) return graphError(call, 400, 'BadRequest', "'customTags' must be a list of strings.");
    for (const key of ['assignedTo', 'description', 'displayName', 'resolvingComment', 'summary']) {
      if (c[key] !== undefined && c[key] !== null && typeof c[key] !== 'string') return graphError(call, 400, 'BadRequest', `'${key}' must be a string.`);
    }
    return undefined;
  });
}

/** Both comment pages show this @odata.type; a body without it is accepted as well. */
const COMMENT_TYPES = ['microsoft.graph.security.alertcomment', '#microsoft.graph.security.alertcomment'];

function addComment(call: Call, tenant: GraphTenant, kind: 'alert' | 'incident', id: string): GraphResult {
  const record = kind === 'alert' ? tenant.findAlert(id) : tenant.findIncident(id);
  if (!record) return graphError(call, 404, 'NotFound', `No ${kind} with id '${id.slice(0, 60)}' was found.`);
  const type = call.json['@odata.type'];
  if (type !== undefined && !COMMENT_TYPES.includes(String(type).toLowerCase())) return graphError(call, 400, 'BadRequest', `Invalid @odata.type '${String(type).slice(0, 60)}' for a comment.`);
  const comment = call.json.comment;
  if (typeof comment !== 'string' || comment.trim() === '') return graphError(call, 400, 'BadRequest', "The property 'comment' is required.");
  const now = tenant.nowText();
  (record.comments as JsonObject[]).push({ comment, createdByDisplayName: call.principal.name, createdDateTime: now });
  record.lastUpdateDateTime = now;
  const segment = kind === 'alert' ? `alerts_v2('${id}')` : `incidents('${id}')`;
  return { status: 200, json: { '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#security/${segment}/comments`, value: clone(record.comments) } };
}
