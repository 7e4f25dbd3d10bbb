#!/usr/bin/env node
// Compares records by key names and value types only (never values), with core/record-shape.ts.
//
//   node scripts/compare-records.js profile <records.json>
//       prints the key/type profile of a record, or of an array of records merged (what
//       emulator/fixtures/recorded-profiles.json keeps of a recording instead of its values)
//   node scripts/compare-records.js compare <recorded.json> <emulator.json>
//       lists keys missing in the emulator record, keys only in it, and type differences;
//       either file may hold a record, an array of records, a list envelope ({ data: [...] }) or
//       a profile printed by `profile`. Exit code 1 when anything differs.
//
// See emulator/README.md ("How close the records are to real ones").
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

/** core/record-shape.ts imports nothing, so it is transpiled and loaded here without a build. */
function loadRecordShape() {
  const file = path.join(__dirname, '..', 'core', 'record-shape.ts');
  const js = ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const mod = { exports: {} };
  new Function('module', 'exports', 'require', js)(mod, mod.exports, require);
  return mod.exports;
}

const { shapeOf, shapeOfAll, compareShapes } = loadRecordShape();

const isProfile = (v) => typeof v === 'string' || (v && typeof v === 'object' && typeof v.type === 'string' && /^(object|array|string|number|boolean|null)(\|[a-z]+)*$/.test(v.type) && (v.keys || v.items || v.variants));

function shapeFromFile(file) {
  const value = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (value && typeof value === 'object' && value.shape && isProfile(value.shape)) return value.shape;
  if (isProfile(value)) return value;
  if (value && typeof value === 'object' && Array.isArray(value.data)) return shapeOfAll(value.data);
  return Array.isArray(value) ? shapeOfAll(value) : shapeOf(value);
}

function main(argv) {
  const [command, ...files] = argv;
  if (command === 'profile' && files.length === 1) {
    process.stdout.write(`${JSON.stringify(shapeFromFile(files[0]), null, 2)}\n`);
    return 0;
  }
  if (command === 'compare' && files.length === 2) {
    const diffs = compareShapes(shapeFromFile(files[0]), shapeFromFile(files[1]));
    const groups = [
      ['missing in the emulator record', diffs.filter((d) => d.kind === 'missing')],
      ['only in the emulator record', diffs.filter((d) => d.kind === 'extra')],
      ['type differs (recorded → emulator)', diffs.filter((d) => d.kind === 'type')],
    ];
    for (const [title, list] of groups) {
      process.stdout.write(`${title}: ${list.length}\n`);
      for (const d of list) process.stdout.write(`  ${d.path}${d.kind === 'type' ? `  ${d.expected} → ${d.actual}` : ''}\n`);
    }
    return diffs.length ? 1 : 0;
  }
  process.stderr.write('usage: compare-records.js profile <records.json> | compare <recorded.json> <emulator.json>\n');
  return 2;
}

process.exitCode = main(process.argv.slice(2));
