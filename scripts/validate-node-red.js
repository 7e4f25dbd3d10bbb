#!/usr/bin/env node
// npm run validate:node-red — runs `node-red-dev validate` (the Node-RED flow library's scorecard,
// node-red-dev@0.1.6 from the tool cache: scripts/tools/node-red-dev.js) on the package as npm
// would publish it: `npm pack` into a temporary folder, unpacked, then validated there.
//
// Offline: node-red-dev fetches the flow catalogue (catalogue.nodered.org) to look for similarly
// named packages (P08) and stops with `getaddrinfo ENOTFOUND` without network. A preloaded stub
// (NODE_OPTIONS=--require) answers that one request with {"modules":[]}; everything else is real.
//
// Prints every check, writes the scorecard to test-results/node-red-scorecard.json and exits 1
// when node-red-dev reported an error, did not complete, or a check failed that is not one of the
// known warnings explained in docs/node-red.md ("Node-RED scorecard"). D03 (dependencies up to
// date) depends on the registry, not on this repository: it is a warning naming the upgrade.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'test-results', 'node-red-scorecard.json');
// Failing checks explained from node-red-dev's output (docs/node-red.md, "Node-RED scorecard"):
// every node type has an example flow now, so a missing one is an error that names it.
const EXPLAINED_ERRORS = {
  N02: (result, output) => `N02 (examples for every node) failed: no example flow in examples/node-red uses ${nodesWithoutExample(output) || JSON.stringify(result)}: add a flow that does (docs/node-red.md, "Examples")`,
};
const CHECKS = {
  P01: 'licence', P02: 'README', P03: 'repository/bugs link', P04: 'scoped name', P05: 'node-red keyword', P06: 'Node-RED version', P07: 'Node.js version', P08: 'no similar names in the catalogue',
  N01: 'unique node names', N02: 'examples for every node', D01: 'dependency count', D02: 'no incompatible dependencies', D03: 'dependencies up to date',
};

const STUB = `'use strict';
// Preloaded by scripts/validate-node-red.js: answer the flow catalogue request offline.
const Module = require('module');
const load = Module._load;
Module._load = function (request) {
  const m = load.apply(this, arguments);
  if (request === 'axios' && m && typeof m.get === 'function' && !m.__mdcaCatalogueStub) {
    const get = m.get.bind(m);
    m.get = (url, ...rest) => (String(url).includes('catalogue.nodered.org') ? Promise.resolve({ status: 200, headers: {}, data: { modules: [] } }) : get(url, ...rest));
    m.__mdcaCatalogueStub = true;
  }
  return m;
};
`;

function sh(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${r.stdout || ''}\n${r.stderr || ''}`);
  return r.stdout;
}

async function main() {
  const bin = process.env.MDCA_NODE_RED_DEV_BIN || (await require('./tools/node-red-dev').ensureNodeRedDev()).bin;
  if (!fs.existsSync(path.join(ROOT, 'dist', 'node-red'))) {
    console.log('validate:node-red: dist/ missing, running npm run build');
    sh('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mdca-nr-validate-'));
  try {
    const packed = JSON.parse(sh('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: ROOT, shell: process.platform === 'win32' }));
    const tgz = path.join(tmp, packed[0].filename);
    sh('tar', ['xzf', tgz, '-C', tmp]);
    const pkgDir = path.join(tmp, 'package');
    const stub = path.join(tmp, 'catalogue-stub.js');
    fs.writeFileSync(stub, STUB);
    const scoreFile = path.join(tmp, 'scorecard.json');
    const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS || ''} --require ${JSON.stringify(stub)}`.trim() };
    const run = spawnSync(process.execPath, [bin, 'validate', '-p', pkgDir, '-o', scoreFile], { cwd: pkgDir, env, encoding: 'utf8', timeout: 300_000 });
    const output = `${run.stdout || ''}${run.stderr || ''}`;
    process.stdout.write(output);
    const errors = output.split('\n').filter((l) => /(^|›\s+)Error:/.test(l.trim()) || /ENOTFOUND|EAI_AGAIN/.test(l));
    if (run.status !== 0) errors.push(`node-red-dev exited with ${run.status}${run.signal ? ` (${run.signal})` : ''}`);
    if (!/^Complete$/m.test(output)) errors.push('node-red-dev did not print "Complete"');
    if (!fs.existsSync(scoreFile)) {
      errors.push('no scorecard written');
      return finish({ errors, warnings: [], scorecard: undefined });
    }
    const scorecard = JSON.parse(fs.readFileSync(scoreFile, 'utf8'));
    const warnings = [];
    console.log('\nvalidate:node-red: scorecard');
    for (const [id, result] of Object.entries(scorecard)) {
      if (!result || typeof result !== 'object' || !('test' in result)) continue;
      const ok = result.test === true;
      console.log(`  ${ok ? 'pass' : 'FAIL'} ${id} ${CHECKS[id] || ''}`);
      if (ok) continue;
      if (EXPLAINED_ERRORS[id]) errors.push(EXPLAINED_ERRORS[id](result, output));
      else if (id === 'D03') warnings.push({ id, reason: upgradesToMake(result, output), result });
      else errors.push(`${id} (${CHECKS[id] || 'check'}) failed: ${JSON.stringify(result)}`);
    }
    return finish({ errors, warnings, scorecard });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The node types N02 names ("Examples not found for the following nodes: a, b", wrapped over lines). */
function nodesWithoutExample(output) {
  const flat = output.replace(/\n\s*›\s+/g, ' ');
  const m = /Examples not found for the following nodes:\s*([^\n]+)/.exec(flat);
  return m ? m[1].split(',').map((n) => n.trim()).filter(Boolean).join(', ') : '';
}

/**
 * D03 compares our pinned dependencies with what the registry publishes today, so its result
 * changes with someone else's release, not with our code: it is reported as a warning that says
 * which upgrade to make, never as an error (a fresh checkout must not fail on a newer release).
 */
function upgradesToMake(result, output) {
  const flat = output.replace(/\n\s*›\s+/g, ' ');
  const upgrades = (Array.isArray(result.packages) ? result.packages : []).map((name) => {
    const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const m = new RegExp(`D03 ${escaped} is not at latest version, package\\.json\\s+specifies: (\\S+), latest is: (\\S+)`).exec(flat);
    return m ? `${name} ${m[1]} → ${m[2]}: npm install --save-exact ${name}@${m[2]}` : `${name}: npm install --save-exact ${name}@latest`;
  });
  return `a newer release of a dependency is published; upgrade and rerun the tests: ${upgrades.join('; ') || JSON.stringify(result)}`;
}

function finish(report) {
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, JSON.stringify(report, null, 2));
  for (const w of report.warnings) console.log(`validate:node-red: warning ${w.id}: ${w.reason}`);
  for (const e of report.errors) console.log(`validate:node-red: error: ${e}`);
  console.log(`validate:node-red: ${report.errors.length} error(s), ${report.warnings.length} warning(s) (${path.relative(ROOT, OUT)})`);
  process.exitCode = report.errors.length > 0 ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
