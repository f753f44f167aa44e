/**
 * Build step for @carechain/chain: compiles libs/chain/contracts/*.sol with solc from npm
 * (evmVersion london, optimizer on) into src/generated/artifacts/<Contract>.json (ABI +
 * bytecode), then generates TypeChain ethers-v6 bindings into src/generated/typechain/.
 *
 * Run from the repo root: `npx tsx libs/chain/scripts/compile.ts` (add `--force` to ignore
 * the cache). The output is keyed by a SHA-256 over the sources, the solc settings and the
 * solc and TypeChain versions, so an unchanged tree costs one hash and no compilation.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

interface Solc {
  version(): string;
  compile(input: string): string;
}

/** Loaded only when a compilation is needed: it is a 9 MB WebAssembly bundle. */
function loadSolc(): Solc {
  // solc ships no types; only `version()` and `compile()` are used.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('solc') as Solc;
}

const libRoot = resolve(__dirname, '..');
const contractsDir = join(libRoot, 'contracts');
const generatedDir = join(libRoot, 'src', 'generated');
const artifactsDir = join(generatedDir, 'artifacts');
const typechainDir = join(generatedDir, 'typechain');
const stampFile = join(generatedDir, '.build-stamp');

/** Everything that changes the bytecode; part of the cache key. */
const settings = {
  evmVersion: 'london',
  viaIR: true,
  optimizer: { enabled: true, runs: 200 },
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
} as const;

interface SolcOutput {
  errors?: { severity: 'error' | 'warning' | 'info'; formattedMessage: string }[];
  contracts?: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string }; deployedBytecode: { object: string } } }>>;
}

function readPackageVersion(name: string): string {
  const pkg = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string };
  return pkg.version;
}

async function main(): Promise<void> {
  const force = process.argv.includes('--force');
  const files = readdirSync(contractsDir).filter((f) => f.endsWith('.sol')).sort();
  const sources = Object.fromEntries(files.map((f) => [f, { content: readFileSync(join(contractsDir, f), 'utf8') }]));

  const key = createHash('sha256')
    .update(JSON.stringify({ sources, settings, solc: readPackageVersion('solc'), typechain: readPackageVersion('@typechain/ethers-v6') }))
    .digest('hex');
  if (!force && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === key) {
    console.log(`[chain] contracts unchanged (${key.slice(0, 12)}), generated code is current`);
    return;
  }

  const solc = loadSolc();
  console.log(`[chain] compiling ${files.join(', ')} with solc ${solc.version()} (evm ${settings.evmVersion})`);
  const output = JSON.parse(solc.compile(JSON.stringify({ language: 'Solidity', sources, settings }))) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  for (const e of output.errors ?? []) console.error(e.formattedMessage);
  if (errors.length > 0 || !output.contracts) throw new Error(`solc reported ${errors.length} error(s)`);

  rmSync(generatedDir, { recursive: true, force: true });
  mkdirSync(artifactsDir, { recursive: true });
  const artifactPaths: string[] = [];
  for (const [sourceName, contracts] of Object.entries(output.contracts)) {
    for (const [contractName, c] of Object.entries(contracts)) {
      if (c.evm.bytecode.object.length === 0) continue; // interfaces have no bytecode and no binding
      const path = join(artifactsDir, `${contractName}.json`);
      const artifact = {
        contractName,
        sourceName,
        compiler: { solc: solc.version(), evmVersion: settings.evmVersion, optimizer: settings.optimizer },
        abi: c.abi,
        bytecode: `0x${c.evm.bytecode.object}`,
        deployedBytecode: `0x${c.evm.deployedBytecode.object}`,
      };
      writeFileSync(path, `${JSON.stringify(artifact, null, 2)}\n`);
      artifactPaths.push(path);
    }
  }

  const { runTypeChain } = await import('typechain');
  const result = await runTypeChain({
    cwd: libRoot,
    filesToProcess: artifactPaths,
    allFiles: artifactPaths,
    outDir: typechainDir,
    target: 'ethers-v6',
  });
  writeFileSync(stampFile, `${key}\n`);
  console.log(`[chain] wrote ${artifactPaths.length} artifacts and ${result.filesGenerated} TypeChain files to ${generatedDir}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
