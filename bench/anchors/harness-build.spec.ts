import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { type HarnessRecipe, PeerUnavailableError, anchorsCacheDir, ensureHarnessBinary, sourceHash } from './harness-build';

// The recipes here "build" with /bin/sh in a temporary folder, so the caching and failure
// rules are exercised in milliseconds without Go or Rust.

let root: string;
let sourceDir: string;
let cacheDir: string;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'anchors-spec-'));
  sourceDir = path.join(root, 'harness');
  cacheDir = path.join(root, 'cache');
  await fs.mkdir(path.join(sourceDir, 'target'), { recursive: true });
  await fs.writeFile(path.join(sourceDir, 'main.src'), 'version 1');
  await fs.writeFile(path.join(sourceDir, 'target', 'artefact.src'), 'ignored');
});

afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

function shellRecipe(script: string, probe: readonly [string, ...string[]] = ['sh', '-c', 'echo sh-1']): HarnessRecipe {
  return {
    peer: 'rabe',
    sourceDir,
    sourceMatches: (p) => p.endsWith('.src'),
    binaryName: 'harness',
    toolchainProbes: [probe],
    build: (outFile) => ({ command: 'sh', args: ['-c', script.replace('$OUT', outFile)], env: process.env }),
  };
}

const writesBinary = 'printf "#!/bin/sh\\necho ok\\n" > "$OUT"';

describe('sourceHash', () => {
  it('changes with a source file, with the toolchain, and not with build output', async () => {
    const matches = (p: string) => p.endsWith('.src');
    const first = await sourceHash(sourceDir, matches, 'go1.26');
    expect(await sourceHash(sourceDir, matches, 'go1.26')).toBe(first);
    expect(await sourceHash(sourceDir, matches, 'go1.27')).not.toBe(first);

    await fs.writeFile(path.join(sourceDir, 'target', 'artefact.src'), 'rebuilt');
    expect(await sourceHash(sourceDir, matches, 'go1.26')).toBe(first);

    await fs.writeFile(path.join(sourceDir, 'main.src'), 'version 2');
    expect(await sourceHash(sourceDir, matches, 'go1.26')).not.toBe(first);
  });
});

describe('ensureHarnessBinary', () => {
  it('builds once, then reuses the cached binary until a source changes, and drops the stale build', async () => {
    const first = await ensureHarnessBinary(shellRecipe(writesBinary), { cacheDir });
    expect(first.built).toBe(true);
    await expect(fs.access(first.path, fs.constants.X_OK)).resolves.toBeUndefined();

    const again = await ensureHarnessBinary(shellRecipe('exit 7'), { cacheDir });
    expect(again).toMatchObject({ built: false, path: first.path });

    await fs.writeFile(path.join(sourceDir, 'main.src'), 'version 2');
    const rebuilt = await ensureHarnessBinary(shellRecipe(writesBinary), { cacheDir });
    expect(rebuilt.built).toBe(true);
    expect(rebuilt.path).not.toBe(first.path);
    await expect(fs.access(first.path)).rejects.toThrow();
  });

  it('reports a missing toolchain as unavailable, with the command named', async () => {
    const recipe = shellRecipe(writesBinary, ['carechain-no-such-compiler', '--version']);
    await expect(ensureHarnessBinary(recipe, { cacheDir })).rejects.toThrow(PeerUnavailableError);
    await expect(ensureHarnessBinary(recipe, { cacheDir })).rejects.toThrow(/toolchain missing: carechain-no-such-compiler not found on PATH/);
  });

  it('reports a failed build with the compiler output and leaves no binary behind', async () => {
    const recipe = shellRecipe('echo "error[E0599]: no function zero" >&2; exit 101');
    const failure = ensureHarnessBinary(recipe, { cacheDir });
    await expect(failure).rejects.toThrow(/build failed \(exit 101\):\nerror\[E0599\]: no function zero/);
    const leftovers = await fs.readdir(cacheDir, { recursive: true });
    expect(leftovers.filter((f) => String(f).endsWith('harness'))).toEqual([]);
  });

  it('stops a build that outlives its time limit', async () => {
    const recipe = shellRecipe('sleep 30');
    await expect(ensureHarnessBinary(recipe, { cacheDir, buildTimeoutMs: 200 })).rejects.toThrow(/did not finish within 200 ms/);
  });
});

describe('anchorsCacheDir', () => {
  it('honours CARECHAIN_CACHE and falls back to ~/.cache/carechain', () => {
    expect(anchorsCacheDir({ CARECHAIN_CACHE: '/var/cache/cc' })).toBe('/var/cache/cc/bench-anchors');
    expect(anchorsCacheDir({})).toBe(path.join(os.homedir(), '.cache', 'carechain', 'bench-anchors'));
  });
});
