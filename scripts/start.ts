// `npm start`: the whole platform in the foreground. It starts (or reuses an `infra up`)
// infrastructure on its default ports, every service from its build, prints the URLs, and on
// Ctrl-C (or SIGTERM) drains the services and stops what it started.
import { InfrastructureError, InfrastructureErrorCode } from '../libs/testing/src/infrastructure.error';
import { startInfrastructure } from '../libs/testing/src/start-infrastructure';
import { join } from 'node:path';
import { cacheDir } from '../libs/testing/src/repo-paths';
import { platformServiceSpecs, startServices } from '../libs/testing/src/services';
import { deployPlatformContracts } from './lib/platform-contracts';

async function main(): Promise<void> {
  const t0 = Date.now();
  const progress = (line: string) => process.stderr.write(`[infra] ${line}\n`);
  // The documented default ports when they are free; free ones (printed below) when something
  // else on this machine holds one of them.
  const infra = await startInfrastructure({ ports: 'default', onProgress: progress }).catch((error: Error) => {
    if (!(error instanceof InfrastructureError && error.code === InfrastructureErrorCode.InvalidOption)) throw error;
    progress(`${error.message}; using free ports instead`);
    return startInfrastructure({ ports: 'free', onProgress: progress });
  });
  let stopping = false;
  const stopInfra = async () => {
    await infra.stop().catch((error: Error) => progress(`stop failed: ${error.message}`));
  };

  process.stderr.write('[carechain] deploying the Registrar and PPR ledger (reused while the chain keeps them)...\n');
  const contracts = await deployPlatformContracts(infra, {
    reuseFile: join(cacheDir(), 'run', `contracts-${infra.chain.nodes[0].rpcUrl.replace(/\W+/g, '_')}.json`),
  }).catch(async (error: Error) => {
    await stopInfra();
    throw error;
  });
  process.stderr.write('[carechain] starting services...\n');
  const specs = platformServiceSpecs(infra, contracts);
  const services = await startServices(specs, {
    onLine: (service, line) => process.stdout.write(`${service.padEnd(26)} | ${line}\n`),
  }).catch(async (error: Error) => {
    await stopInfra();
    throw error;
  });

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n[carechain] ${signal}: stopping services (draining consumers), then infrastructure...\n`);
    await services.stop();
    await stopInfra();
    process.stderr.write('[carechain] stopped cleanly\n');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  for (const service of services.services) {
    service.process.once('exit', (code) => {
      if (!stopping) process.stderr.write(`[carechain] ${service.spec.name} exited unexpectedly (${code})\n`);
    });
  }

  const lines = [
    '',
    `Carechain is up (${((Date.now() - t0) / 1000).toFixed(1)} s). Ctrl-C stops everything.`,
    '',
    'Services (OpenAPI at <url>/docs, readiness at <url>/health/ready, metrics at <url>/metrics):',
    ...services.services.map((s) => `  ${s.spec.name.padEnd(28)} ${s.url}`),
    '',
    `Contracts: Registrar ${contracts.registrarAddress}, PPR ledger ${contracts.ledgerAddress}`,
    '',
    'Infrastructure:',
    `  kafka                        ${infra.kafka.brokers.join(',')}`,
    `  mongo (${infra.mongo.flavour})${' '.repeat(Math.max(1, 21 - infra.mongo.flavour.length))}${infra.mongo.url}`,
    `  redis                        ${infra.redis.url}`,
    ...infra.chain.nodes.map((n) => `  geth ${n.name.padEnd(24)}${n.rpcUrl}  (miner ${n.etherbase})`),
    '',
  ];
  process.stderr.write(lines.join('\n') + '\n');
}

main().catch((error: Error) => {
  process.stderr.write(`[carechain] npm start failed: ${error.message}\n`);
  process.exit(1);
});
