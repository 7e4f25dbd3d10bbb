// MDCA's filter grammar (`{field: {operator: value}}`), validated per resource against the
// documented operator tables. Deviations clients are known to send are accepted: a scalar where
// a list is documented, several operators in one filter (ANDed), operator names in any case.
import { isObject, JsonObject } from '../jwt';

export type FieldType = 'int' | 'string' | 'bool' | 'date' | 'pk' | 'any';

export interface FieldSpec {
  type: FieldType;
  ops: readonly string[];
  /** All values of the field on a record (multi-valued fields return several). */
  values: (record: JsonObject) => unknown[];
  /** Optional value check for eq/neq arguments (e.g. alert ids must be 24-hex, else 400). */
  validate?: (value: unknown) => boolean;
}
export type FilterSpecs = Record<string, FieldSpec>;

export interface FilterErrorItem {
  error: string;
  errorMessageCode: 'CONSOLE_FORMS_NOT_VALID_VALUE';
  errorMessageParams: { value: string };
}
export class FilterValidationError extends Error {
  constructor(readonly items: FilterErrorItem[]) {
    super(items.map((i) => i.error).join('; '));
  }
  /** The service's invalid-filter error body */
  body(): JsonObject {
    return { filters: this.items, error: true };
  }
}
export const filterError = (value: string): FilterValidationError =>
  new FilterValidationError([{ error: `${value} is not valid`, errorMessageCode: 'CONSOLE_FORMS_NOT_VALID_VALUE', errorMessageParams: { value } }]);

export type Predicate = (record: JsonObject) => boolean;
const DAY_MS = 86_400_000;

const toList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    if (Number.isFinite(n)) return n;
    const d = Date.parse(v);
    if (Number.isFinite(d)) return d;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}
function toBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'True' || v === 1 || v === '1') return true;
  if (v === 'false' || v === 'False' || v === 0 || v === '0') return false;
  return undefined;
}

export interface EntityPk {
  id: string;
  saas?: number;
  inst?: number;
}
export function toPk(v: unknown): EntityPk | undefined {
  if (typeof v === 'string') {
    const t = v.trim();
    if (t.startsWith('{')) {
      try {
        return toPk(JSON.parse(t) as unknown);
      } catch {
        return undefined;
      }
    }
    return t === '' ? undefined : { id: t };
  }
  if (!isObject(v) || (typeof v.id !== 'string' && typeof v.id !== 'number')) return undefined;
  const saas = toNumber(v.saas);
  const inst = toNumber(v.inst);
  return { id: String(v.id), ...(saas !== undefined ? { saas } : {}), ...(inst !== undefined ? { inst } : {}) };
}
/** A pk without `saas` (or `inst`) matches any value of it (newer doc examples omit saas). */
function pkMatches(wanted: EntityPk, actual: unknown): boolean {
  const a = toPk(actual);
  if (!a || a.id.toLowerCase() !== wanted.id.toLowerCase()) return false;
  if (wanted.saas !== undefined && a.saas !== undefined && wanted.saas !== a.saas) return false;
  if (wanted.inst !== undefined && a.inst !== undefined && wanted.inst !== a.inst) return false;
  return true;
}

function equals(type: FieldType, actual: unknown, wanted: unknown): boolean {
  if (actual === null || actual === undefined) return wanted === null || wanted === 'null';
  switch (type) {
    case 'int':
    case 'date':
      return toNumber(actual) === toNumber(wanted);
    case 'bool':
      return toBool(actual) === toBool(wanted);
    case 'pk': {
      const w = toPk(wanted);
      return w !== undefined && pkMatches(w, actual);
    }
    default:
      return String(actual).toLowerCase() === String(wanted).toLowerCase();
  }
}

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v).toLowerCase());

function validateArgument(name: string, spec: FieldSpec, op: string, arg: unknown): void {
  const numeric = ['gt', 'gte', 'lt', 'lte'];
  if (numeric.includes(op) || op === 'gte_ndays' || op === 'lte_ndays') {
    if (toNumber(arg) === undefined) throw filterError(String(arg));
    return;
  }
  if (op === 'range') {
    for (const r of toList(arg)) {
      if (!isObject(r) || toNumber(r.start) === undefined || toNumber(r.end) === undefined) throw filterError(JSON.stringify(r));
    }
    return;
  }
  if (op === 'isset' || op === 'isnotset') return;
  for (const v of toList(arg)) {
    if (v === null || v === 'null') continue;
    if ((spec.type === 'int' || spec.type === 'date') && toNumber(v) === undefined) throw filterError(String(v));
    if (spec.type === 'bool' && toBool(v) === undefined) throw filterError(String(v));
    if (spec.type === 'pk' && toPk(v) === undefined) throw filterError(JSON.stringify(v));
    if (spec.validate && !spec.validate(v)) throw filterError(typeof v === 'string' ? v : JSON.stringify(v));
  }
  void name;
}

