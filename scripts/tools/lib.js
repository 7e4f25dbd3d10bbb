'use strict';
// Shared helpers for the tool installers in scripts/tools/.
//
// Every tool is installed into its own folder under the machine-wide cache
// (${MDCA_TOOLS_CACHE:-$HOME/.cache/mdca-lowcode}), never inside the repository, so only the
// first run on a machine pays. Safety against concurrent callers:
//   * a lock directory (mkdir is atomic) serialises installers of the same tool; a lock whose
//     owner process is gone is taken over;
//   * the install happens in a temporary sibling folder that is renamed into place only after it
//     succeeded, and a marker file (.mdca-installed.json) is written before the rename, so a
//     folder without the marker is never used.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');

const MARKER = '.mdca-installed.json';

function cacheRoot() {
  const root = process.env.MDCA_TOOLS_CACHE || path.join(os.homedir(), '.cache', 'mdca-lowcode');
  fs.mkdirSync(root, { recursive: true });
  return root;
}

function log(tool, msg) {
  process.stderr.write(`[tools:${tool}] ${msg}\n`);
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

function pidAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

async function withLock(tool, name, fn) {
  const lockDir = path.join(cacheRoot(), `${name}.lock`);
  const started = Date.now();
  let announced = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let owner = 0;
      try {
        owner = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
      } catch {
        /* the owner may not have written its pid yet */
      }
      const age = (() => {
        try {
          return Date.now() - fs.statSync(lockDir).mtimeMs;
        } catch {
          return 0;
        }
      })();
      if ((owner && !pidAlive(owner)) || (!owner && age > 30000)) {
        log(tool, `removing stale lock ${lockDir} (owner ${owner || 'unknown'} is gone)`);
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!announced) {
        log(tool, `waiting for another installer (pid ${owner || '?'}) holding ${lockDir}`);
        announced = true;
      }
      if (Date.now() - started > 60 * 60 * 1000) throw new Error(`timed out waiting for ${lockDir}`);
      await sleep(1000);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

function readMarker(dir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Runs `install(tmpDir)` once per machine for the tool folder `<cache>/<name>`.
 * `verify(dir)` must return true when a marked folder is still usable.
 * Returns the final folder.
 */
async function ensureInstalled({ tool, name, version, install, verify = () => true }) {
  const dir = path.join(cacheRoot(), name);
  const ok = () => {
    const m = readMarker(dir);
    return !!m && m.version === version && verify(dir);
  };
  if (ok()) {
    log(tool, `cached: ${dir}`);
    return dir;
  }
  return withLock(tool, name, async () => {
    if (ok()) {
      log(tool, `installed by another process: ${dir}`);
      return dir;
    }
    const tmp = path.join(cacheRoot(), `${name}.tmp-${process.pid}-${Date.now()}`);
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    const t0 = Date.now();
    log(tool, `installing ${version} into ${dir} (staging in ${tmp})`);
    try {
      await install(tmp);
      if (!verify(tmp)) throw new Error(`verification of ${tmp} failed after install`);
      fs.writeFileSync(
        path.join(tmp, MARKER),
        JSON.stringify({ version, installedAt: new Date().toISOString(), seconds: (Date.now() - t0) / 1000 }, null, 2),
      );
      // Move any previous (unmarked or outdated) copy aside, then rename the new one into place.
      if (fs.existsSync(dir)) {
        const old = `${dir}.old-${process.pid}-${Date.now()}`;
        fs.renameSync(dir, old);
        fs.rmSync(old, { recursive: true, force: true });
      }
      fs.renameSync(tmp, dir);
    } catch (e) {
      fs.rmSync(tmp, { recursive: true, force: true });
      throw e;
    }
    log(tool, `done in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${dir}`);
    return dir;
  });
}

/** Spawns a command with inherited stdout→stderr (so callers' stdout stays clean). */
function run(tool, cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    log(tool, `$ ${cmd} ${args.join(' ')}${opts.cwd ? `   (in ${opts.cwd})` : ''}`);
    const child = spawn(cmd, args, { stdio: ['ignore', process.stderr, process.stderr], ...opts });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${signal || code}`));
    });
  });
}

function writePackageJson(dir, dependencies) {
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name: 'mdca-tool-cache', version: '0.0.0', private: true, dependencies }, null, 2),
  );
}

/** Environment for running npm inside the cache (the repo's .npmrc does not apply there). */
function npmEnv(extra = {}) {
  return {
    ...process.env,
    npm_config_ignore_scripts: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    ...extra,
  };
}

/** Runs main() when the file is executed directly: prints the result path on stdout. */
function cli(mod, main) {
  if (require.main !== mod) return;
  main().then(
    (out) => {
      if (out) process.stdout.write(`${out}\n`);
    },
    (e) => {
      process.stderr.write(`${e && e.stack ? e.stack : e}\n`);
      process.exit(1);
    },
  );
}

module.exports = { cacheRoot, log, ensureInstalled, withLock, run, writePackageJson, npmEnv, cli, readMarker, MARKER };
