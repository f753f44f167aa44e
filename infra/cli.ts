// Manages the local infrastructure by hand, outside test runs.
//   npx tsx infra/cli.ts up                  start detached (containers keep running; fixed default ports)
//   npx tsx infra/cli.ts down [--volumes]    remove the detached containers (and their data volumes)
//   npx tsx infra/cli.ts status              containers of every run, ports, data volumes, log commands
//   npx tsx infra/cli.ts logs [component] [-f]   the last lines of one component's log (default kafka)
// Tests never need this: the Jest global setup starts its own instance, or reuses `up`'s.
import { spawn } from 'node:child_process';
import { LABEL } from '../libs/testing/src/engine/container-labels';
import { prepareEngineEnvironment, runtimeClient } from '../libs/testing/src/engine/docker-engine';
import { detachedStatePath, readState, removeState } from '../libs/testing/src/infrastructure-state';
import { startInfrastructure } from '../libs/testing/src/start-infrastructure';
import type { InfrastructureEndpoints } from '../libs/testing/src/infrastructure.types';

const COMPONENTS = ['kafka', 'redis', 'mongo', 'geth-provider', 'geth-issuer'];

function printEndpoints(e: InfrastructureEndpoints): void {
  console.log(`kafka    ${e.kafka.brokers.join(',')}`);
  console.log(`mongo    ${e.mongo.url} (${e.mongo.flavour})`);
  console.log(`redis    ${e.redis.url}`);
  for (const node of e.chain.nodes) console.log(`geth     ${node.name}: ${node.rpcUrl} (etherbase ${node.etherbase})`);
  console.log(`chainId  ${e.chain.chainId}; dev account 0: ${e.chain.accounts[0].address}`);
}

async function listContainers() {
  const docker = (await runtimeClient()).container.dockerode;
  return docker.listContainers({ all: true, filters: { label: [`${LABEL.infra}=true`] } });
}

async function up(): Promise<void> {
  const t0 = Date.now();
  const infra = await startInfrastructure({ detached: true, onProgress: (line) => console.error(`[infra] ${line}`) });
  console.error(`[infra] up in ${((Date.now() - t0) / 1000).toFixed(1)} s; state in ${detachedStatePath()}`);
  printEndpoints(infra);
}

async function down(removeVolumes: boolean): Promise<void> {
  const docker = (await runtimeClient()).container.dockerode;
  const detached = (await listContainers()).filter((c) => c.Labels[LABEL.mode] === 'detached');
  await Promise.all(detached.map((c) => docker.getContainer(c.Id).remove({ force: true })));
  for (const c of detached) console.log(`removed ${c.Names[0].replace(/^\//, '')}`);
  if (removeVolumes) {
    const { Volumes } = await docker.listVolumes();
    for (const v of (Volumes ?? []).filter((v) => /^carechain-.*-data$/.test(v.Name))) {
      await docker.getVolume(v.Name).remove();
      console.log(`removed volume ${v.Name}`);
    }
  }
  removeState(detachedStatePath());
  if (detached.length === 0) console.log('no detached infrastructure was running');
}

async function status(): Promise<void> {
  const containers = await listContainers();
  if (containers.length === 0) console.log('no infrastructure containers (start one with: npx tsx infra/cli.ts up)');
  for (const c of containers) {
    const name = c.Names[0].replace(/^\//, '');
    const l = c.Labels;
    const mounts = c.Mounts.filter((m) => m.Type === 'volume' && m.Name && !/^[0-9a-f]{64}$/.test(m.Name)).map((m) => `${m.Name}:${m.Destination}`);
    console.log(`${name}`);
    console.log(`  component ${l[LABEL.component]}  mode ${l[LABEL.mode]}  owner pid ${l[LABEL.ownerPid]}  ${c.State} (${c.Status})`);
    console.log(`  image ${c.Image}  ports ${l[LABEL.ports] ?? '?'} on 127.0.0.1 (host network)`);
    console.log(`  data ${mounts.length > 0 ? mounts.join(', ') : 'inside the container (removed with it)'}`);
    console.log(`  logs: docker logs -f ${name}   or: npx tsx infra/cli.ts logs ${l[LABEL.component]} -f`);
  }
  const state = readState(detachedStatePath());
  if (state) {
    console.log(`\ndetached instance ${state.session}, started ${state.startedAt}:`);
    printEndpoints(state.endpoints);
  }
  console.log(`\nDOCKER_HOST=${process.env.DOCKER_HOST ?? '(default socket)'}`);
}

async function logs(component: string, follow: boolean): Promise<void> {
  if (!COMPONENTS.includes(component)) throw new Error(`unknown component "${component}"; one of ${COMPONENTS.join(', ')}`);
  const candidates = (await listContainers()).filter((c) => c.Labels[LABEL.component] === component);
  // The detached instance first, then the newest run.
  candidates.sort((a, b) => Number(b.Labels[LABEL.mode] === 'detached') - Number(a.Labels[LABEL.mode] === 'detached') || b.Created - a.Created);
  const target = candidates[0];
  if (!target) throw new Error(`no ${component} container exists`);
  const args = ['logs', '--tail', '200', ...(follow ? ['-f'] : []), target.Id];
  await new Promise<void>((resolve, reject) => {
    const child = spawn('docker', args, { stdio: 'inherit', env: process.env });
    child.on('error', reject);
    child.on('close', () => resolve());
  });
}

async function main(): Promise<void> {
  prepareEngineEnvironment();
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case 'up':
      return up();
    case 'down':
      return down(rest.includes('--volumes'));
    case 'status':
      return status();
    case 'logs':
      return logs(rest.find((a) => !a.startsWith('-')) ?? 'kafka', rest.includes('-f') || rest.includes('--follow'));
    default:
      console.error('usage: npx tsx infra/cli.ts up | down [--volumes] | status | logs [component] [-f]');
      process.exit(2);
  }
}

main().catch((err: unknown) => {
  console.error(`[infra] ${(err as Error).message}`);
  process.exit(1);
});
