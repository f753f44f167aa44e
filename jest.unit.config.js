// Unit tests: pure logic and in-memory fakes only, no containers. Fast, run first.
const preset = require('./jest.preset');

module.exports = {
  ...preset,
  displayName: 'unit',
  testMatch: ['<rootDir>/{libs,services,bench,infra}/**/*.spec.ts'],
};
