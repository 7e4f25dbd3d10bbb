'use strict';
// Makes sure Debian's Chromium is installed at /usr/bin/chromium (apt-get, needs root; CI runs
// as root). apt.js serialises every apt-get of the project behind one lock.
// Usage: node scripts/tools/chromium.js   → prints /usr/bin/chromium.
const { cli } = require('./lib');
const { ensureAptFile } = require('./apt');

const CHROMIUM = process.env.MDCA_CHROMIUM || '/usr/bin/chromium';
const ensureChromium = () => ensureAptFile('chromium', 'chromium', CHROMIUM);

module.exports = { ensureChromium, CHROMIUM };
cli(module, ensureChromium);
