'use strict';
// Makes sure Debian's Chromium is installed at /usr/bin/chromium (apt-get, needs root; CI runs
// as root). A lock in the tool cache keeps two callers from running apt-get at once.
// Usage: node scripts/tools/chromium.js   → prints /usr/bin/chromium.
const fs = require('fs');
const { withLock, run, log, cli } = require('./lib');

const TOOL = 'chromium';
const CHROMIUM = process.env.MDCA_CHROMIUM || '/usr/bin/chromium';

async function ensureChromium() {
  if (fs.existsSync(CHROMIUM)) {
    log(TOOL, `present: ${CHROMIUM}`);
    return CHROMIUM;
  }
  return withLock(TOOL, 'chromium-apt', async () => {
    if (fs.existsSync(CHROMIUM)) return CHROMIUM;
    if (typeof process.getuid === 'function' && process.getuid() !== 0) {
      throw new Error(`${CHROMIUM} is missing and installing it needs root: run apt-get install -y chromium`);
    }
    const t0 = Date.now();
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    await run(TOOL, 'apt-get', ['update'], { env });
    await run(TOOL, 'apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { env });
    if (!fs.existsSync(CHROMIUM)) throw new Error(`apt-get finished but ${CHROMIUM} is still missing`);
    log(TOOL, `installed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return CHROMIUM;
  });
}

module.exports = { ensureChromium, CHROMIUM };
cli(module, ensureChromium);
