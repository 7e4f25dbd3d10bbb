#!/usr/bin/env node
'use strict';
// `npm run lint`: n8n's community-node lint (eslint with @n8n/node-cli's configWithoutCloudSupport,
// see eslint.config.mjs) over credentials/, nodes/ and package.json. The toolchain is installed
// once into the tool cache.
const { spawnSync } = require('child_process');
const path = require('path');
const { ensureN8nLint } = require('./tools/n8n-lint');

(async () => {
  const { dir, eslintBin } = await ensureN8nLint();
  const result = spawnSync(process.execPath, [eslintBin, '.', ...process.argv.slice(2)], {
    cwd: path.resolve(__dirname, '..'),
    stdio: 'inherit',
    env: { ...process.env, MDCA_N8N_NODE_CLI_DIR: dir },
  });
  process.exit(result.status ?? 1);
})().catch((error) => {
  process.stderr.write(`lint: ${error.message}\n`);
  process.exit(1);
});
