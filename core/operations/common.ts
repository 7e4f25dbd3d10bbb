// Pieces shared by the resource operation files: the raw filter input, sort inputs, and the
// list executor that merges typed and raw filters into one paged request.
import { FilterObject, mergeFilters, validateFilters } from '../filters';
import { listPages } from '../paging';
import { encodePathSegment } from '../pipeline';
import type { OperationExecution, OperationInput, OperationInputValues, OperationOutcome } from './types';

export const API = '/api/v1';

export function filtersJsonInput(example: string): OperationInput {
  return {
    name: 'filtersJson',
    displayName: 'Raw Filters (JSON)',
    type: 'json',
    format: 'filterJson',
    group: 'filters',
    description: `MDCA filter object for anything the fields above do not cover, ANDed with them. Example: ${example}`,
    placeholder: example,
  };
}

export function sortDirectionInput(): OperationInput {
  return {
    name: 'sortDirection',
    displayName: 'Sort Direction',
    type: 'options',
    group: 'options',
    description: 'Order of the results.',
    options: [
      { name: 'Newest / Highest First', value: 'desc' },
      { name: 'Oldest / Lowest First', value: 'asc' },
    ],
  };
}

export function sortFieldInput(values: readonly string[]): OperationInput {
  return {
    name: 'sortField',
    displayName: 'Sort By',
    type: 'options',
    group: 'options',
    description: 'Field the results are sorted by.',
    options: values.map((v) => ({ name: v, value: v })),
  };
}

export function idInput(name: string, displayName: string, format: OperationInput['format'], description: string): OperationInput {
  return { name, displayName, type: 'string', required: true, format, description };
}

/** Runs a list operation: typed filters from `buildTyped`, raw JSON filters, sort, paging. */
export function runList(
  exec: OperationExecution,
  input: OperationInputValues,
  options: {
    resource: string;
    operation: string;
    path: string;
    typed: FilterObject;
    scan?: { limit: number };
    extraBody?: Record<string, unknown>;
  },
): OperationOutcome {
  const raw = validateFilters(options.resource, input.filtersJson ?? {});
  const filters = mergeFilters(options.typed, raw);
  return {
    kind: 'pages',
    pages: listPages(
      exec.pipeline,
      {
        operation: options.operation,
        path: options.path,
        filters,
        sortField: input.sortField as string | undefined,
        sortDirection: input.sortDirection as 'asc' | 'desc' | undefined,
        maxItems: exec.maxItems,
        scan: options.scan,
        extraBody: options.extraBody,
        warn: exec.warn,
      },
      exec.ctx,
    ),
  };
}

/** Adds `{field: {op: value}}` to a filter object when the value is set. */
export function addFilter(filters: FilterObject, field: string, operator: string, value: unknown): void {
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) return;
  filters[field] = { ...(filters[field] ?? {}), [operator]: value };
}

export function segment(value: unknown, field: string): string {
  return encodePathSegment(String(value), field);
}
