'use strict';
// Makes sure Debian's Redis server is installed at /usr/bin/redis-server (apt-get, needs root; CI
// runs as root). apt does not start it: the scale tests start their own on a free port without
// persistence. apt.js serialises every apt-get of the project behind one lock.
// Usage: node scripts/tools/redis.js   → prints /usr/bin/redis-server.
const fs = require('fs');
const { log, cli } = require('./lib');
const { aptInstall } = require('./apt');

const TOOL = 'redis';
const REDIS = process.env.MDCA_REDIS_SERVER || '/usr/bin/redis-server';

async function ensureRedis() {
  if (fs.existsSync(REDIS)) {
    log(TOOL, `present: ${REDIS}`);
    return REDIS;
  }
  await aptInstall(TOOL, ['redis-server'], () => fs.existsSync(REDIS));
  if (!fs.existsSync(REDIS)) throw new Error(`apt-get finished but ${REDIS} is still missing`);
  return REDIS;
}

module.exports = { ensureRedis, REDIS };
cli(module, ensureRedis);
