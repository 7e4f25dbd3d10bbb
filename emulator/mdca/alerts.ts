// Alerts: list, fetch, close (routes B3–B5 in router.ts), read/unread (B6–B7), deprecated B8–B10
// and reopen.
import { isObject, JsonObject } from '../jwt';
import { compileFilters, DATE_OPS, EQ, filterError, FilterSpecs, get, toPk } from './filters';
import { listPage } from './paging';
import { ApiRequest, ApiResult, badRequest, notFound, ok } from './types';

const isHex24 = (v: unknown): boolean => typeof v === 'string' && /^[0-9a-fA-F]{24}$/.test(v);
const entitiesOfType = (type: string, pick: (e: JsonObject) => unknown) => (r: JsonObject): unknown[] =>
  (Array.isArray(r.entities) ? r.entities : []).filter((e): e is JsonObject => isObject(e) && e.type === type).map(pick);
const resolveMs = (r: JsonObject): unknown[] => (typeof r.resolveTime === 'string' ? [Date.parse(r.resolveTime)] : []);

const idSpec = { type: 'string' as const, ops: EQ, values: get('_id'), validate: isHex24 };

export const ALERT_FILTERS: FilterSpecs = {
  'entity.entity': { type: 'pk', ops: EQ, values: entitiesOfType('account', (e) => ({ id: e.id, saas: e.saas, inst: e.inst })) },
  'entity.ip': { type: 'string', ops: EQ, values: entitiesOfType('ip', (e) => e.id) },
  'entity.service': { type: 'int', ops: EQ, values: entitiesOfType('service', (e) => e.id) },
  'entity.instance': { type: 'int', ops: EQ, values: entitiesOfType('account', (e) => e.inst) },
  'entity.policy': { type: 'string', ops: EQ, values: entitiesOfType('policyRule', (e) => e.id) },
  'entity.file': { type: 'string', ops: EQ, values: entitiesOfType('file', (e) => e.id) },
  // [OBS] MCAS module: a user's UPN or an account label.
  'entity.user': { type: 'string', ops: EQ, values: (r) => [...entitiesOfType('user', (e) => e.id)(r), ...entitiesOfType('account', (e) => e.pa)(r)] },
  alertOpen: { type: 'bool', ops: ['eq'], values: (r) => [r.resolutionStatusValue === 0] },
  severity: { type: 'int', ops: EQ, values: get('severityValue') },
  resolutionStatus: { type: 'int', ops: EQ, values: get('resolutionStatusValue') },
  read: { type: 'bool', ops: ['eq'], values: (r) => [r.statusValue === 1] },
  date: { type: 'date', ops: DATE_OPS, values: get('timestamp') },
  resolutionDate: { type: 'date', ops: ['lte', 'gte', 'range'], values: resolveMs },
  risk: { type: 'int', ops: EQ, values: (r) => [Math.round(Number(r.threatScore ?? 0) / 10)] },
  alertType: { type: 'int', ops: EQ, values: get('alertType') },
  // The docs' filter table says `ID`, their examples use `id`.
  ID: idSpec,
  id: idSpec,
  source: { type: 'string', ops: ['eq'], values: (r) => [r.isSystemAlert ? 'builtin' : 'policy'] },
};

const SORT_KEYS = {
  date: (r: JsonObject) => Number(r.timestamp),
  severity: (r: JsonObject) => Number(r.severityValue),
  status: (r: JsonObject) => Number(r.resolutionStatusValue),
  resolutionStatus: (r: JsonObject) => Number(r.resolutionStatusValue),
};

export function listAlerts(req: ApiRequest): ApiResult {
  const t = req.tenant;
  return ok(listPage(t.alerts, req.params, compileFilters(req.params.filters, ALERT_FILTERS, t.now()), SORT_KEYS, 'date'));
}

export function fetchAlert(req: ApiRequest): ApiResult {
  const alert = req.tenant.findAlert(decodeURIComponent(req.match[1]));
  return alert ? ok(alert) : notFound();
}

