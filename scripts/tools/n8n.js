'use strict';
// Installs n8n (real host for end-to-end tests) into the tool cache, following the verified
// recipe: Node 24 first on PATH, npm_config_nodedir at the Node 24 folder,
// `npm i --no-audit --no-fund --ignore-scripts`, then `npm rebuild sqlite3`. ~7 min the first time.
//
// Usage: node scripts/tools/n8n.js   → prints the path of n8n's bin script.
// API:
//   const { ensureN8n, runN8n, n8nEnv } = require('./n8n');
//   const { bin, node, dir } = await ensureN8n();
//   const { code, signal, stdout, stderr } = await runN8n(['execute', '--id=x'], { env: {...} });
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
const { ensureInstalled, run, writePackageJson, npmEnv, cli, log } = require('./lib');
const { ensureNode24 } = require('./node24');

const VERSION = '2.40.7';
const TOOL = 'n8n';
const LOCK_FILE = path.join(__dirname, 'locks', `n8n-${VERSION}.package-lock.json`);

function binIn(dir) {
  return path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
}

function sqliteBuilt(dir) {
  return fs.existsSync(path.join(dir, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node'));
}

/** PATH/env with Node 24 first, for anything that runs n8n or builds native modules for it. */
function node24Env(node24, extra = {}) {
  const nodeDir = path.dirname(path.dirname(node24));
  return {
    ...process.env,
    PATH: `${path.dirname(node24)}${path.delimiter}${process.env.PATH || ''}`,
    npm_config_nodedir: nodeDir,
    ...extra,
  };
}

async function ensureN8n() {
  const node = await ensureNode24();
  const dir = await ensureInstalled({
    tool: TOOL,
    name: `n8n-${VERSION}`,
    version: VERSION,
    verify: (d) => fs.existsSync(binIn(d)) && sqliteBuilt(d),
    install: async (tmp) => {
      writePackageJson(tmp, { n8n: VERSION });
      const env = npmEnv(node24Env(node));
      const useLock = fs.existsSync(LOCK_FILE);
      if (useLock) fs.copyFileSync(LOCK_FILE, path.join(tmp, 'package-lock.json'));
      log(TOOL, useLock ? `using pinned lock file ${path.relative(process.cwd(), LOCK_FILE)} (npm install honours it; npm ci trips over missing optional platform packages)` : 'no pinned lock file: resolving');
      await run(TOOL, 'npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], {
        cwd: tmp,
        env,
      });
      await run(TOOL, 'npm', ['rebuild', 'sqlite3'], { cwd: tmp, env: { ...env, npm_config_ignore_scripts: 'false' } });
      if (!sqliteBuilt(tmp)) throw new Error('sqlite3 native module was not built');
    },
  });
  return { dir, bin: binIn(dir), node, version: VERSION };
}

/**
 * Runs `n8n <args>` on Node 24 and resolves (never rejects on exit code) with the outcome.
 * opts.env is merged over process.env (plus Node 24 on PATH); opts.timeoutMs kills it.
 */
async function runN8n(args, opts = {}) {
  const { bin, node } = await ensureN8n();
  return new Promise((resolve, reject) => {
    const child = spawn(node, [bin, ...args], {
      cwd: opts.cwd,
      env: node24Env(node, opts.env || {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    let timer;
    if (opts.timeoutMs) timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

module.exports = { ensureN8n, runN8n, node24Env, N8N_VERSION: VERSION };
cli(module, async () => (await ensureN8n()).bin);
