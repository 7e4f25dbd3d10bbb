// Key/type shapes of records and their comparison (core/record-shape.ts), as the emulator's record
// test and scripts/compare-records.js use them.
import { execFileSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { compareShapes, mergeShapes, omitPath, shapeOf, shapeOfAll } from '../../core/record-shape';

const kinds = (diffs: ReturnType<typeof compareShapes>): string[] => diffs.map((d) => `${d.kind} ${d.path}${d.kind === 'type' ? ` ${d.expected}→${d.actual}` : ''}`);

describe('shapeOf', () => {
  test('keeps key names and types, no values', () => {
    const shape = shapeOf({ id: 'secret-tenant-value', n: 3, ok: true, none: null, list: [1, 'x'], nested: { a: 'b' } });
    expect(shape).toEqual({
      type: 'object',
      keys: { id: 'string', list: { type: 'array', items: 'string|number' }, n: 'number', nested: { type: 'object', keys: { a: 'string' } }, none: 'null', ok: 'boolean' },
    });
    expect(JSON.stringify(shape)).not.toContain('secret-tenant-value');
  });

  test('arrays of objects with a string `type` keep one shape per type; an empty array has no elements', () => {
    expect(shapeOf({ entities: [{ type: 'ip', id: 'a' }, { type: 'account', id: 'b', inst: 0 }, { type: 'ip', id: 'c', label: 'c' }], none: [] })).toEqual({
      type: 'object',
      keys: {
        entities: { type: 'array', variants: { account: { type: 'object', keys: { id: 'string', inst: 'number', type: 'string' } }, ip: { type: 'object', keys: { id: 'string', label: 'string', type: 'string' } } } },
        none: { type: 'array' },
      },
    });
  });

  test('a set of records merges keys and types', () => {
    expect(shapeOfAll([{ a: 1 }, { a: null, b: 'x' }])).toEqual({ type: 'object', keys: { a: 'number|null', b: 'string' } });
    expect(mergeShapes('string', { type: 'object', keys: { a: 'number' } })).toEqual({ type: 'string|object', keys: { a: 'number' } });
  });
});

describe('foldDataKeys', () => {
  test('keys and entity types that are data (an address, a GUID, a host) fold into "(other keys)"; field names and OData annotations stay', () => {
    const record = { id: 1, '@odata.type': '#x', 'id@odata.navigationLink': 'u', 'bob@contoso.com': { n: 1 }, '0b6c2d1e-0000-4000-8000-000000000001': { n: 'x' }, items: [{ type: 'a.b.com', k: 1 }] };
    const shape = shapeOf(record, { foldDataKeys: true });
    expect(shape).toEqual({
      type: 'object',
      keys: {
        '(other keys)': { type: 'object', keys: { n: 'string|number' } },
        '@odata.type': 'string',
        id: 'number',
        'id@odata.navigationLink': 'string',
        items: { type: 'array', variants: { '(other keys)': { type: 'object', keys: { k: 'number', type: 'string' } } } },
      },
    });
    expect(JSON.stringify(shape)).not.toMatch(/bob|0b6c|a\.b\.com/);
    // Without the option, every key stays.
    expect(Object.keys((shapeOf(record) as { keys: object }).keys)).toContain('bob@contoso.com');
  });
});

describe('compareShapes', () => {
  test('missing keys, extra keys, type differences, recursively and per entity type', () => {
    const recorded = shapeOf({ a: 1, b: { c: 'x', d: [{ e: 1 }] }, entities: [{ type: 'ip', id: 'x' }, { type: 'device', id: 'y' }] });
    const emulated = shapeOf({ a: '1', b: { c: 'x', d: [{ e: 1, f: 2 }] }, entities: [{ type: 'ip', id: 1 }], g: true });
    expect(kinds(compareShapes(recorded, emulated))).toEqual(['type a number→string', 'extra b.d[].f', 'missing entities[type=device]', 'type entities[type=ip].id string→number', 'extra g']);
  });

  test('null is compatible with any type, but a key that is always null where the recording has a value is a difference', () => {
    expect(compareShapes(shapeOf({ a: null, b: 'x' }), shapeOfAll([{ a: 5, b: null }, { a: 1, b: 'y' }]))).toEqual([]);
    expect(kinds(compareShapes(shapeOf({ loc: { x: 1 } }), shapeOfAll([{ loc: null }])))).toEqual(['type loc object→null']);
  });

  test('an always-empty array where the recording has elements is missing elements; an empty recording says nothing', () => {
    expect(kinds(compareShapes(shapeOf({ tags: [{ id: 'x' }] }), shapeOf({ tags: [] })))).toEqual(['missing tags[]']);
    expect(compareShapes(shapeOf({ tags: [] }), shapeOf({ tags: [{ id: 'x' }] }))).toEqual([]);
  });

  test('typesWithin: a sample showing fewer types than the other side is no difference; a type it never gives is', () => {
    const emulator = shapeOfAll([{ a: 1, b: 'x' }, { a: 'one', b: 'y' }]);
    expect(compareShapes(shapeOf({ a: 2, b: 'z' }), emulator, { typesWithin: true })).toEqual([]);
    expect(kinds(compareShapes(shapeOf({ a: 2, b: 'z' }), emulator))).toEqual(['type a number→string|number']);
    expect(kinds(compareShapes(shapeOf({ a: true, b: 'z' }), emulator, { typesWithin: true }))).toEqual(['type a boolean→string|number']);
  });

  test('omitPath leaves a subtree out of the comparison', () => {
    const recorded = shapeOf({ a: 1, entityData: { '0': { id: 'x' } }, entities: [{ type: 'ip', id: 'x', role: 'r' }] });
    const trimmed = omitPath(omitPath(recorded, 'entityData'), 'entities[type=ip].role');
    expect(compareShapes(trimmed, shapeOf({ a: 2, entities: [{ type: 'ip', id: 'y' }] }))).toEqual([]);
  });
});

describe('scripts/compare-records.js', () => {
  const dir = mkdtempSync(join(tmpdir(), 'record-shape-'));
  const file = (name: string, value: unknown): string => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(value));
    return path;
  };
  const run = (...args: string[]): { out: string; code: number } => {
    try {
      return { out: execFileSync(process.execPath, ['scripts/compare-records.js', ...args], { encoding: 'utf8' }), code: 0 };
    } catch (e) {
      const err = e as { stdout: string; status: number };
      return { out: err.stdout, code: err.status };
    }
  };

  test('profile prints key names and types only; compare lists the differences and exits 1', () => {
    const recorded = file('recorded.json', { data: [{ _id: 'tenant-secret', threatScore: 3, stories: [0] }] });
    const profile = run('profile', recorded);
    expect(profile.code).toBe(0);
    expect(profile.out).not.toContain('tenant-secret');
    expect(JSON.parse(profile.out)).toEqual({ type: 'object', keys: { _id: 'string', stories: { type: 'array', items: 'number' }, threatScore: 'number' } });
    const profileFile = file('profile.json', JSON.parse(profile.out));
    const emulated = file('emulated.json', [{ _id: 'x', threatScore: '3', extra: 1 }]);
    const compared = run('compare', profileFile, emulated);
    expect(compared.code).toBe(1);
    expect(compared.out).toContain('missing in the emulator record: 1\n  stories');
    expect(compared.out).toContain('only in the emulator record: 1\n  extra');
    expect(compared.out).toContain('threatScore  number → string');
    expect(run('compare', recorded, recorded).code).toBe(0);
  });
});
