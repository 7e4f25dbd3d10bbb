'use strict';
// Installs the n8n community-node lint toolchain (@n8n/node-cli 0.48.3 with its eslint) into the
// tool cache. It is not a devDependency: its resolver pulls platform binaries that this
// registry serves only for Linux, which leaves package-lock.json unusable for `npm ci` on npm 11.
// Usage: node scripts/tools/n8n-lint.js   → prints the folder holding node_modules/@n8n/node-cli.
// API:   const { ensureN8nLint } = require('./n8n-lint'); const { dir, eslintBin, configModule } = await ensureN8nLint();
const fs = require('fs');
const path = require('path');
const { ensureInstalled, run, writePackageJson, npmEnv, cli } = require('./lib');

const VERSION = '0.48.3';
const TOOL = 'n8n-node-cli';

function paths(dir) {
  return {
    dir,
    eslintBin: path.join(dir, 'node_modules', 'eslint', 'bin', 'eslint.js'),
    configModule: path.join(dir, 'node_modules', '@n8n', 'node-cli', 'dist', 'configs', 'eslint.js'),
  };
}

async function ensureN8nLint() {
  const dir = await ensureInstalled({
    tool: TOOL,
    name: `n8n-node-cli-${VERSION}`,
    version: VERSION,
    verify: (d) => fs.existsSync(paths(d).configModule) && fs.existsSync(paths(d).eslintBin),
    install: async (tmp) => {
      writePackageJson(tmp, { '@n8n/node-cli': VERSION });
      await run(TOOL, 'npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: tmp, env: npmEnv({}) });
    },
  });
  return paths(dir);
}

module.exports = { ensureN8nLint, N8N_NODE_CLI_VERSION: VERSION };
cli(module, async () => (await ensureN8nLint()).dir);
