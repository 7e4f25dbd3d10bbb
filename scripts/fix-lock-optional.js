#!/usr/bin/env node
'use strict';
// The registry reachable from this project's machines serves only the Linux builds of some
// platform-specific optional packages, so `npm install` leaves them out of package-lock.json,
// and npm 11's `npm ci` then rejects the lock file as out of sync ("Missing: … from lock file").
// This adds the missing optional entries (version, platform fields, no tarball) so `npm ci`
// accepts the lock file and skips them on platforms they are not for. Run after changing
// dependencies: node scripts/fix-lock-optional.js
const fs = require('fs');
const path = require('path');

const file = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const packages = lock.packages;

function platformOf(name) {
  const osList = ['android', 'darwin', 'freebsd', 'linux', 'openharmony', 'win32', 'netbsd', 'openbsd', 'sunos', 'aix'];
  const cpuList = ['arm64', 'arm', 'ia32', 'x64', 'loong64', 'ppc64', 'riscv64', 's390x', 'mips64el', 'wasm32'];
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => osList.includes(p));
  const cpu = parts.find((p) => cpuList.includes(p));
  const libc = parts.includes('musl') || parts.includes('musleabihf') ? 'musl' : parts.includes('gnu') || parts.includes('gnueabihf') ? 'glibc' : undefined;
  return { os, cpu, libc };
}

let added = 0;
for (const [where, entry] of Object.entries(packages)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies || {})) {
    if (!/^\d+\.\d+\.\d+$/.test(spec)) continue;
    const nested = `${where ? `${where}/` : ''}node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (packages[nested] || packages[hoisted]) continue;
    const { os, cpu, libc } = platformOf(name);
    if (!os && !cpu) continue;
    packages[hoisted] = {
      version: spec,
      ...(cpu ? { cpu: [cpu] } : {}),
      ...(entry.dev ? { dev: true } : {}),
      ...(libc ? { libc: [libc] } : {}),
      optional: true,
      ...(os ? { os: [os] } : {}),
    };
    added++;
  }
}
if (process.argv.includes('--check')) {
  process.stdout.write(added === 0 ? 'package-lock.json lists every optional platform package\n' : `package-lock.json misses ${added} optional platform packages: run node scripts/fix-lock-optional.js\n`);
  process.exit(added === 0 ? 0 : 1);
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`added ${added} optional platform entries\n`);
