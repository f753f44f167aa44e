/**
 * Architecture rules that the Nx boundary lint cannot express:
 * - a service never imports another service's files;
 * - a service's domain/ is pure: no framework, no I/O, no adapters;
 * - application/ (use cases) does not reach into api/ or infrastructure/ (it talks to ports);
 * - production code never imports the testing lib;
 * - libs never import services.
 */
const services = ['registry', 'provider-storage', 'attribute-issuer', 'auth', 'audit', 'chain-relay'];
const frameworkAndIo =
  '^(@nestjs|kafkajs|mongoose|mongodb|ioredis|ethers|express|pino|nestjs-pino|@opentelemetry|testcontainers)(/|$)|^(node:)?(fs|net|http|https|child_process|dgram|tls|dns)(/|$)';

module.exports = {
  forbidden: [
    ...services.map((s) => ({
      name: `no-cross-service-import-${s}`,
      comment: `services/${s} talks to other services through events and HTTP only`,
      severity: 'error',
      from: { path: `^services/${s}/` },
      to: { path: `^services/(?!${s}/)` },
    })),
    {
      name: 'domain-is-pure',
      comment: 'domain/ holds pure rules: no framework, I/O or adapter imports',
      severity: 'error',
      from: { path: '^services/[^/]+/src/domain/' },
      to: { path: [frameworkAndIo, '^services/[^/]+/src/(application|infrastructure|api)/'] },
    },
    {
      name: 'domain-is-pure-packages',
      severity: 'error',
      from: { path: '^services/[^/]+/src/domain/' },
      to: { dependencyTypes: ['npm', 'core'], path: frameworkAndIo },
    },
    {
      name: 'application-uses-ports',
      comment: 'use cases depend on ports, not on adapters or controllers (their tests may wire real adapters)',
      severity: 'error',
      from: { path: '^services/[^/]+/src/application/', pathNot: '\\.spec\\.ts$' },
      to: { path: '^services/[^/]+/src/(infrastructure|api)/' },
    },
    {
      name: 'no-testing-in-production',
      severity: 'error',
      from: { path: '^(services|libs)/[^/]+/src/', pathNot: ['\\.(spec|int-spec|e2e-spec)\\.ts$', '^libs/testing/'] },
      to: { path: '^libs/testing/|^@carechain/testing$' },
    },
    {
      name: 'libs-do-not-import-services',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^services/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules|target)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
  },
};
