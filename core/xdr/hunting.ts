// Defender XDR advanced hunting: POST /api/advancedhunting/run {"Query": KQL}
// → {Stats, Schema, Results}. Limits are mapped to XdrHuntingError with a reason and a hint:
// bad query (400), result too large (100,000 rows / size), the 3-minute timeout, and the 429
// quotas (calls per minute, CPU time per 15-minute cycle).
import { MdcaError, MdcaErrorCode, MdcaErrorDetails, MdcaErrorSummary } from '../errors';
import { XDR_PERMISSIONS } from './permissions';
import type { XdrOperationImplementation } from './types';

export const HUNTING_PATH = '/api/advancedhunting/run';
export const HUNTING_MAX_ROWS = 100_000;
export const HUNTING_MAX_QUERY_LENGTH = 30_000;
/**
 * Given on every use of advancedHunting.run: Microsoft is retiring this endpoint; the Graph
 * hunting operation (huntingQuery.run, core/graph/hunting.ts) runs the same KQL. The operation
 * itself is unchanged so saved workflows and flows keep working.
 */
export const HUNTING_RETIREMENT_WARNING =
  'Microsoft is retiring the Defender XDR advanced hunting API (/api/advancedhunting/run). Switch to Microsoft Graph Security Hunting (Run Query), which runs the same KQL through Microsoft Graph runHuntingQuery.';

export type HuntingFailureReason = 'badQuery' | 'tooManyRows' | 'timeout' | 'callQuota' | 'cpuQuota';

export const HUNTING_REASON_CODE: Record<HuntingFailureReason, MdcaErrorCode> = {
  badQuery: 'REQUEST_REJECTED',
  tooManyRows: 'REQUEST_REJECTED',
  timeout: 'SERVER_ERROR',
  callQuota: 'THROTTLED',
  cpuQuota: 'THROTTLED',
};

export const HUNTING_HINTS: Record<HuntingFailureReason, string> = {
  badQuery: 'Fix the KQL (table and column names are case-sensitive); try the query in the portal under Hunting > Advanced hunting first.',
  tooManyRows: `A query returns at most ${HUNTING_MAX_ROWS.toLocaleString('en-US')} rows: add "| take N", "| summarize" or a tighter time filter (e.g. "| where Timestamp > ago(1d)").`,
  timeout: 'A query may run for 3 minutes at most: narrow the time range, filter early (where before join/summarize) and project only the columns needed.',
  callQuota: 'Advanced hunting allows at least 45 calls per minute per tenant, shared with every integration: run it again in a minute or run fewer queries.',
  cpuQuota: 'The tenant used its advanced-hunting CPU quota (checked in 15-minute cycles): wait for the next cycle and make the queries cheaper.',
};

/** A typed advanced-hunting failure; `reason` says which limit was hit. */
export class XdrHuntingError extends MdcaError {
  readonly reason: HuntingFailureReason;

  constructor(reason: HuntingFailureReason, message: string, details: MdcaErrorDetails = {}) {
    super(HUNTING_REASON_CODE[reason], message, HUNTING_HINTS[reason], details);
    this.reason = reason;
  }

  override toSummary(): MdcaErrorSummary & { reason: HuntingFailureReason } {
    return { ...super.toSummary(), reason: this.reason };
  }
}

/** Classifies what the service (or the transport) said about a failed query. */
export function huntingFailure(error: unknown): XdrHuntingError | undefined {
  return classifyHuntingFailure(error, 'Defender XDR', 'advancedHunting.run', (reason, message, details) => new XdrHuntingError(reason, message, details));
}

/**
 * Which hunting limit a failed query hit, built as the service's own typed error by `make`
 * (Defender XDR here, Microsoft Graph in core/graph/hunting.ts: both run the same hunting engine).
 */
export function classifyHuntingFailure<E extends MdcaError>(
  error: unknown,
  service: string,
  operation: string,
  make: (reason: HuntingFailureReason, message: string, details: MdcaErrorDetails) => E,
): E | undefined {
  if (!(error instanceof MdcaError) || 'reason' in error) return undefined;
  const said = `${error.details.serviceMessage ?? ''}`;
  const details: MdcaErrorDetails = { ...error.details, operation };
  const suffix = said ? `: ${said}` : '';
  if (error.code === 'THROTTLED' || error.status === 429) {
    // The pipeline keeps no body for 429s; a wait of minutes means the CPU quota (15-minute
    // cycles), a wait of seconds the calls-per-minute quota.
    const cpu = /cpu|resource|execution time|running time|15.minute/i.test(said) || (error.retryAfterMs ?? 0) > 120_000;
    return make(cpu ? 'cpuQuota' : 'callQuota', `Advanced hunting quota reached (${cpu ? 'CPU time' : 'calls per minute'})${suffix}.`, details);
  }
  if (/time.?out|timed out|exceeded the allowed (execution )?time|execution time limit/i.test(said) || error.status === 408 || error.status === 504 || (error.code === 'NETWORK_ERROR' && /ETIMEDOUT|ESOCKETTIMEDOUT|ECONNABORTED/.test(error.message))) {
    return make('timeout', `The advanced hunting query timed out${suffix}.`, details);
  }
  if (/result size|rows|row limit|too many results|limiting the (number|amount) of results/i.test(said)) {
    return make('tooManyRows', `The advanced hunting query returned too much data${suffix}.`, details);
  }
  if (error.code === 'REQUEST_REJECTED' && error.status === 400) {
    return make('badQuery', `${service} rejected the query${suffix || ' (400)'}.`, details);
  }
  return undefined;
}

export interface HuntingResult {
  Stats?: unknown;
  Schema: { Name: string; Type: string }[];
  Results: Record<string, unknown>[];
}

export const huntingOperations: XdrOperationImplementation[] = [
  {
    definition: {
      service: 'xdr',
      resource: 'advancedHunting',
      operation: 'run',
      id: 'advancedHunting.run',
      displayName: 'Run Query',
      action: 'Run an advanced hunting query',
      description:
        'Runs a KQL query over the last 30 days of hunting data and returns its schema and rows (at most 100,000 rows, 3 minutes). Deprecated: Microsoft is retiring /api/advancedhunting/run; use Microsoft Graph Security Hunting (Run Query) instead.',
      permissions: XDR_PERMISSIONS.hunting,
      access: 'read',
      http: { method: 'POST', path: HUNTING_PATH },
      paging: 'none',
      output: 'result',
      inputs: [
        {
          name: 'query',
          displayName: 'Query (KQL)',
          type: 'string',
          required: true,
          maxLength: HUNTING_MAX_QUERY_LENGTH,
          placeholder: 'CloudAppEvents | where Timestamp > ago(1d) | take 100',
          description: 'The KQL query, e.g. CloudAppEvents | where ActionType == "FileDownloaded" | take 100',
        },
      ],
    },
    // A query only reads: safe to send again after a lost connection.
    request: { body: (input) => ({ Query: input.query }), priority: 'interactive', long: true },
    failure: huntingFailure,
    answer(answer, _, exec) {
      exec.warn(HUNTING_RETIREMENT_WARNING);
      const data = answer as HuntingResult | undefined;
      const schema = Array.isArray(data?.Schema) ? data.Schema : [];
      const results = Array.isArray(data?.Results) ? data.Results : [];
      const truncated = results.length >= HUNTING_MAX_ROWS;
      if (truncated) exec.warn(`The hunting query returned ${results.length} rows, the service maximum; the result may be cut off.`);
      return { kind: 'result', result: { schema, results, stats: data?.Stats ?? null, rowCount: results.length, truncated } };
    },
  },
];
