// OData `$filter` for the incidents list: built from typed inputs, or a raw
// expression checked against what the service filters on (lastUpdateTime, createdTime, status,
// assignedTo) before anything is sent. The grammar is core/odata-filter.ts.
import { ODataFilterSpec, odataDate, odataString, validateODataFilter } from '../odata-filter';

export { ODATA_OPERATORS, odataDate, odataString, combineFilters } from '../odata-filter';

export const INCIDENT_FILTER_FIELDS = ['lastUpdateTime', 'createdTime', 'status', 'assignedTo'] as const;
export type IncidentFilterField = (typeof INCIDENT_FILTER_FIELDS)[number];
export const INCIDENT_STATUSES = ['Active', 'Resolved', 'InProgress', 'Redirected'] as const;

const INCIDENT_FILTER_SPEC: ODataFilterSpec = {
  fields: { lastUpdateTime: { kind: 'time' }, createdTime: { kind: 'time' }, status: { kind: 'text', values: INCIDENT_STATUSES }, assignedTo: { kind: 'text' } },
  api: 'the incidents API',
  example: "lastUpdateTime ge 2026-01-31T00:00:00Z and status eq 'Active'",
};

export interface TypedIncidentFilter {
  lastUpdatedAfter?: number;
  lastUpdatedBefore?: number;
  createdAfter?: number;
  createdBefore?: number;
  status?: string;
  assignedTo?: string;
}

/** Typed inputs → clauses ANDed together (an empty list means no filter). */
export function typedIncidentClauses(input: TypedIncidentFilter): string[] {
  const clauses: string[] = [];
  if (input.lastUpdatedAfter !== undefined) clauses.push(`lastUpdateTime ge ${odataDate(input.lastUpdatedAfter)}`);
  if (input.lastUpdatedBefore !== undefined) clauses.push(`lastUpdateTime le ${odataDate(input.lastUpdatedBefore)}`);
  if (input.createdAfter !== undefined) clauses.push(`createdTime ge ${odataDate(input.createdAfter)}`);
  if (input.createdBefore !== undefined) clauses.push(`createdTime le ${odataDate(input.createdBefore)}`);
  if (input.status) clauses.push(`status eq ${odataString(input.status)}`);
  if (input.assignedTo) clauses.push(`assignedTo eq ${odataString(input.assignedTo)}`);
  return clauses;
}

/**
 * Validates a raw `$filter` and returns it normalized (canonical field names, ISO dates without
 * quotes, strings re-quoted). Anything the service cannot filter on fails here, naming the field.
 */
export function validateIncidentFilter(raw: string, field = 'filter'): string {
  return validateODataFilter(raw, INCIDENT_FILTER_SPEC, field);
}
