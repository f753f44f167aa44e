import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A MongoDB-wire server the benchmark can start, from an image folder under infra/images. */
export interface StoreCandidate {
  /** Key in bench/results/store.json. */
  name: string;
  /** Folder under infra/images holding its Dockerfile and prepare.sh. */
  imageFolder: string;
  description: string;
  /**
   * Lower runs first. The candidate that inserts fastest runs first, so that the slower one,
   * which gets whatever is left of the run's fill time, still reaches 100k documents.
   */
  runOrder: number;
}

/** The two servers that install here from the package registries (see docs/store.md). */
export const STORE_CANDIDATES: readonly StoreCandidate[] = [
  {
    name: 'mongo-java-server',
    imageFolder: 'mongo-java-server',
    description: 'mongo-java-server 1.47.0, H2 MVStore file backend (Java 17)',
    runOrder: 2,
  },
  {
    name: 'ferretdb-sqlite',
    imageFolder: 'ferretdb',
    description: 'FerretDB 1.24.2, SQLite handler (pure Go)',
    runOrder: 1,
  },
];

/** A running candidate: a container on the host network, listening on loopback only. */
export interface RunningStore {
  url: string;
  containerName: string;
  stop(): Promise<void>;
}

const repoRoot = resolve(__dirname, '..', '..');

/** The engine the rest of the project uses: DOCKER_HOST, else the one kept in the cache. */
function dockerEnv(): NodeJS.ProcessEnv {
  if (process.env.DOCKER_HOST) return process.env;
  const socket = join(process.env.CARECHAIN_CACHE ?? join(homedir(), '.cache', 'carechain'), 'docker', 'docker.sock');
  return existsSync(socket) ? { ...process.env, DOCKER_HOST: `unix://${socket}` } : process.env;
}

function runVisible(command: string, args: string[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'], env: dockerEnv() });
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`${command} ${args.join(' ')} exited ${code}`))));
  });
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
function freeLoopbackPort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no port'))));
    });
  });
}

/**
 * Builds the candidate's image (prepare.sh, then docker build; both reuse their caches, so a
 * second run takes seconds) and returns its tag.
 */
export async function buildStoreImage(candidate: StoreCandidate): Promise<string> {
  const folder = join(repoRoot, 'infra', 'images', candidate.imageFolder);
  const tag = `carechain/bench-store-${candidate.name}:local`;
  if (existsSync(join(folder, 'prepare.sh'))) await runVisible('bash', [join(folder, 'prepare.sh')]);
  await runVisible('docker', ['build', '--network', 'host', '-q', '-t', tag, folder]);
  return tag;
}

/**
 * Starts the image with host networking on a free loopback port and a fresh data directory on
 * the host, and resolves once the server prints its ready line (or rejects after 60 s).
 * stop() sends SIGTERM (docker stop), removes the container and deletes the data directory.
 */
export async function startStore(candidate: StoreCandidate, image: string): Promise<RunningStore> {
  const port = await freeLoopbackPort();
  const dataDir = mkdtempSync(join(tmpdir(), `carechain-bench-${candidate.name}-`));
  const containerName = `carechain-bench-store-${candidate.name}-${process.pid}`;
  const env = dockerEnv();
  await run('docker', ['rm', '-f', containerName], { env }).catch(() => undefined);
  await run(
    'docker',
    ['run', '-d', '--name', containerName, '--network', 'host', '-e', 'MONGO_HOST=127.0.0.1', '-e', `MONGO_PORT=${port}`, '-v', `${dataDir}:/data`, image],
    { env },
  );

  const stop = async (): Promise<void> => {
    await run('docker', ['stop', '-t', '20', containerName], { env }).catch(() => undefined);
    await run('docker', ['rm', '-f', containerName], { env }).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    const { stdout, stderr } = await run('docker', ['logs', containerName], { env });
    if (stdout.includes('carechain-store ready')) break;
    const state = (await run('docker', ['inspect', '-f', '{{.State.Running}}', containerName], { env })).stdout.trim();
    if (state !== 'true' || Date.now() > deadline) {
      await stop();
      throw new Error(`${candidate.name} did not become ready: ${(stdout + stderr).trim().slice(-500)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url: `mongodb://127.0.0.1:${port}/?directConnection=true`, containerName, stop };
}
