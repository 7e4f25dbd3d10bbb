// The OData `$filter` subset the emulated Defender XDR, Graph security and Defender for Endpoint
// lists evaluate: field comparisons (eq ne gt ge lt le), and/or, parentheses; where a field allows
// it, startswith(field,'text') and, on a list of strings, `field/any(t: t eq 'x')` (or
// `field eq 'x'`: the list holds x). Each list names its fields; anything else is an error the
// listener answers with 400.
import { JsonObject } from './jwt';

export interface FilterField {
  /** The property as the service spells it (and as the records hold it). */
  name: string;
  kind: 'time' | 'text' | 'number' | 'list';
  /** startswith(field,'…') is allowed on this text field. */
  startsWith?: boolean;
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
  if (field.kind === 'number') {
    const n = Number(text);
    if (raw.startsWith("'") || text.trim() === '' || !Number.isFinite(n)) throw new Error(`The value for ${field.name} must be a number.`);
    return (i) => i[field.name] !== null && i[field.name] !== undefined && TIME_OPS[op](Number(i[field.name]), n);
  }
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
  if (field.kind === 'list') {
    const holds = (i: JsonObject): boolean => Array.isArray(i[field.name]) && (i[field.name] as unknown[]).some((v) => norm(v) === wanted);
    return op === 'eq' ? holds : (i) => !holds(i);
  }
  return op === 'eq' ? (i) => norm(i[field.name]) === wanted : (i) => norm(i[field.name]) !== wanted;
}

export function parseODataFilter(text: string, spec: FilterSpec): Predicate {
  const tokens = text.match(/'(?:[^']|'')*'|[(),]|[^\s(),]+/g) ?? [];
  let p = 0;
  const expect = (token: string): void => {
    if (tokens[p++] !== token) throw new Error(`Syntax error: '${token}' expected in $filter.`);
  };
  const term = (): Predicate => {
    const t = tokens[p++];
    if (t !== undefined && t.toLowerCase() === 'startswith' && tokens[p] === '(') return startsWith();
    const lambda = t === undefined ? null : /^([A-Za-z]+)\/any$/i.exec(t);
    if (lambda && tokens[p] === '(') return any(lambda[1]);
    if (t !== '(') return comparison(spec, t, tokens[p++], tokens[p++]);
    const inner = or();
    if (tokens[p++] !== ')') throw new Error("Syntax error: ')' expected in $filter.");
    return inner;
  };
  const startsWith = (): Predicate => {
    expect('(');
    const name = tokens[p++];
    expect(',');
    const raw = tokens[p++];
    expect(')');
    const field = name ? spec.fields[name.toLowerCase()] : undefined;
    if (!field || !field.startsWith) throw new Error(`startswith is not supported on '${String(name).slice(0, 40)}' of type '${spec.typeName}'.`);
    if (raw === undefined || !raw.startsWith("'")) throw new Error('startswith needs a quoted string.');
    const prefix = raw.slice(1, -1).replace(/''/g, "'").toLowerCase();
    return (i) => typeof i[field.name] === 'string' && (i[field.name] as string).toLowerCase().startsWith(prefix);
  };
  // field/any(x: x eq 'v'): the only lambda the lists take, on a list of strings.
  const any = (name: string): Predicate => {
    expect('(');
    const variable = /^([A-Za-z_]\w*):$/.exec(tokens[p++] ?? '');
    const field = spec.fields[name.toLowerCase()];
    if (!variable || !field || field.kind !== 'list') throw new Error(`Syntax error: any() is not supported on '${name.slice(0, 40)}' of type '${spec.typeName}'.`);
    if (tokens[p++] !== variable[1]) throw new Error(`Syntax error: the lambda must compare '${variable[1]}'.`);
    const predicate = comparison(spec, name, tokens[p++], tokens[p++]);
    expect(')');
    return predicate;
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
