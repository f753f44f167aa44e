import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { GenericContainer } from 'testcontainers';
import { CHAIN_ID } from './chain/genesis';
import { deriveDevAccounts } from './chain/dev-accounts';
import { connectNodes, disconnectNodes, waitForCommonHash } from './components/chain-network';
import { waitComponentReady, type ComponentName } from './components/component-readiness';
import { nodeEnode } from './components/geth-rpc';
import { waitUntil } from './components/wait-until';
import { componentHandle } from './engine/component-handle';
import { LABEL, type ContainerMode } from './engine/container-labels';
import { prepareEngineEnvironment, runtimeClient } from './engine/docker-engine';
import { freePorts, portsInUse } from './engine/free-ports';
import { pidAlive, removeOnExit, sweepOrphans } from './engine/reaper';
import { ensureImages, type ImageName, type ProgressSink } from './images/image-builder';
import { InfrastructureError, InfrastructureErrorCode } from './infrastructure.error';
import { detachedStatePath, readState, removeState, runStatePath, writeState } from './infrastructure-state';
import type {
  ChainNodeName,
  Infrastructure,
  InfrastructureContainers,
  InfrastructureEndpoints,
  InfrastructureState,
  MongoFlavour,
} from './infrastructure.types';
import { cacheDir, stateDir } from './repo-paths';

/** Host ports of one instance. */
export interface InfrastructurePorts {
  kafka: number;
  kafkaController: number;
  redis: number;
  mongo: number;
  providerHttp: number;
  providerP2p: number;
  providerAuthRpc: number;
  issuerHttp: number;
  issuerP2p: number;
  issuerAuthRpc: number;
}

/** The fixed ports of `infra up` / `npm start` (the usual defaults of each product). */
export const DEFAULT_PORTS: InfrastructurePorts = {
  kafka: 9092,
  kafkaController: 9093,
  redis: 6379,
  mongo: 27017,
  providerHttp: 8545,
  providerP2p: 30303,
  providerAuthRpc: 8551,
  issuerHttp: 8546,
  issuerP2p: 30304,
  issuerAuthRpc: 8552,
};

async function freeInfrastructurePorts(): Promise<InfrastructurePorts> {
  const [kafka, kafkaController, redis, mongo, providerHttp, providerP2p, providerAuthRpc, issuerHttp, issuerP2p, issuerAuthRpc] = await freePorts(10);
  return { kafka, kafkaController, redis, mongo, providerHttp, providerP2p, providerAuthRpc, issuerHttp, issuerP2p, issuerAuthRpc };
}

/** Options of {@link startInfrastructure}. */
export interface StartInfrastructureOptions {
  /** 'free' (default): ports found free at start, for test runs. 'default': {@link DEFAULT_PORTS}. */
  ports?: 'free' | 'default';
  /** Receives progress lines (image builds, starts, readiness). */
  onProgress?: ProgressSink;
  /**
   * Containers outlive this process (`infra up`): fixed names `carechain-<component>`, data in
   * named volumes, never reaped; the state goes to .carechain/infra.json. Implies default ports.
   */
  detached?: boolean;
  /** Reuse a live detached instance when one exists (default true). Its stop() leaves it running. */
  reuse?: boolean;
  /** Which MongoDB-wire image to run; default $CARECHAIN_MONGO or 'mongo-java-server'. */
  mongo?: Exclude<MongoFlavour, 'external'>;
  /** An external MongoDB 7 (no Mongo container is started); default $MONGO_URL. */
  mongoUrl?: string;
  /** Full 1 GiB ethash DAG instead of test mode; default $CARECHAIN_ETHASH_FULL === '1'. */
  ethashFull?: boolean;
  /** Install SIGINT/SIGTERM handlers that remove the containers and exit (default true; run mode only). */
  handleSignals?: boolean;
}

function selectedMongo(option?: string): Exclude<MongoFlavour, 'external'> {
  const flavour = option ?? process.env.CARECHAIN_MONGO ?? 'mongo-java-server';
  if (flavour !== 'mongo-java-server' && flavour !== 'ferretdb') {
    throw new InfrastructureError(InfrastructureErrorCode.InvalidOption, `CARECHAIN_MONGO must be mongo-java-server or ferretdb, got "${flavour}"`);
  }
  return flavour;
}

