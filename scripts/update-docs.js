#!/usr/bin/env node
'use strict';
// Rewrites the generated reference pages (docs/reference/*, docs/troubleshooting.md) from the code.
const { spawnSync } = require('child_process');
const path = require('path');
const root = path.resolve(__dirname, '..');
// The test path goes first: --selectProjects takes every word after it as a project name.
const result = spawnSync(process.execPath, [path.join(root, 'node_modules/jest/bin/jest.js'), 'test/core/docs.test.ts', '--selectProjects', 'core'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, MDCA_UPDATE_DOCS: '1' },
});
process.exit(result.status ?? 1);
