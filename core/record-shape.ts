// Key names and value types of JSON records, without their values: what two sources of the same
// kind of record (a recording from a real tenant, the emulator) can be compared on without
// copying tenant data. Imports nothing, so a command-line script can load it from source.

/**
 * A value's shape. Primitive-only shapes are a `|`-joined type list ("number|null"); objects and
 * arrays add their keys, merged element shape, or element shapes per `type` value (an array of
 * objects that all carry a string `type`, such as alert entities or file actions).
 */
export type Shape = string | ComplexShape;
export interface ComplexShape {
  type: string;
  keys?: Record<string, Shape>;
  items?: Shape;
  variants?: Record<string, Shape>;
}

export interface ShapeDifference {
  /** `a.b[]`, `entities[type=ip].label` */
  path: string;
  kind: 'missing' | 'extra' | 'type';
  /** the first shape's types (for `type` and a `missing` key) */
  expected?: string;
  /** the second shape's types (for `type` and an `extra` key) */
  actual?: string;
}

export interface ShapeOptions {
  /**
   * Show only keys that look like field names: a key that is data (an e-mail address, a host name
   * or a GUID keying a map) becomes OTHER_KEYS, so a shape of live tenant records holds no value.
   */
  foldDataKeys?: boolean;
}

export interface CompareOptions {
  /**
   * A key is a `type` difference only when `expected` shows a type `actual` never does: for a few
   * records (a connection check's sample) set against the full set of types another source gives.
   */
  typesWithin?: boolean;
}

/** Where keys that are data, not field names, are counted under `foldDataKeys`. */
export const OTHER_KEYS = '(other keys)';
// A field name, or an OData annotation (`@odata.type`, `id@odata.navigationLink`).
const FIELD_NAME = /^(?:[A-Za-z_$][A-Za-z0-9_$]{0,63}|(?:[A-Za-z_$][A-Za-z0-9_$]{0,63})?@odata\.[A-Za-z]{1,40})$/;
const keyName = (key: string, options: ShapeOptions): string => (!options.foldDataKeys || FIELD_NAME.test(key) ? key : OTHER_KEYS);

const ORDER = ['string', 'number', 'boolean', 'null', 'object', 'array'];
const typesOf = (s: Shape): string[] => (typeof s === 'string' ? s : s.type).split('|');
const joinTypes = (types: Iterable<string>): string => [...new Set(types)].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b)).join('|');
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function shapeOf(value: unknown, options: ShapeOptions = {}): Shape {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) {
    if (value.length === 0) return { type: 'array' };
    const shapes = value.map((v) => shapeOf(v, options));
    if (value.every((v) => isPlainObject(v) && typeof v.type === 'string')) {
      const variants: Record<string, Shape> = {};
      value.forEach((v, i) => {
        const name = keyName(String((v as Record<string, unknown>).type), options);
        variants[name] = variants[name] === undefined ? shapes[i] : mergeShapes(variants[name], shapes[i]);
      });
      return { type: 'array', variants: sortKeys(variants) };
    }
    return { type: 'array', items: shapes.reduce(mergeShapes) };
  }
  if (isPlainObject(value)) {
    const keys: Record<string, Shape> = {};
    for (const k of Object.keys(value).sort()) {
      const name = keyName(k, options);
      const shape = shapeOf(value[k], options);
      keys[name] = keys[name] === undefined ? shape : mergeShapes(keys[name], shape);
    }
    // Folded keys may land out of order; unfolded ones keep the order Object.keys().sort() gave.
    return { type: 'object', keys: options.foldDataKeys ? sortKeys(keys) : keys };
  }
  return typeof value;
}

/** The shape of a set of records: every key any of them has, every type any of them shows. */
export const shapeOfAll = (values: readonly unknown[], options: ShapeOptions = {}): Shape => values.map((v) => shapeOf(v, options)).reduce(mergeShapes);

