'use strict';
// Makes sure Debian's Chromium is installed at /usr/bin/chromium (apt-get, needs root; CI runs
// as root). apt.js serialises every apt-get of the project behind one lock.
// Usage: node scripts/tools/chromium.js   → prints /usr/bin/chromium.
const fs = require('fs');
const { log, cli } = require('./lib');
const { aptInstall } = require('./apt');

const TOOL = 'chromium';
const CHROMIUM = process.env.MDCA_CHROMIUM || '/usr/bin/chromium';

async function ensureChromium() {
  if (fs.existsSync(CHROMIUM)) {
    log(TOOL, `present: ${CHROMIUM}`);
    return CHROMIUM;
  }
  await aptInstall(TOOL, ['chromium'], () => fs.existsSync(CHROMIUM));
  if (!fs.existsSync(CHROMIUM)) throw new Error(`apt-get finished but ${CHROMIUM} is still missing`);
  return CHROMIUM;
}

module.exports = { ensureChromium, CHROMIUM };
cli(module, ensureChromium);
