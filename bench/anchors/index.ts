import os from 'node:os';
import path from 'node:path';

import {
  type CirclPrimitives,
  type CirclTkn20Row,
  type RabePrimitives,
  type RabeRow,
  circlReportSchema,
  parseAnchorReport,
  rabeReportSchema,
} from './anchor-report.schema';
import { type AnchorPeer, type HarnessBinary, type HarnessRecipe, PeerUnavailableError, circlRecipe, ensureHarnessBinary, rabeRecipe } from './harness-build';
import { CommandNotFoundError, runProcess, tail } from './harness-process';
import { formatAnchorsTable } from './anchors-table';

export type { CirclTkn20Row, RabeRow, CirclPrimitives, RabePrimitives } from './anchor-report.schema';
export type { AnchorPeer } from './harness-build';

/** What became of one peer in a run: measured (with provenance) or unavailable (with the reason). */
export type PeerStatus =
  | {
      available: true;
      /** Library and version that was measured, e.g. `github.com/cloudflare/circl v1.6.5`. */
      library: string;
      curve: 'BLS12-381' | 'BN254';
      toolchain: string;
      /** True when this run compiled the harness; false when a cached binary was reused. */
      built: boolean;
      run_seconds: number;
      /**
       * The machine's 1-minute load average before and after the run, against `cpus`. Above
       * `cpus`, wall-clock figures are inflated by waiting; the *_cpu_ms figures much less so.
       */
      load_average_1m: { before: number; after: number };
      cpus: number;
    }
  | { available: false; reason: string };

/**
 * Medians from the native peers, in the shape of `anchors` in bench/results/crypto.json.
 * A peer that could not be measured has an empty array and `available: false` in `peers`.
 */
export interface Anchors {
  circl_tkn20: CirclTkn20Row[];
  rabe: RabeRow[];
  /** Pairing-group primitives timed in the same processes, to read figures in pairing-equivalents. */
  primitives: { circl_bls12_381?: CirclPrimitives; rabe_bn254?: RabePrimitives };
  peers: Record<AnchorPeer, PeerStatus>;
}

export interface MeasureAnchorsOptions {
  /** Attribute counts; default 1, 5, 10, 20, 50. */
  attributes?: readonly number[];
  /** Most timed runs per operation at up to 10 attributes (scaled down as 10/n above); default 30. */
  iterations?: number;
  /** A harness stops repeating an operation after this long, once it has 3 runs; default 1500. */
  opBudgetMs?: number;
  /** Wall-clock limit for each harness run; the harness is killed and reported unavailable after it. Default 240 s (a run takes 1-3 min). */
  timeLimitMs?: number;
  /** Limit for building one harness from scratch; default 20 min. */
  buildTimeoutMs?: number;
  /** Which peers to measure; default both. */
  peers?: readonly AnchorPeer[];
  /** Progress lines (builds, harness progress); default stderr. */
  log?: (line: string) => void;
  /** Cache root; default `${CARECHAIN_CACHE:-$HOME/.cache/carechain}/bench-anchors`. */
  cacheDir?: string;
}

const defaultAttributes = [1, 5, 10, 20, 50] as const;

