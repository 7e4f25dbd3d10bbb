// runHuntingQuery of the emulated Graph listener: the XDR emulator's KQL subset over the same
// tables, limited to the Timespan (default 30 days), with the documented limits as switches
// (row limit, timeout, call and CPU quotas). Property names are read in either casing (the v1.0
// page writes Query/Timespan, the beta page query/timespan).
import { JsonObject } from '../jwt';
import { KqlError, runKql, Table } from '../xdr/kql';
import type { Call, GraphResult } from './routes';
import { graphError } from './server';
import { GraphTenant } from './state';

const DAY = 86_400_000;

/** Milliseconds of an ISO 8601 duration (days, hours, minutes, seconds; a week is 7 days). */
function durationMs(text: string): number | undefined {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return undefined;
  const [, w, d, h, min, s] = m.map((x) => Number(x ?? 0));
  return (w * 7 + d) * DAY + h * 3_600_000 + min * 60_000 + s * 1000;
}

/** [start, end] of a Timespan in one of the documented forms, or undefined when it is none of them. */
export function timespanRange(text: string | undefined, now: number): [number, number] | undefined {
  if (text === undefined || text.trim() === '') return [now - 30 * DAY, now];
  const parts = text.trim().split('/');
  const date = (p: string): number | undefined => (/^\d{4}-\d{2}-\d{2}/.test(p) && Number.isFinite(Date.parse(p)) ? Date.parse(p) : undefined);
  if (parts.length === 1) {
    const d = durationMs(parts[0]);
    const start = date(parts[0]);
    return d !== undefined ? [now - d, now] : start !== undefined ? [start, now] : undefined;
  }
  if (parts.length !== 2) return undefined;
  const [a, b] = parts;
  if (date(a) !== undefined && date(b) !== undefined) return [date(a)!, date(b)!];
  if (durationMs(a) !== undefined && date(b) !== undefined) return [date(b)! - durationMs(a)!, date(b)!];
  if (date(a) !== undefined && durationMs(b) !== undefined) return [date(a)!, date(a)! + durationMs(b)!];
  return undefined;
}

const property = (body: JsonObject, name: string): unknown => Object.entries(body).find(([k]) => k.toLowerCase() === name)?.[1];

function within(tables: Record<string, Table>, [start, end]: [number, number]): Record<string, Table> {
  const out: Record<string, Table> = {};
  for (const [name, table] of Object.entries(tables)) {
    const timed = table.schema.some((c) => c.Name === 'Timestamp');
    out[name] = timed ? { ...table, rows: table.rows.filter((r) => Date.parse(String(r.Timestamp)) >= start && Date.parse(String(r.Timestamp)) <= end) } : table;
  }
  return out;
}

function failure(call: Call, tenant: GraphTenant): GraphResult | undefined {
  const fail = tenant.hunting.fail;
  if (!fail || fail.times <= 0) return undefined;
  fail.times--;
  if (fail.times <= 0) tenant.hunting.fail = undefined;
  if (fail.kind === 'timeout') return graphError(call, 400, 'BadRequest', 'Query execution has exceeded the allowed execution time of 3 minutes and was cancelled. Optimize your query and try again.');
  if (fail.kind === 'callQuota') return graphError(call, 429, 'TooManyRequests', 'Hunting calls quota exceeded: maximum allowed 45 per minute.', { 'retry-after': String(fail.retryAfterSeconds ?? 1) });
  return graphError(call, 429, 'TooManyRequests', 'Tenant CPU resources quota exceeded for hunting queries; queries are blocked until the next 15-minute cycle.', { 'retry-after': String(fail.retryAfterSeconds ?? 900) });
}

export function runHunting(call: Call, tenant: GraphTenant): GraphResult {
  const query = property(call.json, 'query');
  if (typeof query !== 'string' || query.trim() === '') return graphError(call, 400, 'BadRequest', "The request body must contain the property 'Query'.");
  const timespan = property(call.json, 'timespan');
  const range = timespanRange(typeof timespan === 'string' ? timespan : undefined, tenant.now());
  if (!range || (timespan !== undefined && typeof timespan !== 'string')) return graphError(call, 400, 'BadRequest', `The Timespan '${String(timespan).slice(0, 60)}' is not a valid ISO 8601 time range.`);
  const failed = failure(call, tenant);
  if (failed) return failed;
  let result;
  try {
    result = runKql(query, within(tenant.tables(), range), tenant.now());
  } catch (e) {
    if (e instanceof KqlError) return graphError(call, 400, 'BadRequest', e.message);
    throw e;
  }
  if (result.rows.length > tenant.hunting.maxRows) {
    return graphError(call, 400, 'BadRequest', `Query result exceeds the maximum of ${tenant.hunting.maxRows} rows. Optimize your query by limiting the number of results and try again.`);
  }
  const schema = result.schema.map((c) => (tenant.settings.pascalSchema ? { Name: c.Name, Type: c.Type } : { name: c.Name, type: c.Type }));
  return { status: 200, json: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.security.huntingQueryResults', schema, results: result.rows } };
}
