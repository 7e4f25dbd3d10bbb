'use strict';
// Installs node-red@5.0.7 into the tool cache, to run on the Node 24 binary (Node-RED 5 needs
// Node >= 22.9). Node-RED 4.1.15 is a devDependency of the repo and runs on the default Node 20.
// Usage: node scripts/tools/node-red.js   → prints the path of red.js.
// API:   const { ensureNodeRed5 } = require('./node-red'); const { redJs, node } = await ensureNodeRed5();
const fs = require('fs');
const path = require('path');
const { ensureInstalled, run, writePackageJson, npmEnv, cli } = require('./lib');
const { ensureNode24 } = require('./node24');

const VERSION = '5.0.7';
const TOOL = 'node-red';

function redIn(dir) {
  return path.join(dir, 'node_modules', 'node-red', 'red.js');
}

async function ensureNodeRed5() {
  const node = await ensureNode24();
  const dir = await ensureInstalled({
    tool: TOOL,
    name: `node-red-${VERSION}`,
    version: VERSION,
    verify: (d) => fs.existsSync(redIn(d)),
    install: async (tmp) => {
      writePackageJson(tmp, { 'node-red': VERSION });
      const env = npmEnv({
        PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH || ''}`,
        npm_config_nodedir: path.dirname(path.dirname(node)),
      });
      await run(TOOL, 'npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: tmp, env });
    },
  });
  return { dir, redJs: redIn(dir), node, version: VERSION };
}

/** Node-RED 4 from the repo's own node_modules, on the current (Node 20) binary. */
function nodeRed4() {
  const redJs = require.resolve('node-red/red.js', { paths: [path.join(__dirname, '..', '..')] });
  return { redJs, node: process.execPath, version: require(path.join(path.dirname(redJs), 'package.json')).version };
}

module.exports = { ensureNodeRed5, nodeRed4, NODE_RED5_VERSION: VERSION };
cli(module, async () => (await ensureNodeRed5()).redJs);
