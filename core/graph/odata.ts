// OData `$filter` of the Graph security lists: typed clauses from typed inputs, and a raw filter
// checked against the fields each list documents (docs/graph-security-api.md, "List alerts",
// "Incidents") with the shared grammar of core/odata-filter.ts. Graph documents only `eq`; the
// date ranges a list needs use ge and le, which the emulator and the Graph service accept.
import { ODataFilterSpec, odataDate, odataString, validateODataFilter } from '../odata-filter';
import { ALERT_STATUSES, ALL_DETERMINATIONS, CLASSIFICATIONS, GRAPH_INCIDENT_STATUSES, SERVICE_SOURCES, SEVERITIES } from './enums';

const text = (values?: readonly string[]) => ({ kind: 'text' as const, ...(values ? { values, anyCase: true } : {}) });
const time = { kind: 'time' as const };

export const ALERT_FILTER_SPEC: ODataFilterSpec = {
  fields: {
    assignedTo: text(),
    classification: text(CLASSIFICATIONS),
    determination: text(ALL_DETERMINATIONS),
    createdDateTime: time,
    lastUpdateDateTime: time,
    severity: text(SEVERITIES),
    serviceSource: text(SERVICE_SOURCES),
    status: text(ALERT_STATUSES),
  },
  api: 'the Graph alerts_v2 list',
  example: "serviceSource eq 'microsoftDefenderForCloudApps' and lastUpdateDateTime ge 2026-01-31T00:00:00Z",
};

export const INCIDENT_FILTER_SPEC: ODataFilterSpec = {
  fields: {
    assignedTo: text(),
    classification: text(CLASSIFICATIONS),
    determination: text(ALL_DETERMINATIONS),
    createdDateTime: time,
    lastUpdateDateTime: time,
    severity: text(SEVERITIES),
    status: text(GRAPH_INCIDENT_STATUSES),
  },
  api: 'the Graph incidents list',
  example: "status eq 'active' and lastUpdateDateTime ge 2026-01-31T00:00:00Z",
};

/** The typed filter inputs both lists share; text ones are ANDed as `eq`, ranges as ge/le. */
export interface TypedGraphFilter {
  [field: string]: unknown;
  createdAfter?: number;
  createdBefore?: number;
  updatedAfter?: number;
  updatedBefore?: number;
}

/** Typed inputs → clauses: each of `eqFields` present becomes `field eq 'value'`. */
export function typedGraphClauses(input: TypedGraphFilter, eqFields: readonly string[]): string[] {
  const clauses: string[] = [];
  for (const field of eqFields) {
    const value = input[field];
    if (typeof value === 'string' && value !== '') clauses.push(`${field} eq ${odataString(value)}`);
  }
  const range = (field: string, op: 'ge' | 'le', ms: number | undefined): void => void (ms !== undefined && clauses.push(`${field} ${op} ${odataDate(ms)}`));
  range('createdDateTime', 'ge', input.createdAfter);
  range('createdDateTime', 'le', input.createdBefore);
  range('lastUpdateDateTime', 'ge', input.updatedAfter);
  range('lastUpdateDateTime', 'le', input.updatedBefore);
  return clauses;
}

export function validateAlertFilter(raw: string, field = 'filter'): string {
  return validateODataFilter(raw, ALERT_FILTER_SPEC, field);
}

export function validateGraphIncidentFilter(raw: string, field = 'filter'): string {
  return validateODataFilter(raw, INCIDENT_FILTER_SPEC, field);
}
