#!/usr/bin/env node
'use strict';
// The single test command (`npm test`):
//   1. npm run build, then npm pack into .cache/pack/ (the e2e suites install that real tarball,
//      exported as MDCA_PACKAGE_TARBALL);
//   2. starts the slow tool installs (n8n, Node 24, Node-RED 5, Chromium) in the background;
//   3. runs the unit projects with jest (--maxWorkers=2) while the tools install;
//   4. waits for the tools and runs the end-to-end projects (--runInBand) with their paths in env;
//   5. prints `N passed, N failed` as the very last line (also in test-results/summary.txt) and
//      exits non-zero when anything failed.
// Options: --only <project> (repeatable, or comma-separated), --skip-e2e, --skip-build.
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const RESULTS = path.join(ROOT, 'test-results');
const PACK_DIR = path.join(ROOT, '.cache', 'pack');
const TOOL_LOGS = path.join(RESULTS, 'tools');
const JEST = path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');

const UNIT = ['core', 'emulator', 'n8n', 'node-red', 'triggers', 'reliability', 'xdr', 'graph', 'containment', 'scale', 'tooling'];
const E2E = ['e2e-n8n', 'e2e-node-red', 'e2e-scale', 'browser', 'first-run', 'lint'];
// Which tools each end-to-end project needs (see scripts/tools/).
const NEEDS = {
  // tinyproxy: the outbound proxy the hosts run behind in part of their tests (test/support/proxy-server.ts)
  'e2e-n8n': ['node24', 'n8n', 'tinyproxy'],
  'e2e-node-red': ['node24', 'node-red', 'tinyproxy'],
  // n8n in queue mode (main + 2 workers on Postgres and Redis) beside two Node-RED (docs/scale-out.md)
  'e2e-scale': ['node24', 'n8n', 'node-red', 'redis', 'postgres'],
  browser: ['chromium', 'node24', 'node-red', 'n8n'], // Node-RED 5 for editor tests on both majors; n8n for its editor
  'first-run': ['node24', 'n8n'], // clones the repo and follows the README (docs/first-run.md); n8n for `npm run demo:n8n`
  lint: ['n8n-lint', 'node-red-dev'], // n8n's community-node lint and node-red-dev validate, from the tool cache (scripts/tools/)
};
const needs = (p) => NEEDS[p] || [];
const TOOL_ENV = {
  node24: 'MDCA_NODE24',
  n8n: 'MDCA_N8N_BIN',
  'node-red': 'MDCA_NODE_RED5_JS',
  chromium: 'MDCA_CHROMIUM',
  'n8n-lint': 'MDCA_N8N_NODE_CLI_DIR',
  'node-red-dev': 'MDCA_NODE_RED_DEV_BIN',
  redis: 'MDCA_REDIS_SERVER',
  postgres: 'MDCA_POSTGRES_BIN',
  tinyproxy: 'MDCA_TINYPROXY',
};
const UNIT_TIMEOUT_MIN = Number(process.env.MDCA_UNIT_TIMEOUT_MIN || 20);
const E2E_TIMEOUT_MIN = Number(process.env.MDCA_E2E_TIMEOUT_MIN || 35);

function parseArgs(argv) {
  const o = { only: [], skipE2e: false, skipBuild: false, jestArgs: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only') o.only.push(...String(argv[++i] || '').split(',').filter(Boolean));
    else if (a.startsWith('--only=')) o.only.push(...a.slice(7).split(',').filter(Boolean));
    else if (a === '--skip-e2e') o.skipE2e = true;
    else if (a === '--skip-build') o.skipBuild = true;
    else if (a === '--') o.jestArgs.push(...argv.slice(i + 1)), (i = argv.length);
    else throw new Error(`unknown option ${a} (use --only <project>, --skip-e2e, --skip-build, -- <jest args>)`);
  }
  for (const p of o.only) {
    if (!UNIT.includes(p) && !E2E.includes(p)) throw new Error(`unknown project ${p}: one of ${[...UNIT, ...E2E].join(', ')}`);
  }
  return o;
}

const t0 = Date.now();
const secs = () => `${((Date.now() - t0) / 1000).toFixed(0)} s`;
function banner(msg) {
  process.stdout.write(`\n=== ${msg} [${secs()}]\n`);
}

function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
    let timer;
    if (opts.timeoutMs) {
      timer = setTimeout(() => {
        process.stdout.write(`\n!!! ${cmd} ${args[0] || ''} exceeded ${opts.timeoutMs / 60000} min: killing it\n`);
        child.kill('SIGKILL');
      }, opts.timeoutMs);
    }
    child.on('error', (e) => {
      clearTimeout(timer);
      process.stdout.write(`!!! could not start ${cmd}: ${e.message}\n`);
      resolve({ code: 127, signal: null });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

function capture(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], ...opts });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    child.on('error', (e) => resolve({ code: 127, out: '', error: e }));
    child.on('close', (code) => resolve({ code, out }));
  });
}

/**
 * Installs/checks a tool in the background; a failed install is tried once more before the run
 * gives up on the projects that need it (a fresh machine's first apt-get or npm install can fail
 * on a transient lock or registry hiccup).
 */
