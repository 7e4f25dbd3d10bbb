// The OData `$filter` subset the emulated Defender XDR and Graph security lists evaluate: field
// comparisons (eq ne gt ge lt le), and/or, parentheses. Each list names its fields; anything else
// is an error the listener answers with 400.
import { JsonObject } from './jwt';

export interface FilterField {
  /** The property as the service spells it (and as the records hold it). */
  name: string;
  kind: 'time' | 'text';
  /** Text compared without regard to case (Graph enums). */
  anyCase?: boolean;
  /** Maps a value to the form compared (synonyms such as Graph's two determination spellings). */
  canonical?: (value: string) => string;
}

export interface FilterSpec {
  /** The entity type named in "no property" errors, e.g. "Incident". */
  typeName: string;
  /** Keyed by the lower-case field name. */
  fields: Record<string, FilterField>;
}

type Predicate = (i: JsonObject) => boolean;

const TIME_OPS: Record<string, (a: number, b: number) => boolean> = {
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  gt: (a, b) => a > b,
  ge: (a, b) => a >= b,
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
};

function comparison(spec: FilterSpec, t: string | undefined, opToken: string | undefined, raw: string | undefined): Predicate {
  const field = t ? spec.fields[t.toLowerCase()] : undefined;
  if (!t || !field) throw new Error(`Could not find a property named '${String(t).slice(0, 40)}' on type '${spec.typeName}' that can be filtered on.`);
  const op = (opToken ?? '').toLowerCase();
  if (!TIME_OPS[op]) throw new Error(`Syntax error: unsupported operator '${op.slice(0, 20)}' in $filter.`);
  if (raw === undefined) throw new Error('Syntax error: value expected in $filter.');
  const text = raw.startsWith("'") ? raw.slice(1, -1).replace(/''/g, "'") : raw;
  if (field.kind === 'time') {
    const ms = Date.parse(text);
    if (!Number.isFinite(ms)) throw new Error(`The value '${text.slice(0, 40)}' is not a valid DateTimeOffset.`);
    return (i) => TIME_OPS[op](Date.parse(String(i[field.name])), ms);
  }
  if (!raw.startsWith("'")) throw new Error(`The value for ${field.name} must be a quoted string.`);
  if (op !== 'eq' && op !== 'ne') throw new Error(`The operator ${op} is not supported for ${field.name}.`);
  const norm = (v: unknown): string => {
    const value = field.canonical ? field.canonical(String(v ?? '')) : String(v ?? '');
    return field.anyCase ? value.toLowerCase() : value;
  };
  const wanted = norm(text);
  return op === 'eq' ? (i) => norm(i[field.name]) === wanted : (i) => norm(i[field.name]) !== wanted;
}

export function parseODataFilter(text: string, spec: FilterSpec): Predicate {
  const tokens = text.match(/'(?:[^']|'')*'|\(|\)|[^\s()]+/g) ?? [];
  let p = 0;
  const term = (): Predicate => {
    const t = tokens[p++];
    if (t !== '(') return comparison(spec, t, tokens[p++], tokens[p++]);
    const inner = or();
    if (tokens[p++] !== ')') throw new Error("Syntax error: ')' expected in $filter.");
    return inner;
  };
  const joined = (word: string, next: () => Predicate, both: (l: boolean, r: () => boolean) => boolean): Predicate => {
    let left = next();
    while ((tokens[p] ?? '').toLowerCase() === word) {
      p++;
      const l = left;
      const r = next();
      left = (i) => both(l(i), () => r(i));
    }
    return left;
  };
  const and = (): Predicate => joined('and', term, (l, r) => l && r());
  function or(): Predicate {
    return joined('or', and, (l, r) => l || r());
  }
  const result = or();
  if (p !== tokens.length) throw new Error(`Syntax error at '${String(tokens[p]).slice(0, 40)}' in $filter.`);
  return result;
}
