'use strict';
// Makes sure Debian's PostgreSQL server binaries are installed (n8n's queue mode needs a shared
// database; n8n 2.40.7 warns that it wants 16/17 but runs on Debian 12's 15 (docs/scale-out.md)).
// apt does not start a cluster: the scale e2e creates a
// private one per run (test/support/postgres-server.ts). Needs root to install (CI runs as root).
// Usage: node scripts/tools/postgres.js   → prints the bin folder (holds initdb and postgres).
const fs = require('fs');
const path = require('path');
const { log, cli } = require('./lib');
const { aptInstall } = require('./apt');

const TOOL = 'postgres';
const ROOT = '/usr/lib/postgresql';

/** The newest /usr/lib/postgresql/<major>/bin that has initdb and postgres (major ≥ 15). */
function findBinDir() {
  if (process.env.MDCA_POSTGRES_BIN && fs.existsSync(path.join(process.env.MDCA_POSTGRES_BIN, 'initdb'))) return process.env.MDCA_POSTGRES_BIN;
  let majors = [];
  try {
    majors = fs.readdirSync(ROOT).map(Number).filter((n) => n >= 15).sort((a, b) => b - a);
  } catch {
    return null;
  }
  for (const m of majors) {
    const bin = path.join(ROOT, String(m), 'bin');
    if (fs.existsSync(path.join(bin, 'initdb')) && fs.existsSync(path.join(bin, 'postgres'))) return bin;
  }
  return null;
}

async function ensurePostgres() {
  const found = findBinDir();
  if (found) {
    log(TOOL, `present: ${found}`);
    return found;
  }
  // postgresql-15 is Debian 12's server; the package's postinst creates the "postgres" user.
  await aptInstall(TOOL, ['postgresql-15'], () => !!findBinDir());
  const bin = findBinDir();
  if (!bin) throw new Error(`apt-get finished but no initdb under ${ROOT}/*/bin`);
  return bin;
}

module.exports = { ensurePostgres, findBinDir };
cli(module, ensurePostgres);
