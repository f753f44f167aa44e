import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { CommandNotFoundError, runProcess, tail } from './harness-process';

/** The native peers this folder measures. */
export type AnchorPeer = 'circl_tkn20' | 'rabe';

/** A peer cannot be measured on this machine; `reason` says why, for the benchmark report. */
export class PeerUnavailableError extends Error {
  override readonly name = 'PeerUnavailableError';
  constructor(
    readonly peer: AnchorPeer,
    readonly reason: string,
  ) {
    super(`${peer} unavailable: ${reason}`);
  }
}

/** How one harness is identified, built and found. */
export interface HarnessRecipe {
  peer: AnchorPeer;
  /** Folder holding the harness sources (go.mod or Cargo.toml). */
  sourceDir: string;
  /** File names (or suffixes) whose content decides whether a cached binary is stale. */
  sourceMatches: (relativePath: string) => boolean;
  binaryName: string;
  /** Commands whose output names the toolchain; part of the cache key. */
  toolchainProbes: ReadonlyArray<readonly [string, ...string[]]>;
  /** Builds into `outFile`; `workDir` is a per-peer cache folder for the tool's own artefacts. */
  build: (outFile: string, workDir: string) => { command: string; args: string[]; env: NodeJS.ProcessEnv; producedFile?: string };
}

/** The cached harness binary that is ready to run. */
export interface HarnessBinary {
  peer: AnchorPeer;
  path: string;
  /** True when this call compiled it; false when a cached binary was reused. */
  built: boolean;
  buildSeconds: number;
  toolchain: string;
}

/** The cache root: `${CARECHAIN_CACHE:-$HOME/.cache/carechain}/bench-anchors`. */
export function anchorsCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.CARECHAIN_CACHE ?? path.join(os.homedir(), '.cache', 'carechain'), 'bench-anchors');
}

const skippedDirs = new Set(['target', 'node_modules', '.git']);

/**
 * A hex SHA-256 over every matching source file (path and content, in sorted order) and the
 * toolchain description. Guarantees that editing a harness, its lock file, or changing the
 * compiler gives a different key, so a stale binary is never run.
 */
