// Advanced hunting through Graph (docs/graph-security-api.md "Hunting"): POST
// /security/runHuntingQuery {"Query": KQL, "Timespan"?} → {schema, results}. The body is spelled
// as the v1.0 page spells it; the answer's schema entries are read in either casing. The limits
// (30 days of data, 100,000 rows, 50 MB, 3 minutes, calls per minute, CPU per 15-minute cycle)
// come back as GraphHuntingError with a reason and a hint.
import { MdcaError, MdcaErrorDetails, MdcaErrorSummary, MdcaValidationError } from '../errors';
import type { OperationInputValues } from '../operations/types';
import { classifyHuntingFailure, HUNTING_REASON_CODE, HuntingFailureReason } from '../xdr/hunting';
import { GRAPH_PERMISSIONS } from './permissions';
import { GRAPH_SECURITY_PATH, GraphOperationImplementation } from './types';

export const GRAPH_HUNTING_PATH = `${GRAPH_SECURITY_PATH}/runHuntingQuery`;
export const GRAPH_HUNTING_MAX_ROWS = 100_000;
export const GRAPH_HUNTING_MAX_QUERY_LENGTH = 30_000;

export const GRAPH_HUNTING_HINTS: Record<HuntingFailureReason, string> = {
  badQuery: 'Fix the KQL (table and column names are case-sensitive); try the query in the Defender portal under Hunting > Advanced hunting first.',
  tooManyRows: `A query returns at most ${GRAPH_HUNTING_MAX_ROWS.toLocaleString('en-US')} rows and 50 MB: add "| take N", "| summarize", "| project" of fewer columns or a shorter Timespan.`,
  timeout: 'A query may run for 3 minutes at most: narrow the Timespan, filter early (where before join/summarize) and project only the columns needed.',
  callQuota: 'Hunting through Graph allows at least 45 calls per minute per tenant, shared with every integration: run it again in a minute or run fewer queries.',
  cpuQuota: 'The tenant used its hunting CPU quota (checked in 15-minute cycles): wait for the next cycle and make the queries cheaper.',
};

/** A typed hunting failure of Microsoft Graph; `reason` says which limit was hit. */
export class GraphHuntingError extends MdcaError {
  readonly reason: HuntingFailureReason;

  constructor(reason: HuntingFailureReason, message: string, details: MdcaErrorDetails = {}) {
    super(HUNTING_REASON_CODE[reason], message, GRAPH_HUNTING_HINTS[reason], details);
    this.reason = reason;
  }

  override toSummary(): MdcaErrorSummary & { reason: HuntingFailureReason } {
    return { ...super.toSummary(), reason: this.reason };
  }
}

export function graphHuntingFailure(error: unknown): GraphHuntingError | undefined {
  return classifyHuntingFailure(error, 'Microsoft Graph', 'huntingQuery.run', (reason, message, details) => new GraphHuntingError(reason, message, details));
}

// ISO 8601: a date-time, or a duration such as P30D or PT12H.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?)?$/;
const DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

/**
 * A Timespan in one of the documented forms: start/end, duration/end, start/duration, a
 * duration (ending now) or a start (ending now).
 */
export function validateTimespan(raw: string, field = 'timespan'): string {
  const text = raw.trim();
  const parts = text.split('/');
  const isDate = (p: string): boolean => DATE_TIME.test(p) && Number.isFinite(Date.parse(p));
  const isDuration = (p: string): boolean => DURATION.test(p);
  const ok =
    parts.length === 1
      ? isDate(parts[0]) || isDuration(parts[0])
      : parts.length === 2 && ((isDate(parts[0]) && (isDate(parts[1]) || isDuration(parts[1]))) || (isDuration(parts[0]) && isDate(parts[1])));
  if (!ok) {
    throw new MdcaValidationError(
      field,
      `"Timespan" ${text.slice(0, 60)} is not an ISO 8601 time range.`,
      'Use P7D (the last 7 days), 2026-01-01T00:00:00Z/2026-01-08T00:00:00Z, P7D/2026-01-08T00:00:00Z, 2026-01-01T00:00:00Z/P7D or a start time. Hunting data goes back 30 days.',
    );
  }
  return text;
}

interface RawResult {
  schema?: unknown;
  results?: unknown;
}

/** Schema entries as {name, type}: one documented example spells them Name/Type. */
function schemaOf(raw: unknown): { name: string; type: string }[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((c) => {
    const column = (c ?? {}) as Record<string, unknown>;
    return { name: String(column.name ?? column.Name ?? ''), type: String(column.type ?? column.Type ?? '') };
  });
}

function body(input: OperationInputValues): Record<string, unknown> {
  const out: Record<string, unknown> = { Query: input.query };
  if (typeof input.timespan === 'string' && input.timespan.trim() !== '') out.Timespan = validateTimespan(input.timespan);
  return out;
}

export const graphHuntingOperations: GraphOperationImplementation[] = [
  {
    definition: {
      service: 'graph',
      resource: 'huntingQuery',
      operation: 'run',
      id: 'huntingQuery.run',
      displayName: 'Run Query',
      action: 'Run a hunting query',
      description: 'Runs a KQL query over up to 30 days of Defender hunting data and returns its schema and rows (at most 100,000 rows, 50 MB, 3 minutes).',
      permissions: GRAPH_PERMISSIONS.hunting,
      access: 'read',
      http: { method: 'POST', path: GRAPH_HUNTING_PATH },
      paging: 'none',
      output: 'result',
      inputs: [
        {
          name: 'query',
          displayName: 'Query (KQL)',
          type: 'string',
          required: true,
          maxLength: GRAPH_HUNTING_MAX_QUERY_LENGTH,
          placeholder: 'CloudAppEvents | where Timestamp > ago(1d) | take 100',
          description: 'The KQL query, e.g. AlertInfo | where ServiceSource == "Microsoft Defender for Cloud Apps" | take 100',
        },
        {
          name: 'timespan',
          displayName: 'Timespan',
          type: 'string',
          maxLength: 100,
          placeholder: 'P7D',
          description: 'ISO 8601 range the query covers (default: the last 30 days); if the KQL filters on time as well, the shorter window wins.',
        },
      ],
    },
    // A query only reads: safe to send again after a lost connection.
    request: { body, priority: 'interactive', long: true },
    failure: graphHuntingFailure,
    answer(answer, _, exec) {
      const data = answer as RawResult | undefined;
      const schema = schemaOf(data?.schema);
      const results = Array.isArray(data?.results) ? (data.results as Record<string, unknown>[]) : [];
      const truncated = results.length >= GRAPH_HUNTING_MAX_ROWS;
      if (truncated) exec.warn(`The hunting query returned ${results.length} rows, the service maximum; the result may be cut off.`);
      return { kind: 'result', result: { schema, results, rowCount: results.length, truncated } };
    },
  },
];