export function markAlert(req: ApiRequest, read: boolean): ApiResult {
  const alert = req.tenant.findAlert(decodeURIComponent(req.match[1]));
  if (!alert) return notFound();
  alert.statusValue = read ? 1 : 0;
  return ok({});
}

type CloseKind = 'benign' | 'false_positive' | 'true_positive';
const CLOSE_STATUS: Record<CloseKind, number> = { false_positive: 3, benign: 4, true_positive: 5 };
// Allowed reasonId sets of close_benign and close_false_positive; close_true_positive takes none.
const REASONS: Record<CloseKind, number[] | undefined> = { benign: [2, 4, 5, 6], false_positive: [0, 1, 3, 4], true_positive: undefined };

/** Ids a close/reopen call targets: `filters` (usually `id.eq`) evaluated over all alerts. */
function targetAlerts(req: ApiRequest, filters: unknown): { matched: JsonObject[]; notFound: string[] } {
  const t = req.tenant;
  const predicate = compileFilters(filters, ALERT_FILTERS, t.now());
  const matched = t.alerts.filter(predicate);
  const wanted: string[] = [];
  if (isObject(filters)) {
    for (const key of ['id', 'ID']) {
      const f = filters[key];
      if (isObject(f) && f.eq !== undefined) wanted.push(...(Array.isArray(f.eq) ? f.eq : [f.eq]).map(String));
    }
  }
  const found = new Set(matched.map((a) => String(a._id)));
  return { matched, notFound: wanted.filter((id) => !found.has(id)) };
}

export function closeAlerts(req: ApiRequest, kind: CloseKind, legacyKey?: 'dismissed' | 'resolved'): ApiResult {
  const p = req.params;
  if (p.filters === undefined) return { status: 400, json: { filters: [{ error: 'filters is required', errorMessageCode: 'CONSOLE_FORMS_NOT_VALID_VALUE', errorMessageParams: { value: 'filters' } }], error: true } };
  const allowed = REASONS[kind];
  // Deprecated calls (B8–B10) carry no reason; `reason` (XSOAR's key) is tolerated and ignored.
  if (allowed && !legacyKey && p.reasonId !== undefined && p.reasonId !== null) {
    const reason = Number(p.reasonId);
    if (!Number.isInteger(reason) || !allowed.includes(reason)) throw filterError(String(p.reasonId));
  }
  const { matched, notFound: missing } = targetAlerts(req, p.filters);
  const now = req.tenant.now();
  for (const alert of matched) {
    alert.resolutionStatusValue = CLOSE_STATUS[kind];
    alert.resolveTime = new Date(now).toISOString();
    alert.handledByUser = req.principal.subject;
    if (typeof p.comment === 'string') alert.comment = p.comment;
    if (p.reasonId !== undefined) alert.closeReasonId = Number(p.reasonId);
  }
  const body: JsonObject = { [`closed_${kind}`]: matched.length };
  // Which key the deprecated calls answer with is undocumented, so both are sent.
  if (legacyKey) body[legacyKey] = matched.length;
  if (missing.length > 0) body.alertsNotFound = missing;
  return ok(body);
}

export function dismissOne(req: ApiRequest): ApiResult {
  const id = decodeURIComponent(req.match[1]);
  if (!req.tenant.findAlert(id)) return notFound();
  return closeAlerts({ ...req, params: { ...req.params, filters: { id: { eq: [id] } } } }, 'false_positive', 'dismissed');
}

/** Undocumented `/api/v1/alerts/reopen/` [OBS MCAS module]. */
export function reopenAlerts(req: ApiRequest): ApiResult {
  if (req.params.filters === undefined) return badRequest('filters is required');
  const { matched, notFound: missing } = targetAlerts(req, req.params.filters);
  for (const alert of matched) {
    alert.resolutionStatusValue = 0;
    alert.resolveTime = null;
  }
  return ok({ reopened: matched.length, ...(missing.length > 0 ? { alertsNotFound: missing } : {}) });
}

export { toPk };