async function startTool(tool, suffix = '') {
  const first = await startToolOnce(tool, suffix);
  if (first.ok) return first;
  process.stdout.write(`--- tool ${tool}: retrying the install once\n`);
  return startToolOnce(tool, `${suffix}.retry`);
}

/** Starts `node scripts/tools/<tool>.js` in the background; its log goes to test-results/tools/. */
function startToolOnce(tool, suffix = '') {
  const logFile = path.join(TOOL_LOGS, `${tool}${suffix}.log`);
  const fd = fs.openSync(logFile, 'w');
  const started = Date.now();
  process.stdout.write(`--- tool ${tool}: installing/checking in the background (log: ${path.relative(ROOT, logFile)})\n`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'tools', `${tool}.js`)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', fd],
      env: process.env,
    });
    // Lower priority, so the installs (npm, node-gyp) do not starve the unit tests running meanwhile;
    // their own children inherit it.
    try {
      require('os').setPriority(child.pid, 10);
    } catch {
      /* not permitted: fine */
    }
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    const done = (code, error) => {
      fs.closeSync(fd);
      const took = ((Date.now() - started) / 1000).toFixed(0);
      const value = out.trim().split('\n').pop();
      if (code === 0 && value) {
        process.stdout.write(`--- tool ${tool}: ready in ${took} s: ${value}\n`);
        resolve({ tool, ok: true, value });
      } else {
        const tail = safeTail(logFile, 15);
        process.stdout.write(`--- tool ${tool}: FAILED after ${took} s (${error || `exit ${code}`})\n${tail}\n`);
        resolve({ tool, ok: false, value: null });
      }
    };
    child.on('error', (e) => done(-1, e.message));
    child.on('close', (code) => done(code));
  });
}

function safeTail(file, n) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).map((l) => `    ${l}`).join('\n');
  } catch {
    return '';
  }
}

