// Entities: list, fetch by base64 pk (route C2 in router.ts), fetch tree (C3).
import { isObject, JsonObject } from '../jwt';
import { compileFilters, EntityPk, EQ, FilterSpecs, get, SET, toPk } from './filters';
import { listPage } from './paging';
import { ApiRequest, ApiResult, notFound, ok } from './types';

const pkOf = (e: JsonObject): EntityPk => {
  const app = isObject(e.appData) ? e.appData : {};
  return { id: String(e.id), saas: Number(app.saas), inst: Number(app.instance ?? 0) };
};

export const ENTITY_FILTERS: FilterSpecs = {
  // The MCAS module sends 1/2, XSOAR sends "user".
  type: { type: 'string', ops: EQ, values: (r) => [r.type, r.type === 2 ? 'user' : 'account'] },
  isAdmin: { type: 'bool', ops: ['eq'], values: get('isAdmin') },
  entity: { type: 'pk', ops: EQ, values: (r) => [pkOf(r)] },
  userGroups: { type: 'string', ops: EQ, values: (r) => (Array.isArray(r.userGroups) ? r.userGroups.filter(isObject).flatMap((g) => [g._id, g.id]) : []) },
  app: { type: 'int', ops: EQ, values: get('appData.appId') },
  service: { type: 'int', ops: EQ, values: get('appData.saas') },
  instance: { type: 'int', ops: EQ, values: get('appData.instance') },
  isExternal: { type: 'bool', ops: ['eq'], values: get('isExternal') },
  affiliation: { type: 'bool', ops: ['eq'], values: (r) => [r.isExternal !== true] },
  domain: { type: 'string', ops: [...EQ, ...SET], values: get('domain') },
  organization: { type: 'string', ops: [...EQ, ...SET], values: get('organization') },
  status: { type: 'int', ops: EQ, values: get('status') },
  lastSeen: { type: 'date', ops: ['lte', 'gte', 'range'], values: (r) => (typeof r.lastSeen === 'string' ? [Date.parse(r.lastSeen)] : []) },
  score: { type: 'int', ops: ['lt', 'gt', ...SET], values: get('threatScore') },
};

// The documented `date`/`severity` look copied from alerts; clients use lastSeen/score.
const SORT_KEYS = {
  lastSeen: (r: JsonObject) => String(r.lastSeen),
  date: (r: JsonObject) => String(r.lastSeen),
  score: (r: JsonObject) => Number(r.threatScore ?? -1),
  severity: (r: JsonObject) => Number(r.threatScore ?? -1),
  displayName: (r: JsonObject) => String(r.displayName),
};

export function listEntities(req: ApiRequest): ApiResult {
  const t = req.tenant;
  return ok(listPage(t.entities, req.params, compileFilters(req.params.filters, ENTITY_FILTERS, t.now()), SORT_KEYS));
}

/**
 * Fetch path: base64 (standard or URL-safe, padded or not) of the JSON pk in any key order, with
 * or without `saas`. The tree path (documented only as "the ID of the entity") may also get the
 * plain entity id.
 */
export function decodeEntityKey(raw: string): EntityPk | undefined {
  const text = decodeURIComponent(raw);
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)) return { id: text };
  try {
    const json = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    if (json.trim().startsWith('{')) return toPk(JSON.parse(json) as unknown);
  } catch {
    /* not base64 JSON */
  }
  return text.length > 0 && !text.includes('{') ? { id: text } : undefined;
}

function findEntity(entities: JsonObject[], pk: EntityPk): JsonObject | undefined {
  const candidates = entities.filter((e) => {
    const p = pkOf(e);
    return p.id.toLowerCase() === pk.id.toLowerCase() && (pk.saas === undefined || pk.saas === p.saas) && (pk.inst === undefined || pk.inst === p.inst);
  });
  // Without saas the user (type 2) is the natural match; its accounts share the id.
  return candidates.find((e) => e.type === 2) ?? candidates[0];
}

export function fetchEntity(req: ApiRequest): ApiResult {
  const pk = decodeEntityKey(req.match[1]);
  const entity = pk ? findEntity(req.tenant.entities, pk) : undefined;
  return entity ? ok(entity) : notFound();
}

/**
 * Entity tree (shape undocumented). Emulator choice: `{entity, user, accounts, children}` — for a user,
 * `user` is itself and `accounts`/`children` its accounts; for an account, `user` is its parent
 * user and `accounts` its siblings (itself included).
 */
export function fetchEntityTree(req: ApiRequest): ApiResult {
  const pk = decodeEntityKey(req.match[1]);
  const entity = pk ? findEntity(req.tenant.entities, pk) : undefined;
  if (!entity) return notFound();
  const sameId = req.tenant.entities.filter((e) => String(e.id).toLowerCase() === String(entity.id).toLowerCase());
  const user = sameId.find((e) => e.type === 2) ?? null;
  const accounts = sameId.filter((e) => e.type !== 2);
  return ok({ entity, user, accounts, children: accounts });
}