/** The images a start needs under the current environment (MONGO_URL, CARECHAIN_MONGO). */
export function defaultImageNames(options: Pick<StartInfrastructureOptions, 'mongo' | 'mongoUrl'> = {}): ImageName[] {
  const names: ImageName[] = ['kafka', 'redis', 'geth'];
  if (!(options.mongoUrl ?? process.env.MONGO_URL)) names.push(selectedMongo(options.mongo));
  return names;
}

/** Builds the handle-bearing Infrastructure object for a recorded state. */
export function infrastructureFromState(state: InfrastructureState, stop: () => Promise<void>): Infrastructure {
  const e = state.endpoints;
  const c = state.containers;
  const handle = (component: ComponentName, id: string) => componentHandle(id, component, () => waitComponentReady(component, e));
  const nodes = e.chain.nodes;
  return {
    ...e,
    handles: {
      kafka: handle('kafka', c.kafka),
      redis: handle('redis', c.redis),
      ...(c.mongo ? { mongo: handle('mongo', c.mongo) } : {}),
      geth: { provider: handle('geth-provider', c['geth-provider']), issuer: handle('geth-issuer', c['geth-issuer']) },
      chain: {
        partition: () => disconnectNodes(nodes, 30_000),
        heal: async () => {
          // Under load geth's downloader can drop a slow peer mid-sync and re-dial it ~35 s
          // later, so convergence after a long partition is given several such cycles.
          await connectNodes(nodes, 120_000);
          await waitForCommonHash(nodes, 240_000);
        },
      },
    },
    stop,
  };
}

/** Deletes state files of test runs whose owner process is gone (their containers were just swept). */
function removeDeadRunStates(): void {
  let files: string[];
  try {
    files = readdirSync(join(stateDir(), 'runs')).filter((f) => f.endsWith('.json'));
  } catch {
    return;
  }
  for (const file of files) {
    const path = runStatePath(file.replace(/\.json$/, ''));
    try {
      const state = readState(path);
      if (state && !pidAlive(state.ownerPid)) removeState(path);
    } catch {
      removeState(path);
    }
  }
}

/** True when every container of the state is running. */
async function allRunning(containers: InfrastructureContainers): Promise<boolean> {
  const docker = (await runtimeClient()).container.dockerode;
  const ids = Object.values(containers).filter((id): id is string => typeof id === 'string');
  const states = await Promise.all(ids.map((id) => docker.getContainer(id).inspect().then((i) => i.State.Running, () => false)));
  return states.every(Boolean);
}

/** The live detached (`infra up`) instance, ready, or undefined. */
async function liveDetached(progress: ProgressSink): Promise<InfrastructureState | undefined> {
  const state = readState(detachedStatePath());
  if (!state || !(await allRunning(state.containers))) return undefined;
  progress('reusing the running `infra up` instance');
  const components = Object.keys(state.containers) as ComponentName[];
  await Promise.all(components.map((component) => waitComponentReady(component, state.endpoints, 30_000)));
  return state;
}

interface ContainerSpec {
  component: ComponentName;
  image: string;
  env: Record<string, string>;
  ports: Record<string, number>;
  /** Mount point of the component's data; a named volume in detached mode. */
  dataDir: string;
  extraBinds?: { source: string; target: string }[];
}

async function startContainer(spec: ContainerSpec, mode: ContainerMode, session: string): Promise<string> {
  const name = mode === 'detached' ? `carechain-${spec.component}` : `carechain-${session}-${spec.component}`;
  let container = new GenericContainer(spec.image)
    .withName(name)
    .withNetworkMode('host')
    .withEnvironment(spec.env)
    .withLabels({
      [LABEL.infra]: 'true',
      [LABEL.session]: session,
      [LABEL.ownerPid]: String(process.pid),
      [LABEL.ownerHost]: hostname(),
      [LABEL.mode]: mode,
      [LABEL.component]: spec.component,
      [LABEL.ports]: JSON.stringify(spec.ports),
    })
    .withStartupTimeout(60_000);
  const binds = [...(spec.extraBinds ?? [])];
  if (mode === 'detached') binds.push({ source: `carechain-${spec.component}-data`, target: spec.dataDir });
  if (binds.length > 0) container = container.withBindMounts(binds.map((b) => ({ ...b, mode: 'rw' as const })));
  try {
    const started = await container.start();
    return started.getId();
  } catch (err) {
    throw new InfrastructureError(InfrastructureErrorCode.ContainerFailed, `starting ${name} from ${spec.image} failed: ${(err as Error).message}`, { cause: err });
  }
}