function validateOptions(o: MeasureAnchorsOptions): void {
  const attrs = o.attributes ?? defaultAttributes;
  if (attrs.length === 0 || attrs.some((n) => !Number.isInteger(n) || n < 1 || n > 1000)) {
    throw new RangeError(`attributes must be integers in [1, 1000], got [${attrs.join(', ')}]`);
  }
  for (const [name, value] of [
    ['iterations', o.iterations],
    ['opBudgetMs', o.opBudgetMs],
    ['timeLimitMs', o.timeLimitMs],
    ['buildTimeoutMs', o.buildTimeoutMs],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
}

function harnessArgs(peer: AnchorPeer, o: MeasureAnchorsOptions): string[] {
  const attributes = (o.attributes ?? defaultAttributes).join(',');
  const iterations = String(o.iterations ?? 30);
  const budget = String(o.opBudgetMs ?? 1500);
  // Go's flag package takes one dash, the Rust harness two.
  const dash = peer === 'circl_tkn20' ? '-' : '--';
  return [`${dash}attributes`, attributes, `${dash}iterations`, iterations, `${dash}op-budget-ms`, budget];
}

async function runHarness(binary: HarnessBinary, args: string[], timeLimitMs: number, log: (line: string) => void): Promise<{ stdout: string; seconds: number }> {
  const started = Date.now();
  let outcome;
  try {
    outcome = await runProcess(binary.path, args, { timeoutMs: timeLimitMs, onStderrLine: log });
  } catch (e) {
    if (e instanceof CommandNotFoundError) throw new PeerUnavailableError(binary.peer, `harness binary vanished: ${binary.path}`);
    throw e;
  }
  if (outcome.timedOut) throw new PeerUnavailableError(binary.peer, `harness exceeded the ${timeLimitMs} ms time limit and was stopped`);
  if (outcome.code !== 0) throw new PeerUnavailableError(binary.peer, `harness failed (exit ${outcome.code}): ${tail(outcome.stderr, 5)}`);
  return { stdout: outcome.stdout, seconds: (Date.now() - started) / 1000 };
}

/**
 * Builds (when missing or stale) and runs the native peer harnesses in `bench/anchors`, one
 * after the other so they never compete for the two cores, and returns their validated
 * medians. Guarantees: every number returned was printed by a harness in this call and passed
 * schema validation; a peer that cannot be built or run is marked unavailable with the reason
 * and contributes no rows. Throws only RangeError for invalid options.
 */
export async function measureAnchors(options: MeasureAnchorsOptions = {}): Promise<Anchors> {
  validateOptions(options);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const timeLimitMs = options.timeLimitMs ?? 240_000;
  const anchorsDir = __dirname;
  const recipes: Record<AnchorPeer, HarnessRecipe> = { circl_tkn20: circlRecipe(anchorsDir), rabe: rabeRecipe(anchorsDir) };
  const wanted = options.peers ?? (['circl_tkn20', 'rabe'] as const);
  const result: Anchors = {
    circl_tkn20: [],
    rabe: [],
    primitives: {},
    peers: {
      circl_tkn20: { available: false, reason: 'not requested' },
      rabe: { available: false, reason: 'not requested' },
    },
  };

  for (const peer of wanted) {
    try {
      const binary = await ensureHarnessBinary(recipes[peer], { cacheDir: options.cacheDir, buildTimeoutMs: options.buildTimeoutMs, log });
      log(`[anchors] ${peer}: running ${path.basename(binary.path)} (limit ${Math.round(timeLimitMs / 1000)} s)`);
      const loadBefore = os.loadavg()[0];
      const { stdout, seconds } = await runHarness(binary, harnessArgs(peer, options), timeLimitMs, log);
      const machine = { load_average_1m: { before: loadBefore, after: os.loadavg()[0] }, cpus: os.availableParallelism() };
      if (peer === 'circl_tkn20') {
        const report = parseAnchorReport(peer, stdout, circlReportSchema);
        result.circl_tkn20 = report.results;
        result.primitives.circl_bls12_381 = report.primitives;
        result.peers.circl_tkn20 = { available: true, library: `${report.module} ${report.module_version}`, curve: report.curve, toolchain: binary.toolchain, built: binary.built, run_seconds: seconds, ...machine };
      } else {
        const report = parseAnchorReport(peer, stdout, rabeReportSchema);
        result.rabe = report.results;
        result.primitives.rabe_bn254 = report.primitives;
        result.peers.rabe = { available: true, library: `rabe ${report.crate_version} (${report.pairing_crate})`, curve: report.curve, toolchain: binary.toolchain, built: binary.built, run_seconds: seconds, ...machine };
      }
    } catch (e) {
      const reason = e instanceof PeerUnavailableError ? e.reason : (e as Error).message;
      log(`[anchors] ${peer}: unavailable: ${reason}`);
      result.peers[peer] = { available: false, reason };
    }
  }
  return result;
}

if (require.main === module) {
  measureAnchors()
    .then((anchors) => {
      process.stdout.write(`${formatAnchorsTable(anchors)}\n`);
      if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(anchors, null, 2)}\n`);
    })
    .catch((e: unknown) => {
      process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    });
}
