// OData `$filter` text for the services that list with it (Defender XDR incidents, Microsoft Graph
// security alerts and incidents): clauses built from typed inputs, and a raw expression checked
// against the fields the service filters on before anything is sent. Each service gives its
// fields (date-times or text, text optionally from a fixed set of values); the grammar is shared.
import { MdcaValidationError } from './errors';
import type { OperationInput } from './operations/types';

export const ODATA_OPERATORS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'] as const;

/** How one filterable field compares: a date-time (unquoted ISO 8601), or quoted text. */
export type ODataField =
  | { kind: 'time' }
  /** `values`: the only accepted values; `anyCase`: matched ignoring case and sent in their own spelling. */
  | { kind: 'text'; values?: readonly string[]; anyCase?: boolean };

export interface ODataFilterSpec {
  /** Field names as the service spells them. */
  fields: Readonly<Record<string, ODataField>>;
  /** "the incidents API", in "which <api> cannot filter on". */
  api: string;
  /** A valid example for hints. */
  example: string;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/;

/** `2026-01-31T12:00:00Z` for an epoch-ms value (seconds precision is what the services show). */
export function odataDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** ANDs clauses, wrapping a raw expression in parentheses so its `or` keeps its meaning. */
export function combineFilters(typed: string[], raw: string | undefined): string | undefined {
  const parts = [...typed, ...(raw ? [`(${raw})`] : [])];
  return parts.length === 0 ? undefined : parts.join(' and ');
}

type Token = { kind: 'word' | 'string' | 'open' | 'close'; text: string; at: number };

function quoted(text: string, start: number, fail: (why: string) => MdcaValidationError): { value: string; end: number } {
  let j = start + 1;
  let value = '';
  for (;;) {
    if (j >= text.length) throw fail(`an unterminated string starting at position ${start + 1}`);
    if (text[j] === "'") {
      if (text[j + 1] !== "'") return { value, end: j + 1 };
      value += "'";
      j += 2;
      continue;
    }
    value += text[j++];
  }
}

function tokenize(text: string, fail: (why: string) => MdcaValidationError): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c === '(' ? 'open' : 'close', text: c, at: i++ });
    } else if (c === "'") {
      const { value, end } = quoted(text, i, fail);
      tokens.push({ kind: 'string', text: value, at: i });
      i = end;
    } else {
      const m = /^[A-Za-z0-9_.:+-]+/.exec(text.slice(i));
      if (!m) throw fail(`an unexpected character "${c}" at position ${i + 1}`);
      tokens.push({ kind: 'word', text: m[0], at: i });
      i += m[0].length;
    }
  }
  return tokens;
}

function failure(spec: ODataFilterSpec, field: string): (why: string) => MdcaValidationError {
  return (why) =>
    new MdcaValidationError(field, `The OData filter has ${why}.`, `Use ${Object.keys(spec.fields).join(', ')} with ${ODATA_OPERATORS.join(', ')}, joined by and/or, e.g. ${spec.example}.`);
}

/** One `field op value` comparison, normalized (canonical field name, ISO date unquoted, text re-quoted). */
function comparison(spec: ODataFilterSpec, fail: (why: string) => MdcaValidationError, t: Token, op: Token | undefined, value: Token | undefined): string {
  const name = Object.keys(spec.fields).find((f) => t.kind === 'word' && f.toLowerCase() === t.text.toLowerCase());
  if (!name) throw fail(`the field "${t.text.slice(0, 40)}", which ${spec.api} cannot filter on`);
  const operator = op && op.kind === 'word' ? ODATA_OPERATORS.find((o) => o === op.text.toLowerCase()) : undefined;
  if (!operator) throw fail(`an unsupported operator "${op?.text.slice(0, 20) ?? ''}" after ${name}`);
  if (!value || (value.kind !== 'word' && value.kind !== 'string')) throw fail(`no value after "${name} ${operator}"`);
  const kind = spec.fields[name];
  if (kind.kind === 'time') {
    if (!ISO.test(value.text) || !Number.isFinite(Date.parse(value.text))) throw fail(`"${value.text.slice(0, 40)}" for ${name}, which is not an ISO 8601 date-time such as 2026-01-31T00:00:00Z`);
    return `${name} ${operator} ${value.text}`;
  }
  if (operator !== 'eq' && operator !== 'ne') throw fail(`the operator ${operator} on ${name} (only eq and ne compare text)`);
  if (value.kind !== 'string') throw fail(`an unquoted value for ${name} (write ${name} eq 'value')`);
  let text = value.text;
  if (kind.values) {
    const known = kind.values.find((v) => (kind.anyCase ? v.toLowerCase() === text.toLowerCase() : v === text));
    if (known === undefined) throw fail(`the ${name} '${text.slice(0, 40)}' (allowed: ${kind.values.join(', ')})`);
    text = known;
  }
  return `${name} ${operator} ${odataString(text)}`;
}

/**
 * Validates a raw `$filter` and returns it normalized. Anything the service cannot filter on fails
 * here, naming the input field.
 */
export function validateODataFilter(raw: string, spec: ODataFilterSpec, field = 'filter'): string {
  const fail = failure(spec, field);
  const text = raw.trim();
  if (text.length > 2_000) throw fail('more than 2,000 characters');
  const tokens = tokenize(text, fail);
  let pos = 0;
  let depth = 0;
  const out: string[] = [];
  const term = (): void => {
    const t = tokens[pos++];
    if (!t) throw fail('a missing comparison at the end');
    if (t.kind !== 'open') {
      out.push(comparison(spec, fail, t, tokens[pos++], tokens[pos++]));
      return;
    }
    if (++depth > 10) throw fail('too many nested parentheses');
    out.push('(');
    expression();
    const close = tokens[pos++];
    if (!close || close.kind !== 'close') throw fail('a missing ")"');
    out.push(')');
    depth--;
  };
  const expression = (): void => {
    term();
    for (let t = tokens[pos]; t && t.kind !== 'close'; t = tokens[pos]) {
      const joiner = t.kind === 'word' ? t.text.toLowerCase() : '';
      if (joiner !== 'and' && joiner !== 'or') throw fail(`"${t.text.slice(0, 40)}" where and/or was expected`);
      pos++;
      out.push(joiner);
      term();
    }
  };
  if (tokens.length === 0) throw fail('no comparison');
  expression();
  if (pos !== tokens.length) throw fail('an unmatched ")"');
  return out.join(' ').replace(/\( /g, '(').replace(/ \)/g, ')');
}

/** The "Raw Filter (OData)" input of a list: checked against `fields` before anything is sent. */
export const rawFilterInput = (placeholder: string, fields: readonly string[]): OperationInput => ({
  name: 'filter',
  displayName: 'Raw Filter (OData)',
  type: 'string',
  group: 'filters',
  maxLength: 2_000,
  placeholder,
  description: `OData $filter on ${fields.join(', ')} (eq, ne, gt, ge, lt, le; and/or), ANDed with the fields above.`,
});