async function removeContainers(ids: string[]): Promise<void> {
  const docker = (await runtimeClient()).container.dockerode;
  await Promise.all(ids.map((id) => docker.getContainer(id).remove({ force: true, v: true }).catch(() => undefined)));
}

/**
 * Starts Kafka, the MongoDB-wire store (unless MONGO_URL is set), Redis and two peered
 * geth proof-of-work miners in locally built containers (testcontainers, host networking,
 * everything on 127.0.0.1), and resolves once every part is ready (see the README for what
 * "ready" means per component).
 *
 * Images are built first when their content-hash tag is missing. Containers left behind by a
 * crashed run are swept. A live `infra up` instance is reused instead of starting another
 * (unless `reuse: false`). In run mode the containers are removed when this process exits.
 */
export async function startInfrastructure(options: StartInfrastructureOptions = {}): Promise<Infrastructure> {
  const progress: ProgressSink = options.onProgress ?? (() => undefined);
  const mode: ContainerMode = options.detached ? 'detached' : 'run';
  const t0 = Date.now();
  const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  prepareEngineEnvironment();

  if (options.reuse !== false) {
    const reused = await liveDetached(progress);
    if (reused) return infrastructureFromState(reused, async () => undefined);
  }
  if (mode === 'detached' && readState(detachedStatePath())) {
    throw new InfrastructureError(InfrastructureErrorCode.InvalidOption, 'an `infra up` instance exists but is not running; run `infra down` first');
  }

  const swept = await sweepOrphans();
  if (swept.length > 0) progress(`removed ${swept.length} containers of crashed runs: ${swept.join(', ')}`);
  removeDeadRunStates();

  const mongoUrlOverride = options.mongoUrl ?? process.env.MONGO_URL;
  const mongoFlavour = mongoUrlOverride ? undefined : selectedMongo(options.mongo);
  const tags = await ensureImages(defaultImageNames(options), progress);

  const useDefaultPorts = options.ports === 'default' || mode === 'detached';
  const ports = useDefaultPorts ? DEFAULT_PORTS : await freeInfrastructurePorts();
  if (useDefaultPorts) {
    // On a shared host another process may hold a default port; say which, instead of
    // letting a container die on bind and a readiness probe time out.
    const entries = Object.entries(DEFAULT_PORTS) as [keyof InfrastructurePorts, number][];
    const busy = await portsInUse(entries.map(([, port]) => port));
    if (busy.length > 0) {
      const names = entries.filter(([, port]) => busy.includes(port)).map(([name, port]) => `${port} (${name})`);
      throw new InfrastructureError(InfrastructureErrorCode.InvalidOption, `default ports already in use on 127.0.0.1: ${names.join(', ')}; stop what holds them, or use ports: 'free'`);
    }
  }
  const session = `${mode === 'detached' ? 'up' : 'run'}-${Date.now().toString(36)}-${randomBytes(2).toString('hex')}`;
  const accounts = deriveDevAccounts();
  const ethashFull = options.ethashFull ?? process.env.CARECHAIN_ETHASH_FULL === '1';
  const ethashBinds = ethashFull ? [{ source: join(cacheDir(), 'ethash'), target: '/ethash' }] : undefined;
  if (ethashFull) mkdirSync(join(cacheDir(), 'ethash'), { recursive: true });

  const specs: ContainerSpec[] = [
    {
      component: 'kafka',
      image: tags.kafka,
      env: { KAFKA_PORT: String(ports.kafka), KAFKA_CONTROLLER_PORT: String(ports.kafkaController) },
      ports: { broker: ports.kafka, controller: ports.kafkaController },
      dataDir: '/data',
    },
    {
      component: 'redis',
      image: tags.redis,
      env: { REDIS_PORT: String(ports.redis), REDIS_APPENDONLY: mode === 'detached' ? 'yes' : 'no' },
      ports: { redis: ports.redis },
      dataDir: '/data',
    },
    ...(mongoFlavour
      ? [{ component: 'mongo' as const, image: tags[mongoFlavour], env: { MONGO_PORT: String(ports.mongo), MONGO_HOST: '127.0.0.1' }, ports: { mongo: ports.mongo }, dataDir: '/data' }]
      : []),
    ...(['provider', 'issuer'] as const).map((node, index) => ({
      component: `geth-${node}` as const,
      image: tags.geth,
      env: {
        GETH_HTTP_PORT: String(node === 'provider' ? ports.providerHttp : ports.issuerHttp),
        GETH_P2P_PORT: String(node === 'provider' ? ports.providerP2p : ports.issuerP2p),
        GETH_AUTHRPC_PORT: String(node === 'provider' ? ports.providerAuthRpc : ports.issuerAuthRpc),
        GETH_ETHERBASE: accounts[index].address,
        GETH_ETHASH_FULL: ethashFull ? '1' : '0',
      },
      ports: node === 'provider'
        ? { http: ports.providerHttp, p2p: ports.providerP2p, authrpc: ports.providerAuthRpc }
        : { http: ports.issuerHttp, p2p: ports.issuerP2p, authrpc: ports.issuerAuthRpc },
      dataDir: '/data',
      extraBinds: ethashBinds,
    })),
  ];

  progress(`starting ${specs.map((s) => s.component).join(', ')} (${mode}, ${useDefaultPorts ? 'default' : 'free'} ports)...`);
  const started: Partial<Record<ComponentName, string>> = {};
  let cancelExitHooks: () => void = () => undefined;
  const results = await Promise.allSettled(
    specs.map(async (spec) => {
      started[spec.component] = await startContainer(spec, mode, session);
    }),
  );
  const startedIds = () => Object.values(started).filter((id): id is string => typeof id === 'string');
  if (mode === 'run') cancelExitHooks = removeOnExit(startedIds(), options.handleSignals ?? true);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    await removeContainers(startedIds());
    cancelExitHooks();
    throw failure.reason;
  }
  progress(`containers started in ${elapsed()}; waiting for readiness...`);

  const rpcUrl = (port: number) => `http://127.0.0.1:${port}`;
  try {
    const nodeUrls: Record<ChainNodeName, string> = { provider: rpcUrl(ports.providerHttp), issuer: rpcUrl(ports.issuerHttp) };
    const enodes = await Promise.all(
      (['provider', 'issuer'] as const).map((n) => waitUntil(`geth ${n} rpc`, () => nodeEnode(nodeUrls[n]), 60_000, 250)),
    );
    const endpoints: InfrastructureEndpoints = {
      kafka: { brokers: [`127.0.0.1:${ports.kafka}`] },
      mongo: mongoFlavour ? { url: `mongodb://127.0.0.1:${ports.mongo}`, flavour: mongoFlavour } : { url: mongoUrlOverride!, flavour: 'external' },
      redis: { url: `redis://127.0.0.1:${ports.redis}` },
      chain: {
        chainId: CHAIN_ID,
        nodes: (['provider', 'issuer'] as const).map((name, i) => ({ name, rpcUrl: nodeUrls[name], etherbase: accounts[i].address, enode: enodes[i] })),
        accounts,
      },
    };
    const components: ComponentName[] = ['kafka', 'redis', ...(mongoFlavour ? ['mongo' as const] : []), 'geth-provider', 'geth-issuer'];
    await Promise.all(
      components.map(async (component) => {
        const t = Date.now();
        await waitComponentReady(component, endpoints);
        progress(`${component} ready (${((Date.now() - t) / 1000).toFixed(1)} s)`);
      }),
    );
    if (mongoUrlOverride) await waitComponentReady('mongo', endpoints, 30_000);

    const state: InfrastructureState = {
      version: 1,
      session,
      mode,
      ownerPid: process.pid,
      startedAt: new Date(t0).toISOString(),
      endpoints,
      containers: started as unknown as InfrastructureContainers,
    };
    if (mode === 'detached') writeState(detachedStatePath(), state);
    progress(`infrastructure ready in ${elapsed()}`);

    let stopped = false;
    return Object.assign(
      infrastructureFromState(state, async () => {
        if (stopped) return;
        stopped = true;
        await removeContainers(startedIds());
        cancelExitHooks();
        if (mode === 'detached') removeState(detachedStatePath());
      }),
      { state },
    );
  } catch (err) {
    await removeContainers(startedIds());
    cancelExitHooks();
    throw err;
  }
}
