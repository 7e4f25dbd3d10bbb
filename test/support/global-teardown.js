module.exports = require('./run-ca').teardown;
