#!/usr/bin/env node
'use strict';
// Rewrites the generated reference pages (docs/reference/*, docs/troubleshooting.md) from the code,
// and the emulator's key profile the connection check compares tenants with
// (core/connection-check/emulator-key-profile.json, from a run against the emulator).
const { spawnSync } = require('child_process');
const path = require('path');
const root = path.resolve(__dirname, '..');
const jest = (args) =>
  // The test path goes first: --selectProjects takes every word after it as a project name.
  spawnSync(process.execPath, [path.join(root, 'node_modules/jest/bin/jest.js'), ...args], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, MDCA_UPDATE_DOCS: '1' },
  }).status ?? 1;
const docs = jest(['test/core/docs.test.ts', '--selectProjects', 'core']);
const profile = jest(['test/core/connection-check.test.ts', '-t', 'emulator key profile', '--selectProjects', 'core']);
process.exit(docs || profile);
