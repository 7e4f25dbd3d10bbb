// Pieces shared by the resource operation files: the API prefix of their path templates, the raw
// filter input, sort inputs and the typed-filter helper.
import type { FilterObject } from '../filters';
import type { OperationInput } from './types';

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

/** Adds `{field: {op: value}}` to a filter object when the value is set. */
export function addFilter(filters: FilterObject, field: string, operator: string, value: unknown): void {
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) return;
  filters[field] = { ...(filters[field] ?? {}), [operator]: value };
}
