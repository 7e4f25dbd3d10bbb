#!/usr/bin/env node
// `npm run bench [-- --quick]`: see bench/run.js and docs/performance.md.
require('../bench/run.js');
