// Activities: list (with the skip horizon and scan mode), fetch, feedback.
import { ActivityEntry } from '../data/generator';
import { isObject, JsonObject } from '../jwt';
import { compileFilters, DATE_OPS, EQ, FilterSpecs, get, SET, timeBounds } from './filters';
import { envelope, pageWindow, sortDirection } from './paging';
import { ApiRequest, ApiResult, badRequest, notFound, ok } from './types';

const EQS = [...EQ, ...SET];
export const ACTIVITY_FILTERS: FilterSpecs = {
  service: { type: 'int', ops: EQ, values: get('appId') },
  instance: { type: 'int', ops: EQ, values: (r) => [r.instance ?? 0] },
  'user.orgUnit': { type: 'string', ops: EQS, values: get('user.orgUnit') },
  actionType: { type: 'string', ops: ['contains', ...EQS], values: get('actionType') },
  'activity.eventActionType': { type: 'string', ops: EQ, values: get('eventTypeValue') },
  // The field's 2021 name, still sent by older playbooks.
  'activity.eventType': { type: 'string', ops: EQ, values: get('eventTypeValue') },
  'activity.id': { type: 'string', ops: ['eq'], values: get('_id') },
  'activity.impersonated': { type: 'bool', ops: ['eq'], values: (r) => [r.impersonated === true] },
  'activity.type': { type: 'bool', ops: ['eq'], values: (r) => [r.adminEvent === true] },
  'activity.takenAction': { type: 'string', ops: EQ, values: (r) => [r.takenAction ?? null] },
  'device.type': { type: 'string', ops: EQ, values: get('device.type') },
  'device.tags': { type: 'string', ops: EQ, values: get('device.tags') },
  'userAgent.userAgent': { type: 'string', ops: ['contains', 'ncontains'], values: get('device.userAgent') },
  'userAgent.tags': { type: 'string', ops: EQ, values: get('userAgent.tags') },
  'location.country': { type: 'string', ops: EQS, values: get('location.countryCode') },
  'location.organizations': { type: 'string', ops: [...EQS, 'contains'], values: get('location.organizationSearchable') },
  'ip.address': { type: 'string', ops: ['eq', 'neq', 'startswith', 'doesnotstartwith', ...SET], values: get('device.clientIP') },
  'ip.category': { type: 'int', ops: EQ, values: get('location.category') },
  'ip.tags': { type: 'string', ops: EQ, values: get('ip.tags') },
  fileSelector: { type: 'string', ops: EQ, values: get('fileSelector') },
  office365url: { type: 'string', ops: ['startswith', 'eq', 'endswith'], values: get('office365url') },
  fileId: { type: 'string', ops: ['eq'], values: get('fileId') },
  text: { type: 'string', ops: ['eq', 'startswithsingle', 'text'], values: (r) => [r.description, r.eventTypeValue, r.actionType, (r.user as JsonObject | undefined)?.userName] },
  // lt/gt are not in the documented operator table; they are accepted because scan-mode
  // nextQueryFilters use them.
  date: { type: 'date', ops: [...DATE_OPS, 'lt', 'gt'], values: get('timestamp') },
  created: { type: 'date', ops: ['lte', 'gte', 'range', 'gt', 'lt', 'eq'], values: get('created') },
  policy: { type: 'string', ops: EQS, values: get('policy') },
  source: { type: 'any', ops: EQ, values: get('source') },
  'activity.alertId': { type: 'string', ops: ['eq'], values: get('alertIds') },
  activityObject: { type: 'string', ops: EQ, values: (r) => ((r.mainInfo as JsonObject | undefined)?.eventObjects as JsonObject[] | undefined ?? []).map((o) => o.id) },
  fileLabels: { type: 'string', ops: EQ, values: get('fileLabels') },
  entity: { type: 'pk', ops: [...EQS, 'startswith'], values: (r) => Object.values(isObject(r.entityData) ? r.entityData : {}).filter(isObject).map((e) => e.id) },
  'user.username': { type: 'string', ops: [...EQS, 'startswith'], values: get('user.userName') },
  'user.tags': { type: 'string', ops: [...EQS, 'startswith'], values: get('user.userTags') },
  'user.domain': { type: 'string', ops: EQS, values: get('user.domain') },
};

/** Inferred, not documented: Microsoft's module refuses skip + limit > 5000 for activities. */
export const ACTIVITY_SKIP_HORIZON = 5000;
/** Emulator-private filter carried in `nextQueryFilters` when a tie group is larger than a page. */
export const SCAN_CURSOR = '_scanCursor';
/** Beyond this many extra filter evaluations, `total` becomes a lower bound (`moreThanTotal`). */
const TOTAL_BUDGET = 20_000;

interface Query {
  filters: JsonObject;
  cursor?: { key: number; seq: number };
  sortField: 'date' | 'created';
  direction: 'asc' | 'desc';
}

function parseQuery(req: ApiRequest): Query {
  const raw = req.params.filters;
  const filters: JsonObject = isObject(raw) ? { ...raw } : typeof raw === 'string' && raw.trim() !== '' ? (JSON.parse(raw) as JsonObject) : {};
  let cursor: Query['cursor'];
  const c = filters[SCAN_CURSOR];
  delete filters[SCAN_CURSOR];
  if (isObject(c) && typeof c.eq === 'string') {
    const [key, seq] = c.eq.split(':').map(Number);
    if (Number.isFinite(key) && Number.isFinite(seq)) cursor = { key, seq };
  }
  const sf = req.params.sortField;
  const sortField = sf === 'created' ? 'created' : 'date';
  if (sf !== undefined && sf !== '' && sf !== 'date' && sf !== 'created') throw new Error('sortField');
  return { filters, cursor, sortField, direction: sortDirection(req.params, 'desc') };
}

