'use strict';
// Makes sure Debian's Redis server is installed at /usr/bin/redis-server (apt-get, needs root; CI
// runs as root). apt does not start it: the scale tests start their own on a free port without
// persistence. A lock in the tool cache keeps two callers from running apt-get at once.
// Usage: node scripts/tools/redis.js   → prints /usr/bin/redis-server.
const fs = require('fs');
const { withLock, run, log, cli } = require('./lib');

const TOOL = 'redis';
const REDIS = process.env.MDCA_REDIS_SERVER || '/usr/bin/redis-server';

async function ensureRedis() {
  if (fs.existsSync(REDIS)) {
    log(TOOL, `present: ${REDIS}`);
    return REDIS;
  }
  return withLock(TOOL, 'redis-apt', async () => {
    if (fs.existsSync(REDIS)) return REDIS;
    if (typeof process.getuid === 'function' && process.getuid() !== 0) {
      throw new Error(`${REDIS} is missing and installing it needs root: run apt-get install -y redis-server`);
    }
    const t0 = Date.now();
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    await run(TOOL, 'apt-get', ['update'], { env });
    await run(TOOL, 'apt-get', ['install', '-y', '--no-install-recommends', 'redis-server'], { env });
    if (!fs.existsSync(REDIS)) throw new Error(`apt-get finished but ${REDIS} is still missing`);
    log(TOOL, `installed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return REDIS;
  });
}

module.exports = { ensureRedis, REDIS };
cli(module, ensureRedis);
