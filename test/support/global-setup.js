module.exports = require('./run-ca').setup;