function operator(spec: FieldSpec, op: string, arg: unknown, nowMs: number): (values: unknown[]) => boolean {
  const present = (vals: unknown[]): unknown[] => vals.filter((v) => v !== null && v !== undefined && v !== '');
  const list = toList(arg);
  const nums = (vals: unknown[]): number[] => vals.map(toNumber).filter((n): n is number => n !== undefined);
  switch (op) {
    case 'eq':
    case 'descendantof':
    case 'cabinetmatchedrulesequals':
      return (vals) => (vals.length === 0 ? list.some((w) => w === null || w === 'null') : vals.some((v) => list.some((w) => equals(spec.type, v, w))));
    case 'neq':
    case 'ndescendantof':
      return (vals) => !vals.some((v) => list.some((w) => equals(spec.type, v, w)));
    case 'deq':
      return (vals) => vals.some((v) => !list.some((w) => equals(spec.type, v, w)));
    case 'contains':
      return (vals) => vals.some((v) => list.some((w) => str(v).includes(str(w))));
    case 'ncontains':
      return (vals) => !vals.some((v) => list.some((w) => str(v).includes(str(w))));
    case 'startswith':
      return (vals) => vals.some((v) => list.some((w) => str(isObject(v) ? v.id : v).startsWith(str(isObject(w) ? w.id : w))));
    case 'doesnotstartwith':
      return (vals) => !vals.some((v) => list.some((w) => str(v).startsWith(str(w))));
    case 'endswith':
      return (vals) => vals.some((v) => list.some((w) => str(v).endsWith(str(w))));
    case 'startswithsingle':
      return (vals) => vals.some((v) => str(v).startsWith(str(arg)));
    case 'text':
      return (vals) => vals.some((v) => str(typeof v === 'object' ? JSON.stringify(v) : v).includes(str(arg)));
    case 'gt':
      return (vals) => nums(vals).some((n) => n > (toNumber(arg) as number));
    case 'gte':
      return (vals) => nums(vals).some((n) => n >= (toNumber(arg) as number));
    case 'lt':
      return (vals) => nums(vals).some((n) => n < (toNumber(arg) as number));
    case 'lte':
      return (vals) => nums(vals).some((n) => n <= (toNumber(arg) as number));
    case 'gte_ndays':
      return (vals) => nums(vals).some((n) => n >= nowMs - (toNumber(arg) as number) * DAY_MS);
    case 'lte_ndays':
      return (vals) => nums(vals).some((n) => n <= nowMs - (toNumber(arg) as number) * DAY_MS);
    case 'range': {
      const ranges = list.filter(isObject).map((r) => [toNumber(r.start) as number, toNumber(r.end) as number]);
      return (vals) => nums(vals).some((n) => ranges.some(([s, e]) => n >= s && n <= e));
    }
    case 'isset':
      return (vals) => (present(vals).length > 0) === (toBool(arg) ?? true);
    case 'isnotset':
      return (vals) => (present(vals).length === 0) === (toBool(arg) ?? true);
    default:
      return () => false;
  }
}

/** Validates `filters` and returns a predicate; throws FilterValidationError (→ 400, invalid-filter body). */
export function compileFilters(filters: unknown, specs: FilterSpecs, nowMs: number): Predicate {
  if (filters === undefined || filters === null || filters === '') return () => true;
  if (typeof filters === 'string') {
    try {
      return compileFilters(JSON.parse(filters) as unknown, specs, nowMs);
    } catch (e) {
      if (e instanceof FilterValidationError) throw e;
      throw filterError(filters);
    }
  }
  if (!isObject(filters)) throw filterError(JSON.stringify(filters));
  const checks: Predicate[] = [];
  for (const [name, ops] of Object.entries(filters)) {
    const spec = specs[name];
    if (!spec) throw filterError(name);
    if (!isObject(ops)) throw filterError(`${name}`);
    for (const [rawOp, arg] of Object.entries(ops)) {
      const op = rawOp.toLowerCase();
      if (!spec.ops.includes(op)) throw filterError(`${name}.${rawOp}`);
      validateArgument(name, spec, op, arg);
      const test = operator(spec, op, arg, nowMs);
      checks.push((r) => test(spec.values(r)));
    }
  }
  return (r) => checks.every((c) => c(r));
}

/** Numeric bounds a filter puts on one timestamp field, for index pruning (never narrower than the filter). */
export function timeBounds(filters: unknown, field: string, nowMs: number): { min: number; max: number } {
  let min = -Infinity;
  let max = Infinity;
  if (!isObject(filters) || !isObject(filters[field])) return { min, max };
  for (const [rawOp, arg] of Object.entries(filters[field] as JsonObject)) {
    const op = rawOp.toLowerCase();
    const n = toNumber(arg);
    if ((op === 'gte' || op === 'gt') && n !== undefined) min = Math.max(min, n);
    if ((op === 'lte' || op === 'lt') && n !== undefined) max = Math.min(max, n);
    if (op === 'gte_ndays' && n !== undefined) min = Math.max(min, nowMs - n * DAY_MS);
    if (op === 'lte_ndays' && n !== undefined) max = Math.min(max, nowMs - n * DAY_MS);
    if (op === 'range') {
      const ranges = toList(arg).filter(isObject);
      if (ranges.length > 0) {
        min = Math.max(min, Math.min(...ranges.map((r) => toNumber(r.start) ?? -Infinity)));
        max = Math.min(max, Math.max(...ranges.map((r) => toNumber(r.end) ?? Infinity)));
      }
    }
  }
  return { min, max };
}

// Shorthands for spec tables.
export const get = (path: string) => (r: JsonObject): unknown[] => {
  let cur: unknown = r;
  for (const part of path.split('.')) {
    if (!isObject(cur)) return [];
    cur = cur[part];
  }
  if (cur === undefined || cur === null) return [];
  return Array.isArray(cur) ? cur : [cur];
};
export const EQ = ['eq', 'neq'] as const;
export const SET = ['isset', 'isnotset'] as const;
export const DATE_OPS = ['lte', 'gte', 'range', 'lte_ndays', 'gte_ndays'] as const;