/** Timestamp-only filters are decided without building records (keeps 100k-record scans cheap). */
const CHEAP_FILTERS = new Set(['date', 'created']);

/** Matching entries in order; the record is built only when read. */
function* matching(req: ApiRequest, q: Query): Generator<{ entry: ActivityEntry; record: () => JsonObject; cheap: boolean }> {
  const t = req.tenant;
  const now = t.now();
  const predicate = compileFilters(q.filters, ACTIVITY_FILTERS, now);
  const cheap = Object.keys(q.filters).every((k) => CHEAP_FILTERS.has(k));
  const { min, max } = timeBounds(q.filters, q.sortField === 'created' ? 'created' : 'date', now);
  for (const entry of t.activities.entries(q.sortField, q.direction, min, max)) {
    if (q.cursor && entry.key === q.cursor.key && (q.direction === 'desc' ? entry.seq <= q.cursor.seq : entry.seq >= q.cursor.seq)) continue;
    if (cheap) {
      if (predicate({ timestamp: entry.timestamp, created: entry.created })) yield { entry, record: () => entry.record(), cheap };
      continue;
    }
    const record = entry.record();
    if (predicate(record)) yield { entry, record: () => record, cheap };
  }
}

export function listActivities(req: ApiRequest): ApiResult {
  let q: Query;
  try {
    q = parseQuery(req);
  } catch {
    return { status: 400, json: { filters: [{ error: `${String(req.params.sortField ?? req.params.filters)} is not valid`, errorMessageCode: 'CONSOLE_FORMS_NOT_VALID_VALUE', errorMessageParams: { value: String(req.params.sortField ?? '') } }], error: true } };
  }
  const isScan = req.params.isScan === true || req.params.isScan === 'true';
  return isScan ? scan(req, q) : page(req, q);
}

function page(req: ApiRequest, q: Query): ApiResult {
  const window = pageWindow(req.params);
  if (window.skip + window.limit > ACTIVITY_SKIP_HORIZON) return badRequest(`Cannot retrieve more than ${ACTIVITY_SKIP_HORIZON} records with skip; use scan mode (isScan) or date filters.`);
  const data: JsonObject[] = [];
  let total = 0;
  let budget = TOTAL_BUDGET;
  let capped = false;
  for (const { record, cheap } of matching(req, q)) {
    if (total >= window.skip && data.length < window.limit) data.push(record());
    total++;
    if (!cheap && total > window.skip + window.limit && --budget <= 0) {
      capped = true;
      break;
    }
  }
  return ok(envelope(data, total, window, capped));
}

/**
 * Scan mode. The page is cut so that it never splits a group of records sharing the
 * boundary key: trailing records tied with the first withheld one are withheld too, and the
 * next query asks for keys strictly beyond the last kept record. A tie group larger than a
 * whole page is paged with an emulator cursor (key + sequence) instead.
 */
function scan(req: ApiRequest, q: Query): ApiResult {
  const limit = pageWindow(req.params, 5000, 500, 500).limit;
  const taken: Array<{ entry: ActivityEntry; record: () => JsonObject; cheap: boolean }> = [];
  let total = 0;
  let budget = TOTAL_BUDGET;
  let capped = false;
  for (const m of matching(req, q)) {
    if (taken.length <= limit) taken.push(m);
    total++;
    if (!m.cheap && taken.length > limit && --budget <= 0) {
      capped = true;
      break;
    }
  }
  const hasNext = taken.length > limit;
  if (!hasNext) return ok({ data: taken.map((m) => m.record()), hasNext: false, total, max: limit, moreThanTotal: false });
  const next = taken[limit];
  let kept = taken.slice(0, limit);
  const keyField = q.sortField;
  const cut = kept.findIndex((m) => m.entry.key === next.entry.key);
  const nextFilters: JsonObject = { ...q.filters };
  const bound = isObject(nextFilters[keyField]) ? { ...(nextFilters[keyField] as JsonObject) } : {};
  const [strict, inclusive] = q.direction === 'desc' ? ['lt', 'lte'] : ['gt', 'gte'];
  if (cut > 0) {
    kept = kept.slice(0, cut);
    delete bound[inclusive];
    bound[strict] = kept[kept.length - 1].entry.key;
  } else if (cut === -1) {
    delete bound[inclusive];
    bound[strict] = kept[kept.length - 1].entry.key;
  } else {
    // The whole page is one tie group: continue inside it after the last sequence number.
    const last = kept[kept.length - 1].entry;
    delete bound[strict];
    bound[inclusive] = last.key;
    nextFilters[SCAN_CURSOR] = { eq: `${last.key}:${last.seq}` };
  }
  nextFilters[keyField] = bound;
  return ok({ data: kept.map((m) => m.record()), hasNext: true, total: total, max: limit, moreThanTotal: capped, nextQueryFilters: nextFilters });
}

export function fetchActivity(req: ApiRequest): ApiResult {
  const record = req.tenant.activities.get(decodeURIComponent(req.match[1]));
  return record ? ok(record) : notFound();
}

/** `feedback` or `feedbackValue`/`feedbackText`/... are both accepted (the docs disagree). */
export function activityFeedback(req: ApiRequest): ApiResult {
  const id = decodeURIComponent(req.match[1]);
  if (!req.tenant.activities.get(id)) return notFound();
  const p = req.params;
  const feedback = p.feedback ?? p.feedbackValue;
  if (feedback === undefined && p.feedbackText === undefined) return badRequest('feedback is required');
  req.tenant.feedback.push({ activityId: id, feedback: feedback ?? null, feedbackText: p.feedbackText ?? null, allowContact: p.allowContact ?? false, contactEmail: p.contactEmail ?? null, at: req.tenant.now() });
  return ok({ success: true });
}
