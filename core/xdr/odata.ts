// OData `$filter` for the incidents list: built from typed inputs, or a raw
// expression checked against what the service filters on (lastUpdateTime, createdTime, status,
// assignedTo) before anything is sent.
import { MdcaValidationError } from '../errors';

export const INCIDENT_FILTER_FIELDS = ['lastUpdateTime', 'createdTime', 'status', 'assignedTo'] as const;
export type IncidentFilterField = (typeof INCIDENT_FILTER_FIELDS)[number];
export const ODATA_OPERATORS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'] as const;
export const INCIDENT_STATUSES = ['Active', 'Resolved', 'InProgress', 'Redirected'] as const;

const TIME_FIELDS = new Set<string>(['lastUpdateTime', 'createdTime']);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/;

/** `2026-01-31T12:00:00Z` for an epoch-ms value (seconds precision is what the service shows). */
export function odataDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

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

/** ANDs clauses, wrapping a raw expression in parentheses so its `or` keeps its meaning. */
export function combineFilters(typed: string[], raw: string | undefined): string | undefined {
  const parts = [...typed, ...(raw ? [`(${raw})`] : [])];
  return parts.length === 0 ? undefined : parts.join(' and ');
}

type Token = { kind: 'word' | 'string' | 'open' | 'close'; text: string; at: number };

function tokenize(text: string, field: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      tokens.push({ kind: c === '(' ? 'open' : 'close', text: c, at: i });
      i++;
      continue;
    }
    if (c === "'") {
      let j = i + 1;
      let value = '';
      for (;;) {
        if (j >= text.length) throw invalid(field, `an unterminated string starting at position ${i + 1}`);
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += text[j++];
      }
      tokens.push({ kind: 'string', text: value, at: i });
      i = j + 1;
      continue;
    }
    const m = /^[A-Za-z0-9_.:+-]+/.exec(text.slice(i));
    if (!m) throw invalid(field, `an unexpected character "${c}" at position ${i + 1}`);
    tokens.push({ kind: 'word', text: m[0], at: i });
    i += m[0].length;
  }
  return tokens;
}

function invalid(field: string, why: string): MdcaValidationError {
  return new MdcaValidationError(
    field,
    `The OData filter has ${why}.`,
    `Use ${INCIDENT_FILTER_FIELDS.join(', ')} with ${ODATA_OPERATORS.join(', ')}, joined by and/or, e.g. lastUpdateTime ge 2026-01-31T00:00:00Z and status eq 'Active'.`,
  );
}

/**
 * Validates a raw `$filter` and returns it normalized (canonical field names, ISO dates without
 * quotes, strings re-quoted). Anything the service cannot filter on fails here, naming the field.
 */
export function validateIncidentFilter(raw: string, field = 'filter'): string {
  const text = raw.trim();
  if (text.length > 2_000) throw invalid(field, 'more than 2,000 characters');
  const tokens = tokenize(text, field);
  let pos = 0;
  let depth = 0;
  const out: string[] = [];
  const peek = (): Token | undefined => tokens[pos];
  const comparison = (): void => {
    const t = tokens[pos++];
    if (!t) throw invalid(field, 'a missing comparison at the end');
    if (t.kind === 'open') {
      depth++;
      if (depth > 10) throw invalid(field, 'too many nested parentheses');
      out.push('(');
      expression();
      const close = tokens[pos++];
      if (!close || close.kind !== 'close') throw invalid(field, 'a missing ")"');
      out.push(')');
      depth--;
      return;
    }
    const name = INCIDENT_FILTER_FIELDS.find((f) => t.kind === 'word' && f.toLowerCase() === t.text.toLowerCase());
    if (!name) throw invalid(field, `the field "${t.text.slice(0, 40)}", which the incidents API cannot filter on`);
    const op = tokens[pos++];
    const operator = op && op.kind === 'word' ? ODATA_OPERATORS.find((o) => o === op.text.toLowerCase()) : undefined;
    if (!operator) throw invalid(field, `an unsupported operator "${op?.text.slice(0, 20) ?? ''}" after ${name}`);
    const value = tokens[pos++];
    if (!value || (value.kind !== 'word' && value.kind !== 'string')) throw invalid(field, `no value after "${name} ${operator}"`);
    if (TIME_FIELDS.has(name)) {
      if (!ISO.test(value.text) || !Number.isFinite(Date.parse(value.text))) throw invalid(field, `"${value.text.slice(0, 40)}" for ${name}, which is not an ISO 8601 date-time such as 2026-01-31T00:00:00Z`);
      out.push(`${name} ${operator} ${value.text}`);
      return;
    }
    if (operator !== 'eq' && operator !== 'ne') throw invalid(field, `the operator ${operator} on ${name} (only eq and ne compare text)`);
    if (value.kind !== 'string') throw invalid(field, `an unquoted value for ${name} (write ${name} eq 'value')`);
    if (name === 'status' && !INCIDENT_STATUSES.includes(value.text as (typeof INCIDENT_STATUSES)[number])) {
      throw invalid(field, `the status '${value.text.slice(0, 40)}' (allowed: ${INCIDENT_STATUSES.join(', ')})`);
    }
    out.push(`${name} ${operator} ${odataString(value.text)}`);
  };
  const expression = (): void => {
    comparison();
    for (;;) {
      const t = peek();
      if (!t || t.kind === 'close') return;
      const joiner = t.kind === 'word' ? t.text.toLowerCase() : '';
      if (joiner !== 'and' && joiner !== 'or') throw invalid(field, `"${t.text.slice(0, 40)}" where and/or was expected`);
      pos++;
      out.push(joiner);
      comparison();
    }
  };
  if (tokens.length === 0) throw invalid(field, 'no comparison');
  expression();
  if (pos !== tokens.length) throw invalid(field, 'an unmatched ")"');
  return out.join(' ').replace(/\( /g, '(').replace(/ \)/g, ')');
}
