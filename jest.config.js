// Projects mirror the layers: core, emulator, the two hosts, and the end-to-end suites that start
// real hosts (they are selected by scripts/test.js after the tools they need are installed).
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.test.json' }];
const base = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': tsJest },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Two cores run several suites at once: allow for a loaded machine.
  testTimeout: 30_000,
};
const project = (name, extra = {}) => ({
  ...base,
  displayName: name,
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  setupFilesAfterEnv: ['<rootDir>/test/support/setup.ts'],
  ...extra,
});
module.exports = {
  testTimeout: 30_000,
  // One emulator CA for the whole run, trusted by every worker from its start (see run-ca.js).
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  // Tests run in workers forked after that setup, even a single file (jest would run one file in
  // its own process, which started before the CA existed). A worker idle above this is restarted.
  workerIdleMemoryLimit: '2GB',
  projects: [
    project('core'),
    project('emulator'),
    project('n8n'),
    project('node-red'),
    project('triggers'),
    project('reliability'),
    project('xdr'),
    project('graph'),
    project('containment'),
    project('scale'),
    project('tooling'),
    project('e2e-n8n'),
    project('e2e-node-red'),
    project('e2e-scale'),
    project('browser'),
    project('first-run'),
    project('lint'),
  ],
};
