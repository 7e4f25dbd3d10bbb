// IP ranges ("subnets"): list, create (bare string id), full-replace update, delete.
import { JsonObject } from '../jwt';
import { objectIdFromRandom } from './ids';
import { ipTag } from '../data/seed';
import { SeedContext } from '../data/context';
import { parseCidr, StoredSubnet } from './cidr';
import { compileFilters, EQ, FilterSpecs, filterError, get } from './filters';
import { listPage } from './paging';
import { ApiRequest, ApiResult, notFound, ok } from './types';

export const SUBNET_FILTERS: FilterSpecs = {
  category: { type: 'int', ops: EQ, values: get('category') },
  // A tag object has its record id (`_id`) and its tag id (`id`, what the manage script sends).
  tags: { type: 'string', ops: EQ, values: (r) => (Array.isArray(r.tags) ? r.tags.flatMap((t) => (typeof t === 'object' && t !== null ? [(t as JsonObject)._id, (t as JsonObject).id] : [t])) : []) },
  builtIn: { type: 'bool', ops: ['eq'], values: (r) => [r.builtIn === true] },
};
const SORT_KEYS = {
  name: (r: JsonObject) => String(r.name).toLowerCase(),
  category: (r: JsonObject) => Number(r.category),
  tags: (r: JsonObject) => (Array.isArray(r.tags) ? r.tags.length : 0),
};

export function listSubnets(req: ApiRequest): ApiResult {
  const t = req.tenant;
  return ok(listPage(t.subnets, req.params, compileFilters(req.params.filters, SUBNET_FILTERS, t.now()), SORT_KEYS));
}

const toList = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : typeof v === 'string' ? v.split(/[\s,]+/).filter(Boolean) : [v]);

/** Validates a create/update body (documented create_rule fields); throws FilterValidationError. */
function validRange(ctx: SeedContext, p: JsonObject, existingNames: string[]): Omit<JsonObject, '_id'> {
  if (typeof p.name !== 'string' || p.name.trim() === '') throw filterError('name');
  if (existingNames.some((n) => n.toLowerCase() === String(p.name).trim().toLowerCase())) throw filterError(String(p.name));
  const category = Number(p.category);
  if (!Number.isInteger(category) || category < 1 || category > 6) throw filterError(String(p.category));
  const cidrs = toList(p.subnets);
  if (cidrs.length === 0) throw filterError('subnets');
  const subnets: StoredSubnet[] = cidrs.map((c) => {
    const parsed = parseCidr(String(c));
    if (!parsed) throw filterError(String(c));
    return parsed;
  });
  const organization = typeof p.organization === 'string' && p.organization !== '' ? p.organization : null;
  return {
    name: p.name.trim(),
    category,
    subnets,
    organization,
    // Tags arrive as tag ids (the manage script) or names (the create example); stored as the
    // tag objects the list answer shows.
    tags: toList(p.tags).map((t) => (/^[0-9a-f]{24}$/i.test(String(t)) ? ipTag(ctx, String(t), String(t)) : ipTag(ctx, String(t)))),
    location: null,
    builtIn: false,
  };
}

export function createSubnet(req: ApiRequest): ApiResult {
  const t = req.tenant;
  const range = validRange(t.ctx, req.params, t.subnets.map((s) => String(s.name)));
  const id = objectIdFromRandom();
  t.subnets.push({ _id: id, ...range, lastModified: t.now() + 0.25, _tid: t.ctx.numericTenantId });
  // The documented answer is the bare JSON string id.
  return ok(id);
}

export function updateSubnet(req: ApiRequest): ApiResult {
  const t = req.tenant;
  const id = decodeURIComponent(req.match[1]);
  const index = t.subnets.findIndex((s) => s._id === id);
  if (index < 0) return notFound();
  // Update is a full replace — omitted optional fields are cleared.
  const range = validRange(t.ctx, req.params, t.subnets.filter((s) => s._id !== id).map((s) => String(s.name)));
  t.subnets[index] = { _id: id, ...range, lastModified: t.now() + 0.25, _tid: t.ctx.numericTenantId };
  return ok(t.subnets[index]);
}

export function deleteSubnet(req: ApiRequest): ApiResult {
  const t = req.tenant;
  const id = decodeURIComponent(req.match[1]);
  const index = t.subnets.findIndex((s) => s._id === id);
  if (index < 0) return notFound();
  t.subnets.splice(index, 1);
  return ok({ deleted: 1, _id: id });
}

export function fetchSubnet(req: ApiRequest): ApiResult {
  const s = req.tenant.subnets.find((x) => x._id === decodeURIComponent(req.match[1]));
  return s ? ok(s) : notFound();
}