const sortKeys = <T>(o: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

function mergeMaps(a: Record<string, Shape> | undefined, b: Record<string, Shape> | undefined): Record<string, Shape> | undefined {
  if (!a) return b;
  if (!b) return a;
  const out: Record<string, Shape> = { ...a };
  for (const [k, s] of Object.entries(b)) out[k] = out[k] === undefined ? s : mergeShapes(out[k], s);
  return sortKeys(out);
}

/** Element shape of an array shape, whether kept per variant or merged. */
function elementShape(s: ComplexShape): Shape | undefined {
  if (s.items !== undefined) return s.items;
  const variants = Object.values(s.variants ?? {});
  return variants.length ? variants.reduce(mergeShapes) : undefined;
}

export function mergeShapes(a: Shape, b: Shape): Shape {
  const type = joinTypes([...typesOf(a), ...typesOf(b)]);
  const ca = typeof a === 'string' ? undefined : a;
  const cb = typeof b === 'string' ? undefined : b;
  if (!ca && !cb) return type;
  const out: ComplexShape = { type };
  const keys = mergeMaps(ca?.keys, cb?.keys);
  if (keys) out.keys = keys;
  const bothVariantsOrEmpty = (ca?.items === undefined) && (cb?.items === undefined);
  if (bothVariantsOrEmpty) {
    const variants = mergeMaps(ca?.variants, cb?.variants);
    if (variants) out.variants = variants;
  } else {
    const items = [ca && elementShape(ca), cb && elementShape(cb)].filter((s): s is Shape => s !== undefined);
    if (items.length) out.items = items.reduce(mergeShapes);
  }
  return out;
}

/** Types other than null: null says nothing about a field's type (an unset value, tenant state). */
const valueTypes = (s: Shape): string[] => typesOf(s).filter((t) => t !== 'null');

/**
 * Differences of `actual` against `expected`: keys the expected shape has and the actual one never
 * shows (`missing`), keys only the actual one has (`extra`), and differing value types (`type`;
 * null is compatible with every type, but a key that is always null where the expected shape has
 * a value is a `type` difference). An empty array in `actual` where `expected` has elements
 * is `missing` elements; an empty expected array says nothing about elements.
 */
export function compareShapes(expected: Shape, actual: Shape, options: CompareOptions = {}): ShapeDifference[] {
  return compareAt(expected, actual, '', options);
}

function compareAt(expected: Shape, actual: Shape, path: string, options: CompareOptions): ShapeDifference[] {
  const out: ShapeDifference[] = [];
  const e = valueTypes(expected);
  const a = valueTypes(actual);
  const differs = options.typesWithin ? e.some((t) => !a.includes(t)) : joinTypes(e) !== joinTypes(a);
  if (e.length && a.length && differs) out.push({ path: path || '.', kind: 'type', expected: joinTypes(e), actual: joinTypes(a) });
  // Always null where a recording shows a value: the key exists but never says what it holds.
  if (e.length && !a.length && typesOf(actual).includes('null')) out.push({ path: path || '.', kind: 'type', expected: joinTypes(e), actual: 'null' });
  const ce = typeof expected === 'string' ? undefined : expected;
  const ca = typeof actual === 'string' ? undefined : actual;
  if (!ce || !ca) return out;
  if (ce.keys && ca.keys) {
    for (const k of Object.keys(ce.keys)) {
      const p = path ? `${path}.${k}` : k;
      if (ca.keys[k] === undefined) out.push({ path: p, kind: 'missing', expected: joinTypes(typesOf(ce.keys[k])) });
      else out.push(...compareAt(ce.keys[k], ca.keys[k], p, options));
    }
    for (const k of Object.keys(ca.keys)) if (ce.keys[k] === undefined) out.push({ path: path ? `${path}.${k}` : k, kind: 'extra', actual: joinTypes(typesOf(ca.keys[k])) });
  }
  if (e.includes('array') && a.includes('array')) {
    if (ce.variants && ca.variants) {
      for (const [name, s] of Object.entries(ce.variants)) {
        const p = `${path}[type=${name}]`;
        if (ca.variants[name] === undefined) out.push({ path: p, kind: 'missing' });
        else out.push(...compareAt(s, ca.variants[name], p, options));
      }
      for (const name of Object.keys(ca.variants)) if (ce.variants[name] === undefined) out.push({ path: `${path}[type=${name}]`, kind: 'extra' });
    } else {
      const ee = elementShape(ce);
      const ea = elementShape(ca);
      if (ee !== undefined && ea === undefined) out.push({ path: `${path}[]`, kind: 'missing' });
      if (ee !== undefined && ea !== undefined) out.push(...compareAt(ee, ea, `${path}[]`, options));
    }
  }
  return out;
}

/** Removes the subtree at a dotted path (`rawDataJson`, `entities[type=ip].entityRole`) from a shape. */
export function omitPath(shape: Shape, path: string): Shape {
  if (typeof shape === 'string') return shape;
  const m = /^([^.[]+)(?:\[type=([^\]]+)\])?(?:\.(.*))?$/.exec(path);
  if (!m || !shape.keys || shape.keys[m[1]] === undefined) return shape;
  const [, key, variant, rest] = m;
  const keys = { ...shape.keys };
  if (!variant && !rest) delete keys[key];
  else if (!variant) keys[key] = omitPath(keys[key], rest);
  else {
    const child = keys[key];
    if (typeof child !== 'string' && child.variants?.[variant] !== undefined) {
      const variants = { ...child.variants };
      if (rest) variants[variant] = omitPath(variants[variant], rest);
      else delete variants[variant];
      keys[key] = { ...child, variants };
    }
  }
  return { ...shape, keys };
}
