// Integration (*.int-spec.ts) and end-to-end (*.e2e-spec.ts) tests on the real
// infrastructure: Kafka, the MongoDB-wire store, Redis and the two-miner geth PoW chain,
// started once per run in containers by libs/testing's global setup and shared by every file.
const preset = require('./jest.preset');

module.exports = {
  ...preset,
  displayName: 'integration',
  testMatch: ['<rootDir>/{libs,services,test}/**/*.{int,e2e}-spec.ts'],
  globalSetup: '<rootDir>/libs/testing/src/jest/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/jest/global-teardown.ts',
  testTimeout: 180_000,
  maxWorkers: 1,
};
