// The list envelope (`{total, hasNext, data}`), skip/limit handling and sorting.
import { JsonObject } from '../jwt';
import { filterError } from './filters';

export const PAGE_MAX = 100;

export interface PageWindow {
  skip: number;
  limit: number;
}

const int = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? Math.trunc(n) : undefined;
};

/** Page size: default 100, silently clamped to 100. */
export function pageWindow(params: JsonObject, max = PAGE_MAX, fallback = PAGE_MAX, min = 1): PageWindow {
  const skip = int(params.skip);
  const limit = int(params.limit);
  if (params.skip !== undefined && (skip === undefined || skip < 0)) throw filterError(String(params.skip));
  if (params.limit !== undefined && limit === undefined) throw filterError(String(params.limit));
  return { skip: skip ?? 0, limit: Math.min(max, Math.max(min, limit === undefined || limit <= 0 ? fallback : limit)) };
}

export interface Envelope {
  data: JsonObject[];
  hasNext: boolean;
  total: number;
  max: number;
  moreThanTotal: boolean;
}

export function envelope(data: JsonObject[], total: number, window: PageWindow, moreThanTotal = false): Envelope {
  return { data, hasNext: window.skip + data.length < total || (moreThanTotal && data.length === window.limit), total, max: window.limit, moreThanTotal };
}

export type SortKeys = Record<string, (r: JsonObject) => number | string>;

export function sortRecords(records: JsonObject[], params: JsonObject, keys: SortKeys, defaultField?: string, defaultDirection: 'asc' | 'desc' = 'desc'): JsonObject[] {
  const field = typeof params.sortField === 'string' && params.sortField !== '' ? params.sortField : defaultField;
  const direction = sortDirection(params, defaultDirection);
  if (!field) return records;
  const key = keys[field];
  if (!key) throw filterError(field);
  const sign = direction === 'asc' ? 1 : -1;
  // Stable: equal keys keep canonical order, so skip/limit paging never repeats or drops a record.
  return records
    .map((r, i) => ({ r, i, k: key(r) }))
    .sort((a, b) => (a.k < b.k ? -sign : a.k > b.k ? sign : a.i - b.i))
    .map((x) => x.r);
}

export function sortDirection(params: JsonObject, fallback: 'asc' | 'desc'): 'asc' | 'desc' {
  const d = typeof params.sortDirection === 'string' ? params.sortDirection.toLowerCase() : undefined;
  if (d === undefined || d === '') return fallback;
  if (d !== 'asc' && d !== 'desc') throw filterError(String(params.sortDirection));
  return d;
}

/** Filter, sort and page a materialised collection. */
export function listPage(records: JsonObject[], params: JsonObject, predicate: (r: JsonObject) => boolean, keys: SortKeys, defaultField?: string): Envelope {
  const window = pageWindow(params);
  const matched = sortRecords(records.filter(predicate), params, keys, defaultField);
  return envelope(matched.slice(window.skip, window.skip + window.limit), matched.length, window);
}
