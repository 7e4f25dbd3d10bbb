#!/usr/bin/env node
// npm run audit:secrets — runs every secret-canary suite (core/runtime, the secretless Azure sign-in
// kinds, and the n8n and Node-RED host suites when present, plus the canary block of
// test/n8n/credentials.test.ts), collects the canary hits, and prints `canary hits: N` as the last
// line. Exit code 1 when N > 0 or when a canary suite could not run to completion, or when a suite
// the audit must cover is missing.
//
// Hits come from two places:
//   - test-results/canary-hits/*.json, written by suites that count hits themselves
//     ({ suite, checked, hits, details });
//   - jest's --json report: a failed test in a canary suite that wrote no hit file counts as one
//     hit (host suites assert "no canary" per test).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const resultsDir = path.join(root, 'test-results');
const hitsDir = path.join(resultsDir, 'canary-hits');

function list(dir, pattern) {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  return fs
    .readdirSync(full)
    .filter((name) => pattern.test(name))
    .map((name) => path.join(dir, name));
}

// Suites: whole files named *canar*; plus host files that hold tests named "canary" (run with -t).
const runs = [
  { project: 'reliability', files: list('test/reliability', /^canar.*\.test\.ts$/) },
  { project: 'n8n', files: list('test/n8n', /canar.*\.test\.ts$/) },
  { project: 'node-red', files: list('test/node-red', /canar.*\.test\.ts$/) },
  {
    project: 'node-red',
    files: list('test/node-red', /\.test\.ts$/).filter((f) => !/canar/.test(f) && /test\([^\n]*canary/i.test(fs.readFileSync(path.join(root, f), 'utf8'))),
    namePattern: 'canary',
  },
  {
    project: 'n8n',
    files: list('test/n8n', /\.test\.ts$/).filter((f) => !/canar/.test(f) && /(it|test)\([^\n]*canary/i.test(fs.readFileSync(path.join(root, f), 'utf8'))),
    namePattern: 'canary',
  },
  {
    // The n8n credential tests plant canaries in a describe block whose tests are not named "canary".
    project: 'n8n',
    files: list('test/n8n', /^credentials\.test\.ts$/),
    namePattern: 'secrets never reach',
  },
  {
    // The check-tenant report (docs/check-tenant.md) is meant to be pasted into bug reports.
    project: 'core',
    files: list('test/core', /^connection-check\.test\.ts$/),
    namePattern: 'canaries',
  },
].filter((r) => r.files.length > 0);

fs.rmSync(hitsDir, { recursive: true, force: true });
fs.mkdirSync(hitsDir, { recursive: true });

let hits = 0;
let broken = 0;
const jestBin = path.join(root, 'node_modules', 'jest', 'bin', 'jest.js');
runs.forEach((run, index) => {
  const report = path.join(resultsDir, `audit-secrets-${index}.json`);
  fs.rmSync(report, { force: true });
  const args = [jestBin, '--selectProjects', run.project, '--runTestsByPath', ...run.files, '--json', '--outputFile', report];
  if (run.namePattern) args.push('-t', run.namePattern);
  console.log(`audit:secrets: ${run.project}: ${run.files.join(', ')}${run.namePattern ? ` (tests matching "${run.namePattern}")` : ''}`);
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
  if (!fs.existsSync(report)) {
    console.log(`audit:secrets: ${run.project}: jest produced no report (exit ${result.status})`);
    broken++;
    return;
  }
  const json = JSON.parse(fs.readFileSync(report, 'utf8'));
  for (const suite of json.testResults) {
    const file = path.relative(root, suite.name);
    const failed = suite.assertionResults.filter((a) => a.status === 'failed');
    const hitFile = hitFileFor(file);
    if (hitFile) {
      const data = JSON.parse(fs.readFileSync(hitFile, 'utf8'));
      console.log(`audit:secrets: ${file}: ${data.checked} surfaces checked, ${data.hits} hit(s)`);
      for (const d of data.details ?? []) console.log(`  hit: ${d.canary} in ${d.where} (${d.test})`);
      hits += Number(data.hits) || 0;
      if (failed.length > 0 && !data.hits) broken++;
    } else {
      const passed = suite.assertionResults.filter((a) => a.status === 'passed').length;
      console.log(`audit:secrets: ${file}: ${passed} canary test(s) passed, ${failed.length} failed`);
      for (const f of failed) console.log(`  hit: ${f.fullName}`);
      hits += failed.length;
      if (suite.status === 'failed' && suite.assertionResults.length === 0) broken++;
    }
  }
});

function hitFileFor(file) {
  // Suites name their hit file after the suite: canaries-core.test.ts → core.json; a plain
  // canaries.test.ts after its folder: test/n8n/canaries.test.ts → n8n.json.
  const m = /canar[a-z]*-?([a-z0-9-]*)\.test\.ts$/i.exec(path.basename(file));
  if (!m) return undefined;
  const candidate = path.join(hitsDir, `${m[1] || path.basename(path.dirname(file))}.json`);
  return fs.existsSync(candidate) ? candidate : undefined;
}

// Suites the audit must cover: a rename must not silently drop one (each writes its own hit file).
for (const required of ['core', 'azure-identity', 'containment']) {
  if (!fs.existsSync(path.join(hitsDir, `${required}.json`))) {
    console.log(`audit:secrets: the ${required} canary suite wrote no hit file (test/reliability/canaries-${required}.test.ts)`);
    broken++;
  }
}

if (runs.length === 0) {
  console.log('audit:secrets: no canary suites found');
  broken++;
}
if (broken > 0) console.log(`audit:secrets: ${broken} canary suite(s) did not complete`);
console.log(`canary hits: ${hits}`);
process.exit(hits > 0 || broken > 0 ? 1 : 0);
