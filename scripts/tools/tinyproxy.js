'use strict';
// Makes sure Debian's tinyproxy is installed at /usr/bin/tinyproxy (apt-get, needs root; CI runs
// as root). The proxy tests (test/support/proxy-server.ts) start their own instances on free
// ports with their own configuration; the service apt may start is not used.
// Usage: node scripts/tools/tinyproxy.js   → prints /usr/bin/tinyproxy.
const { cli } = require('./lib');
const { ensureAptFile } = require('./apt');

const TINYPROXY = process.env.MDCA_TINYPROXY || '/usr/bin/tinyproxy';
const ensureTinyproxy = () => ensureAptFile('tinyproxy', 'tinyproxy', TINYPROXY);

module.exports = { ensureTinyproxy, TINYPROXY };
cli(module, ensureTinyproxy);
