'use strict';
// Installs Debian packages for the tool installers (redis.js, chromium.js, postgres.js).
//
// apt-get refuses to run while another apt-get holds /var/lib/apt/lists/lock or the dpkg lock
// ("Could not get lock ... It is held by process ..."), and `npm test` starts the tool installers
// in parallel. So every apt-get of this project goes through ONE lock in the tool cache (the
// same name for every package), and apt itself is told to wait for its own locks for a bounded
// time, in case something outside this project (unattended-upgrades, a user) holds them.
const fs = require('fs');
const { withLock, run, log } = require('./lib');

const APT_LOCK_WAIT_SECONDS = 600;
const aptOptions = ['-o', `DPkg::Lock::Timeout=${APT_LOCK_WAIT_SECONDS}`];

/**
 * Runs `apt-get update` and `apt-get install -y --no-install-recommends <packages>` under the
 * machine-wide apt lock, unless `isInstalled()` already says yes once the lock is held (another
 * installer may have brought it meanwhile). Needs root.
 */
async function aptInstall(tool, packages, isInstalled) {
  if (isInstalled()) return;
  await withLock(tool, 'apt', async () => {
    if (isInstalled()) {
      log(tool, `installed by another process meanwhile: ${packages.join(' ')}`);
      return;
    }
    if (typeof process.getuid === 'function' && process.getuid() !== 0) {
      throw new Error(`${packages.join(' ')} missing and installing needs root: run apt-get install -y ${packages.join(' ')}`);
    }
    const t0 = Date.now();
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    await run(tool, 'apt-get', [...aptOptions, 'update'], { env });
    await run(tool, 'apt-get', [...aptOptions, 'install', '-y', '--no-install-recommends', ...packages], { env });
    log(tool, `apt-get installed ${packages.join(' ')} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });
}

/**
 * The file a Debian package installs at a known path (`/usr/bin/chromium`, `/usr/bin/redis-server`):
 * returned at once when present, otherwise installed with aptInstall and checked again.
 */
async function ensureAptFile(tool, pkg, file) {
  if (fs.existsSync(file)) {
    log(tool, `present: ${file}`);
    return file;
  }
  await aptInstall(tool, [pkg], () => fs.existsSync(file));
  if (!fs.existsSync(file)) throw new Error(`apt-get finished but ${file} is still missing`);
  return file;
}

module.exports = { aptInstall, ensureAptFile, APT_LOCK_WAIT_SECONDS };
