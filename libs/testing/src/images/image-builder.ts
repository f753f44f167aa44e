import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { InfrastructureError, InfrastructureErrorCode } from '../infrastructure.error';
import { repoRoot } from '../repo-paths';

/** The base every image is built FROM (see infra/images/base/build.sh). */
export const BASE_IMAGE = 'carechain/base:bookworm';

/** Images this lib knows how to build, each a folder under infra/images/. */
export type ImageName = 'kafka' | 'redis' | 'geth' | 'mongo-java-server' | 'ferretdb';

/**
 * Files outside an image's folder that its build reads (its prepare.sh copies them in), so
 * they count towards the content hash.
 */
const EXTRA_INPUTS: Partial<Record<ImageName, string[]>> = {
  geth: ['infra/chain/genesis.json'],
};

/** Receives one human-readable progress line at a time. */
export type ProgressSink = (line: string) => void;

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // .build/ holds prepare.sh's output, derived from the hashed inputs; README changes
    // do not change the image.
    if (entry.name === '.build' || entry.name === 'README.md') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/**
 * The content hash that names an image: SHA-256 over every file of infra/images/<name>/
 * (paths, contents and the executable bit, except .build/ and README.md), the image's extra
 * inputs, and the id of the base image it starts FROM. Equal hashes mean an equal image, so
 * a tag `carechain/<name>:<hash>` that exists is never rebuilt.
 */
export function imageContentHash(name: ImageName, baseImageId: string): string {
  const root = repoRoot();
  const folder = join(root, 'infra', 'images', name);
  if (!existsSync(join(folder, 'Dockerfile'))) {
    throw new InfrastructureError(InfrastructureErrorCode.ImageBuildFailed, `infra/images/${name}/Dockerfile does not exist`);
  }
  const files = [...listFiles(folder), ...(EXTRA_INPUTS[name] ?? []).map((p) => join(root, p))].sort();
  const hash = createHash('sha256');
  hash.update(`base ${baseImageId}\n`);
  for (const file of files) {
    const executable = (statSync(file).mode & 0o111) !== 0;
    hash.update(`${relative(root, file)} ${executable ? 'x' : '-'}\n`);
    hash.update(readFileSync(file));
    hash.update('\n');
  }
  return hash.digest('hex').slice(0, 16);
}

/** The tag an image with the given content hash carries. */
export function imageTag(name: ImageName, hash: string): string {
  return `carechain/${name}:${hash}`;
}

/** Runs a command, forwarding each output line to `progress` with a prefix. */
function run(command: string, args: string[], progress: ProgressSink, prefix: string, cwd?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const onData = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split(/\r?\n/)) {
        const trimmed = line.trimEnd();
        if (!trimmed) continue;
        tail.push(trimmed);
        if (tail.length > 30) tail.shift();
        progress(`${prefix}${trimmed}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (err) => reject(err));
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${tail.join('\n')}`));
    });
  });
}

/** Runs a command and returns its stdout, or undefined when it fails. */
function capture(command: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: process.env, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.on('error', () => resolve(undefined));
    child.on('close', (code) => resolve(code === 0 ? out.trim() : undefined));
  });
}

async function imageId(tag: string): Promise<string | undefined> {
  return capture('docker', ['image', 'inspect', '--format', '{{.Id}}', tag]);
}

/**
 * Makes sure carechain/base:bookworm exists (infra/images/base/build.sh: pulled
 * debian:bookworm-slim, or debootstrap + docker import) and returns its image id.
 */
export async function ensureBaseImage(progress: ProgressSink = () => undefined): Promise<string> {
  const existing = await imageId(BASE_IMAGE);
  if (existing) return existing;
  progress(`building ${BASE_IMAGE} (about a minute)...`);
  try {
    await run('bash', [join(repoRoot(), 'infra', 'images', 'base', 'build.sh')], progress, 'base: ');
  } catch (err) {
    throw new InfrastructureError(InfrastructureErrorCode.ImageBuildFailed, `building ${BASE_IMAGE} failed`, { cause: err });
  }
  const id = await imageId(BASE_IMAGE);
  if (!id) throw new InfrastructureError(InfrastructureErrorCode.ImageBuildFailed, `${BASE_IMAGE} is missing after its build`);
  return id;
}

/**
 * Returns the tag of each requested image, building only those whose content-hash tag is
 * missing: the folder's prepare.sh (if any) first, then `docker build --network host`, with
 * every output line sent to `progress` so a cold build of several minutes never looks hung.
 * Each built image is also tagged `carechain/<name>:latest` for use by hand.
 */
export async function ensureImages(names: ImageName[], progress: ProgressSink = () => undefined): Promise<Record<ImageName, string>> {
  const baseId = await ensureBaseImage(progress);
  const tags = {} as Record<ImageName, string>;
  // One at a time: builds are CPU- and network-bound, and the machine has two cores.
  for (const name of names) {
    const tag = imageTag(name, imageContentHash(name, baseId));
    tags[name] = tag;
    if (await imageId(tag)) continue;
    const folder = join(repoRoot(), 'infra', 'images', name);
    const started = Date.now();
    progress(`building image ${tag} (cold builds take a minute or more)...`);
    try {
      if (existsSync(join(folder, 'prepare.sh'))) {
        await run('bash', [join(folder, 'prepare.sh')], progress, `${name} prepare: `, folder);
      }
      await run(
        'docker',
        ['build', '--network', 'host', '--label', `carechain.content-hash=${tag.split(':')[1]}`, '-t', tag, '-t', `carechain/${name}:latest`, folder],
        progress,
        `${name} build: `,
      );
    } catch (err) {
      throw new InfrastructureError(InfrastructureErrorCode.ImageBuildFailed, `building ${tag} failed: ${(err as Error).message}`, { cause: err });
    }
    progress(`built ${tag} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return tags;
}
