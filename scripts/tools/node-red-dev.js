'use strict';
// Installs node-red-dev@0.1.6 (the Node-RED flow-library scorecard tool) into the tool cache.
// Not a devDependency: it is only needed by `npm run validate:node-red` and the lint project.
// Usage: node scripts/tools/node-red-dev.js   → prints the path of its CLI script.
// API:   const { ensureNodeRedDev } = require('./node-red-dev'); const { dir, bin } = await ensureNodeRedDev();
const fs = require('fs');
const path = require('path');
const { ensureInstalled, run, writePackageJson, npmEnv, cli } = require('./lib');

const VERSION = '0.1.6';
const TOOL = 'node-red-dev';

function binIn(dir) {
  const pkgDir = path.join(dir, 'node_modules', 'node-red-dev');
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
    const rel = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin && (pkg.bin['node-red-dev'] || Object.values(pkg.bin)[0]);
    if (rel) return path.join(pkgDir, rel);
  } catch {
    /* not installed yet */
  }
  return path.join(pkgDir, 'bin', 'run');
}

async function ensureNodeRedDev() {
  const dir = await ensureInstalled({
    tool: TOOL,
    name: `node-red-dev-${VERSION}`,
    version: VERSION,
    verify: (d) => fs.existsSync(binIn(d)),
    install: async (tmp) => {
      writePackageJson(tmp, { 'node-red-dev': VERSION });
      await run(TOOL, 'npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: tmp, env: npmEnv({}) });
    },
  });
  return { dir, bin: binIn(dir), version: VERSION };
}

module.exports = { ensureNodeRedDev, NODE_RED_DEV_VERSION: VERSION };
cli(module, async () => (await ensureNodeRedDev()).bin);
