'use strict';
// Makes sure Debian's Redis server is installed at /usr/bin/redis-server (apt-get, needs root; CI
// runs as root). apt does not start it: the scale tests start their own on a free port without
// persistence. apt.js serialises every apt-get of the project behind one lock.
// Usage: node scripts/tools/redis.js   → prints /usr/bin/redis-server.
const { cli } = require('./lib');
const { ensureAptFile } = require('./apt');

const REDIS = process.env.MDCA_REDIS_SERVER || '/usr/bin/redis-server';
const ensureRedis = () => ensureAptFile('redis', 'redis-server', REDIS);

module.exports = { ensureRedis, REDIS };
cli(module, ensureRedis);