export async function sourceHash(sourceDir: string, matches: (relativePath: string) => boolean, toolchain: string): Promise<string> {
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!skippedDirs.has(entry.name)) await walk(full);
      } else if (entry.isFile() && matches(path.relative(sourceDir, full))) {
        files.push(full);
      }
    }
  };
  await walk(sourceDir);
  files.sort();
  const hash = createHash('sha256');
  hash.update(`toolchain\0${toolchain}\0`);
  for (const file of files) {
    hash.update(`${path.relative(sourceDir, file).split(path.sep).join('/')}\0`);
    hash.update(await fs.readFile(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

async function describeToolchain(recipe: HarnessRecipe): Promise<string> {
  const parts: string[] = [];
  for (const [command, ...args] of recipe.toolchainProbes) {
    let outcome;
    try {
      outcome = await runProcess(command, args, { timeoutMs: 30_000 });
    } catch (e) {
      if (e instanceof CommandNotFoundError) throw new PeerUnavailableError(recipe.peer, `toolchain missing: ${e.message}`);
      throw e;
    }
    if (outcome.code !== 0) {
      throw new PeerUnavailableError(recipe.peer, `toolchain probe \`${command} ${args.join(' ')}\` failed: ${tail(outcome.stderr, 3)}`);
    }
    parts.push(outcome.stdout.trim());
  }
  return parts.join('; ');
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await fs.access(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Returns a binary of the harness built from its current sources with the current toolchain,
 * compiling it (under `nice`) only when no cached binary has the same source hash. Guarantees
 * the returned path exists and is executable; otherwise throws PeerUnavailableError with the
 * reason (toolchain missing, build failed or timed out). Older builds of the same peer are
 * removed after a successful build.
 */
export async function ensureHarnessBinary(
  recipe: HarnessRecipe,
  options: { cacheDir?: string; buildTimeoutMs?: number; log?: (line: string) => void } = {},
): Promise<HarnessBinary> {
  const cacheDir = options.cacheDir ?? anchorsCacheDir();
  const log = options.log ?? (() => undefined);
  const toolchain = await describeToolchain(recipe);
  const key = (await sourceHash(recipe.sourceDir, recipe.sourceMatches, toolchain)).slice(0, 16);
  const binDir = path.join(cacheDir, `${recipe.peer}-${key}`);
  const binary = path.join(binDir, recipe.binaryName);
  if (await isExecutable(binary)) {
    log(`[anchors] ${recipe.peer}: cached build ${key} (${toolchain})`);
    return { peer: recipe.peer, path: binary, built: false, buildSeconds: 0, toolchain };
  }

  log(`[anchors] ${recipe.peer}: building ${key} with ${toolchain} (cold: seconds for Go, minutes for Rust)`);
  const workDir = path.join(cacheDir, `${recipe.peer}-work`);
  await fs.mkdir(binDir, { recursive: true });
  // Built under a temporary name and renamed, so a concurrent or interrupted build never
  // leaves a half-written binary that a later run would take for a finished one.
  const partial = `${binary}.${process.pid}.partial`;
  const step = recipe.build(partial, workDir);
  const started = Date.now();
  let outcome;
  try {
    outcome = await runProcess(step.command, step.args, {
      cwd: recipe.sourceDir,
      env: step.env,
      timeoutMs: options.buildTimeoutMs ?? 20 * 60_000,
      onStderrLine: (line) => log(`[anchors] ${recipe.peer} build: ${line}`),
    });
  } catch (e) {
    if (e instanceof CommandNotFoundError) throw new PeerUnavailableError(recipe.peer, `build tool missing: ${e.message}`);
    throw e;
  }
  const buildSeconds = (Date.now() - started) / 1000;
  if (outcome.timedOut) throw new PeerUnavailableError(recipe.peer, `build did not finish within ${options.buildTimeoutMs ?? 1_200_000} ms`);
  if (outcome.code !== 0) throw new PeerUnavailableError(recipe.peer, `build failed (exit ${outcome.code}):\n${tail(outcome.stderr)}`);
  if (step.producedFile) await fs.copyFile(step.producedFile, partial);
  await fs.chmod(partial, 0o755);
  await fs.rename(partial, binary);
  log(`[anchors] ${recipe.peer}: built in ${buildSeconds.toFixed(1)} s`);
  await removeOlderBuilds(cacheDir, recipe.peer, binDir);
  return { peer: recipe.peer, path: binary, built: true, buildSeconds, toolchain };
}

async function removeOlderBuilds(cacheDir: string, peer: AnchorPeer, keep: string): Promise<void> {
  const pattern = new RegExp(`^${peer}-[0-9a-f]{16}$`);
  for (const entry of await fs.readdir(cacheDir, { withFileTypes: true })) {
    const full = path.join(cacheDir, entry.name);
    if (entry.isDirectory() && pattern.test(entry.name) && full !== keep) await fs.rm(full, { recursive: true, force: true });
  }
}

/** The Go harness timing CIRCL TKN20 (`bench/anchors/circl`). */
export function circlRecipe(anchorsDir: string): HarnessRecipe {
  return {
    peer: 'circl_tkn20',
    sourceDir: path.join(anchorsDir, 'circl'),
    sourceMatches: (p) => p === 'go.mod' || p === 'go.sum' || p.endsWith('.go'),
    binaryName: 'circl-anchors',
    toolchainProbes: [['go', 'version']],
    build: (outFile) => ({
      command: 'nice',
      // -mod=readonly: the committed go.sum is the truth; a build never rewrites it.
      args: ['-n', '10', 'go', 'build', '-trimpath', '-mod=readonly', '-o', outFile, '.'],
      env: process.env,
    }),
  };
}

/** The Rust harness timing rabe's CP-ABE schemes (`bench/anchors/rabe`). */
export function rabeRecipe(anchorsDir: string): HarnessRecipe {
  return {
    peer: 'rabe',
    sourceDir: path.join(anchorsDir, 'rabe'),
    sourceMatches: (p) => p === 'Cargo.toml' || p === 'Cargo.lock' || p.endsWith('.rs'),
    binaryName: 'rabe-anchors',
    toolchainProbes: [
      ['cargo', '--version'],
      ['rustc', '--version'],
    ],
    build: (_outFile, workDir) => {
      const targetDir = path.join(workDir, 'target');
      return {
        command: 'nice',
        // --locked: the committed Cargo.lock is the truth, so every machine times the same code.
        args: ['-n', '10', 'cargo', 'build', '--release', '--locked'],
        env: { ...process.env, CARGO_TARGET_DIR: targetDir },
        producedFile: path.join(targetDir, 'release', 'rabe-anchors'),
      };
    },
  };
}