/** Counts from a jest --json file; a suite that failed without a failing test counts as 1 failed. */
function readJest(file, projects) {
  let j;
  try {
    j = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  let crashedSuites = 0;
  for (const s of j.testResults || []) {
    const failedAssertions = (s.assertionResults || []).filter((a) => a.status === 'failed').length;
    if (s.status === 'failed' && failedAssertions === 0) crashedSuites++;
  }
  return {
    projects,
    passed: j.numPassedTests || 0,
    failed: (j.numFailedTests || 0) + crashedSuites,
    crashedSuites,
    pending: (j.numPendingTests || 0) + (j.numTodoTests || 0),
    success: !!j.success,
  };
}

async function runJest(label, projects, extraArgs, outFile, env, timeoutMin) {
  fs.rmSync(outFile, { force: true });
  banner(`jest ${label}: ${projects.join(', ')}`);
  const args = [
    JEST,
    '--selectProjects',
    ...projects,
    '--passWithNoTests',
    '--json',
    `--outputFile=${outFile}`,
    ...extraArgs,
  ];
  const { code, signal } = await run(process.execPath, args, { env, timeoutMs: timeoutMin * 60000 });
  const r = readJest(outFile, projects);
  if (!r) {
    process.stdout.write(`!!! jest ${label} crashed (${signal || `exit ${code}`}) without results: counting each project as 1 failed\n`);
    return { projects, passed: 0, failed: projects.length, crashed: true, code };
  }
  if (code !== 0 && r.failed === 0) {
    // jest said no without a failing test (e.g. open handles or a global error): make it count.
    process.stdout.write(`!!! jest ${label} exited ${signal || code} with no failing test: counting 1 failed\n`);
    r.failed = 1;
  }
  return { ...r, code };
}

function hasTests(project) {
  const dir = path.join(ROOT, 'test', project);
  const walk = (d) => {
    if (!fs.existsSync(d)) return false;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory() && walk(path.join(d, e.name))) return true;
      if (e.isFile() && e.name.endsWith('.test.ts')) return true;
    }
    return false;
  };
  return walk(dir);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  fs.mkdirSync(TOOL_LOGS, { recursive: true });

  const selected = opts.only.length ? opts.only : [...UNIT, ...(opts.skipE2e ? [] : E2E)];
  // `--only` runs (npm run test:e2e:*) may run beside other runs in the same tree: own file names.
  const suffix = opts.only.length ? `-${opts.only.join('+')}` : '';
  for (const f of [`unit${suffix}.json`, `e2e${suffix}.json`, 'summary.txt', 'summary.json']) fs.rmSync(path.join(RESULTS, f), { force: true });
  const unit = UNIT.filter((p) => selected.includes(p));
  const e2eWanted = E2E.filter((p) => selected.includes(p));
  const e2e = e2eWanted.filter((p) => {
    if (hasTests(p)) return true;
    process.stdout.write(`--- ${p}: no test files yet, skipped\n`);
    return false;
  });
  const results = [];
  const env = { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR || (process.stdout.isTTY ? '1' : '0') };

  // Tools first, in the background, so they overlap with the build and the unit tests.
  const tools = [...new Set(e2e.flatMap(needs))];
  const toolPromises = Object.fromEntries(tools.map((t) => [t, startTool(t, suffix)]));

  let tarball = null;
  if (!opts.skipBuild) {
    banner('npm run build');
    const b = await run('npm', ['run', 'build'], { env });
    if (b.code !== 0) {
      process.stdout.write('!!! build failed: counting 1 failed; end-to-end projects need the package and are skipped\n');
      results.push({ projects: ['build'], passed: 0, failed: 1, crashed: true });
    }
  }
  if (e2e.length && !results.some((r) => r.projects[0] === 'build')) {
    banner('npm pack');
    // One folder per run (concurrent runs must not delete each other's tarball); stale ones go.
    fs.mkdirSync(PACK_DIR, { recursive: true });
    for (const d of fs.readdirSync(PACK_DIR)) {
      const pid = Number(d);
      let alive = false;
      try {
        alive = pid > 0 && (process.kill(pid, 0), true);
      } catch {
        alive = false;
      }
      if (!alive) fs.rmSync(path.join(PACK_DIR, d), { recursive: true, force: true });
    }
    const packDir = path.join(PACK_DIR, String(process.pid));
    fs.mkdirSync(packDir, { recursive: true });
    const p = await capture('npm', ['pack', '--json', '--pack-destination', packDir], { env });
    try {
      const info = JSON.parse(p.out);
      tarball = path.join(packDir, info[0].filename);
      if (!fs.existsSync(tarball)) throw new Error(`${tarball} missing`);
      process.stdout.write(`packed ${path.relative(ROOT, tarball)} (${info[0].entryCount} files, ${info[0].size} bytes)\n`);
    } catch (e) {
      process.stdout.write(`!!! npm pack failed (${e.message}): end-to-end projects skipped\n`);
      results.push({ projects: ['pack'], passed: 0, failed: 1, crashed: true });
    }
  }

  if (unit.length) {
    results.push(
      await runJest(
        'unit',
        unit,
        // The tool installs run meanwhile on the same 2 cores: jest's 5 s default per-test timeout
        // is too tight then (tests that set their own timeout keep it).
        ['--maxWorkers=2', `--testTimeout=${process.env.MDCA_UNIT_TEST_TIMEOUT_MS || 20000}`, ...opts.jestArgs],
        path.join(RESULTS, `unit${suffix}.json`),
        env,
        UNIT_TIMEOUT_MIN,
      ),
    );
  }

  if (e2e.length) {
    if (!tarball) {
      for (const p of e2e) results.push({ projects: [p], passed: 0, failed: 1, crashed: true });
    } else {
      if (tools.length) banner(`waiting for tools: ${tools.join(', ')}`);
      const toolResults = Object.fromEntries(await Promise.all(tools.map(async (t) => [t, await toolPromises[t]])));
      const e2eEnv = { ...env, MDCA_PACKAGE_TARBALL: tarball };
      for (const [t, r] of Object.entries(toolResults)) if (r.ok) e2eEnv[TOOL_ENV[t]] = r.value;
      if (toolResults.n8n && toolResults.n8n.ok) e2eEnv.MDCA_N8N_DIR = path.resolve(toolResults.n8n.value, '..', '..', '..', '..');
      const runnable = e2e.filter((p) => {
        const missing = needs(p).filter((t) => !toolResults[t].ok);
        if (missing.length === 0) return true;
        process.stdout.write(`!!! ${p}: tool(s) ${missing.join(', ')} failed to install: counting 1 failed\n`);
        results.push({ projects: [p], passed: 0, failed: 1, crashed: true });
        return false;
      });
      if (runnable.length) {
        results.push(
          await runJest(
            'e2e',
            runnable,
            ['--runInBand', '--forceExit', ...opts.jestArgs],
            path.join(RESULTS, `e2e${suffix}.json`),
            e2eEnv,
            E2E_TIMEOUT_MIN,
          ),
        );
      }
    }
  }

  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const line = `${passed} passed, ${failed} failed`;
  fs.writeFileSync(path.join(RESULTS, 'summary.json'), JSON.stringify({ passed, failed, seconds: (Date.now() - t0) / 1000, results }, null, 2));
  fs.writeFileSync(path.join(RESULTS, 'summary.txt'), `${line}\n`);
  banner('summary');
  for (const r of results) {
    process.stdout.write(`  ${r.projects.join(', ')}: ${r.passed} passed, ${r.failed} failed${r.crashed ? ' (crashed)' : ''}${r.crashedSuites ? ` (${r.crashedSuites} suite(s) failed to run)` : ''}\n`);
  }
  process.stdout.write(`${line}\n`);
  return failed > 0 || results.some((r) => r.code && r.code !== 0) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stdout.write(`!!! scripts/test.js: ${e && e.message ? e.message : e}\n`);
    try {
      fs.mkdirSync(RESULTS, { recursive: true });
      fs.writeFileSync(path.join(RESULTS, 'summary.txt'), '0 passed, 1 failed\n');
    } catch {
      /* ignore */
    }
    process.stdout.write('0 passed, 1 failed\n');
    process.exit(1);
  },
);
