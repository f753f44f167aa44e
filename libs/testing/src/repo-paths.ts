import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The repository root: CARECHAIN_REPO_ROOT, or the nearest ancestor of this file that holds
 * infra/images (the same from sources, Jest, tsx and a built dist/).
 */
export function repoRoot(): string {
  if (process.env.CARECHAIN_REPO_ROOT) return process.env.CARECHAIN_REPO_ROOT;
  let dir = __dirname;
  while (dirname(dir) !== dir) {
    if (existsSync(join(dir, 'infra', 'images'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('cannot find the repository root (no infra/images above libs/testing); set CARECHAIN_REPO_ROOT');
}

/** Machine-wide cache for binaries, jars and the engine's state: $CARECHAIN_CACHE or ~/.cache/carechain. */
export function cacheDir(): string {
  return process.env.CARECHAIN_CACHE ?? join(homedir(), '.cache', 'carechain');
}

/** Per-checkout runtime state (gitignored): state files of running instances. */
export function stateDir(): string {
  return join(repoRoot(), '.carechain');
}
