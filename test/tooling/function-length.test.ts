// CONTRIBUTING.md: no function over about 60 lines in core/ or runtime/, and no cast through
// `unknown` (or `any`) outside the tests: such a cast tells the compiler nothing is known and then
// claims a type, so a wrong shape passes unnoticed. Both are read from the syntax tree with the
// TypeScript compiler, so a comment or a string that mentions a cast does not count.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Casts through `unknown` allowed as "file › enclosing function": none. Keep it empty; the test
 * fails on a stale entry. No function over the limit is excepted either.
 */
const KNOWN_CASTS: readonly string[] = [];

const MAX_FUNCTION_LINES = 60;
const ROOT = path.resolve(__dirname, '../..');
const LENGTH_DIRS = ['core', 'runtime'];
const CAST_DIRS = ['core', 'runtime', 'nodes', 'node-red', 'credentials', 'emulator'];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(relative);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts') ? [relative] : [];
  });
}

function parse(file: string, text = fs.readFileSync(path.join(ROOT, file), 'utf8')): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
}

function nodesOf(source: ts.SourceFile): ts.Node[] {
  const found: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    found.push(node);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The name a reader would look for: its own, or that of the variable, property or class member holding it. */
function functionName(fn: ts.SignatureDeclaration): string | undefined {
  const holder = fn.parent;
  const named = fn.name ?? (ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder) || ts.isPropertyDeclaration(holder) ? holder.name : undefined);
  if (ts.isConstructorDeclaration(fn)) return 'constructor';
  return named?.getText();
}

function lineOf(source: ts.SourceFile, position: number): number {
  return source.getLineAndCharacterOfPosition(position).line + 1;
}

/** Functions with a body longer than the limit, as "file:line name (n lines)". */
function longFunctions(file: string, source = parse(file)): string[] {
  return nodesOf(source).flatMap((node) => {
    if (!ts.isFunctionLike(node) || !('body' in node) || !node.body) return [];
    const start = lineOf(source, node.getStart(source));
    const lines = lineOf(source, node.getEnd()) - start + 1;
    return lines > MAX_FUNCTION_LINES ? [`${file}:${start} ${functionName(node) ?? '<anonymous>'} (${lines} lines)`] : [];
  });
}

const isLooseType = (type: ts.TypeNode): boolean => type.kind === ts.SyntaxKind.UnknownKeyword || type.kind === ts.SyntaxKind.AnyKeyword;

/** `x as unknown as T`, `x as any as T` and their angle-bracket forms, as "file › enclosing function". */
function castsThroughUnknown(file: string, source = parse(file)): string[] {
  return nodesOf(source).flatMap((node) => {
    if (!(ts.isAsExpression(node) || ts.isTypeAssertionExpression(node))) return [];
    const inner = ts.skipPartiallyEmittedExpressions(node.expression);
    const unwrapped = ts.isParenthesizedExpression(inner) ? inner.expression : inner;
    if (!(ts.isAsExpression(unwrapped) || ts.isTypeAssertionExpression(unwrapped)) || !isLooseType(unwrapped.type)) return [];
    return [`${file} › ${enclosingFunction(node)}`];
  });
}

/** The nearest enclosing function that has a name (a callback is known by the function it is in). */
function enclosingFunction(node: ts.Node): string {
  for (let at = node.parent; at; at = at.parent) {
    const name = ts.isFunctionLike(at) ? functionName(at) : undefined;
    if (name) return name;
  }
  return '<module>';
}

describe('the scanner', () => {
  test('reports a function over the limit with its file, line, name and length', () => {
    const body = Array.from({ length: MAX_FUNCTION_LINES - 1 }, (_, i) => `  const v${i} = ${i};`).join('\n');
    const fits = `function fits() {\n${body.split('\n').slice(1).join('\n')}\n}\n`;
    const source = `${fits}export const tooLong = (): void => {\n${body}\n};\n`;
    expect(longFunctions('x.ts', parse('x.ts', source))).toEqual([`x.ts:${MAX_FUNCTION_LINES + 1} tooLong (${MAX_FUNCTION_LINES + 1} lines)`]);
  });

  test('reports casts through unknown or any, not plain ones, nor comments', () => {
    const source = [
      'class A { m(x: unknown) { return (x as unknown) as string; } }',
      'function f(x: number) { return <string><any>x; }',
      'const g = (x: unknown) => x as string; // x as unknown as string',
    ].join('\n');
    expect(castsThroughUnknown('x.ts', parse('x.ts', source))).toEqual(['x.ts › m', 'x.ts › f']);
  });
});

describe('the source', () => {
  test(`no function in ${LENGTH_DIRS.join('/ or ')}/ is over ${MAX_FUNCTION_LINES} lines`, () => {
    expect(LENGTH_DIRS.flatMap(sourceFiles).flatMap((file) => longFunctions(file))).toEqual([]);
  });

  test('no cast through unknown outside the tests, except the known ones (a list that only shrinks)', () => {
    const found = CAST_DIRS.flatMap(sourceFiles).flatMap((file) => castsThroughUnknown(file));
    const unexpected = [...found];
    const stale: string[] = [];
    for (const known of KNOWN_CASTS) {
      const at = unexpected.indexOf(known);
      if (at >= 0) unexpected.splice(at, 1);
      else stale.push(known);
    }
    expect({ unexpected, staleKnownCasts: stale }).toEqual({ unexpected: [], staleKnownCasts: [] });
  });
});
