import os from 'node:os';
import {
  AbeScheme,
  AbeWasmWorkerPool,
  abeDecapsulateParallel,
  abeDecodeCiphertext,
  abeEncapsulateParallel,
  type AbeAttributeKey,
  type AbePublicKeyDirectory,
} from '../../libs/crypto/src/abe';
import {
  loadPairingBackendByName,
  type PairingBackend,
  type PairingBackendName,
} from '../../libs/crypto/src/pairing';

/** One row of `abe` in bench/results/crypto.json: medians in milliseconds. */
export interface AbeBenchRow {
  backend: PairingBackendName;
  threads: number;
  attributes: number;
  encrypt_ms: number;
  decrypt_ms: number;
  keygen_ms_per_attribute: number;
  /**
   * Thread-CPU time per run of the same runs, averaged (main thread only when threads = 2); it
   * moves far less than wall-clock when the machine is shared. A mean, not a median: Linux
   * accounts thread CPU in scheduler ticks (4 ms here), so single runs are quantised and only
   * their average resolves below a tick.
   */
  encrypt_cpu_ms: number;
  decrypt_cpu_ms: number;
  keygen_cpu_ms_per_attribute: number;
  /** Miller loops and final exponentiations one decryption performs (2|I|+1 and 1). */
  decrypt_miller_loops: number;
  runs: number;
  /** 1-minute load average when the row finished (2 CPUs: above ~2 the runs shared a core). */
  load_average_1m: number;
}

/** `primitives.<backend>` in bench/results/crypto.json: medians in milliseconds. */
export interface PairingPrimitives {
  pairing_ms: number;
  miller_loop_ms: number;
  final_exp_ms: number;
  /** One Miller loop over prepared G2 lines (the decryption path for key elements). */
  miller_loop_prepared_ms: number;
  /** The 21-pair product of RW15 decryption at 10 attributes (11 prepared, 10 plain, one final exponentiation). */
  pairing_product_21_ms: number;
}

export interface AbeBenchResult {
  abe: AbeBenchRow[];
  primitives: Partial<Record<PairingBackendName, PairingPrimitives>>;
  /** Backends that could not be measured, with the reason. */
  unavailable: Partial<Record<PairingBackendName, string>>;
  load_average_1m: { before: number; after: number };
  cpus: number;
}

export interface MeasureAbeOptions {
  attributes?: readonly number[];
  backends?: readonly PairingBackendName[];
  /** Most timed runs per operation at up to 10 attributes (scaled as 10/n above, at least 5); default 15. */
  iterations?: number;
  /** Stop repeating an operation after this long once it has 5 runs; default 3000 ms. */
  opBudgetMs?: number;
  /** Also measure WASM with a worker thread (threads: 2); default true. */
  wasmTwoThreads?: boolean;
  log?: (line: string) => void;
}

const AUTHORITIES = ['hospital', 'board', 'registry'] as const;

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

const round = (x: number): number => Number(x.toFixed(3));

/**
 * Untimed runs before timing: steady state, where the scheme has built the fixed-base table of
 * every attribute hash it uses (it builds one on an attribute's second use).
 */
const WARM_UP_RUNS = 2;

/** Times async `f` repeatedly (untimed warm-ups first): wall-clock median, main-thread CPU mean. */
async function timeOpAsync(f: () => Promise<void>, maxRuns: number, budgetMs: number): Promise<{ wall: number; cpu: number; runs: number }> {
  for (let i = 0; i < WARM_UP_RUNS; i++) await f();
  const wall: number[] = [];
  const cpu: number[] = [];
  const started = performance.now();
  while (wall.length < maxRuns && (wall.length < 5 || performance.now() - started < budgetMs)) {
    const c0 = process.threadCpuUsage();
    const t0 = performance.now();
    await f();
    wall.push(performance.now() - t0);
    const c1 = process.threadCpuUsage(c0);
    cpu.push((c1.user + c1.system) / 1000);
  }
  return { wall: median(wall), cpu: mean(cpu), runs: wall.length };
}

/** Times `f` repeatedly (untimed warm-ups first): wall-clock median, thread-CPU mean. */
function timeOp(f: () => void, maxRuns: number, budgetMs: number): { wall: number; cpu: number; runs: number } {
  for (let i = 0; i < WARM_UP_RUNS; i++) f();
  const wall: number[] = [];
  const cpu: number[] = [];
  const started = performance.now();
  while (wall.length < maxRuns && (wall.length < 5 || performance.now() - started < budgetMs)) {
    const c0 = process.threadCpuUsage();
    const t0 = performance.now();
    f();
    wall.push(performance.now() - t0);
    const c1 = process.threadCpuUsage(c0);
    cpu.push((c1.user + c1.system) / 1000);
  }
  return { wall: median(wall), cpu: mean(cpu), runs: wall.length };
}

/** Medians of one pairing, one Miller loop, one final exponentiation (and the decryption-shaped product). */
export function measurePairingPrimitives(b: PairingBackend, iterations = 30): PairingPrimitives {
  const p = b.g1Mul(b.g1Generator(), 0x1234567n);
  const q = b.g2Mul(b.g2Generator(), 0x7654321n);
  const prepared = b.g2Prepare(q);
  const f = b.millerLoop([], [{ g1: p, g2: q }]);
  const t = (g: () => void): number => round(timeOp(g, iterations, 2000).wall);
  return {
    pairing_ms: t(() => b.pairing(p, q)),
    miller_loop_ms: t(() => b.millerLoop([], [{ g1: p, g2: q }])),
    final_exp_ms: t(() => b.finalExponentiation(f)),
    miller_loop_prepared_ms: t(() => b.millerLoop([{ g1: p, g2: prepared }], [])),
    pairing_product_21_ms: t(() =>
      b.pairingProduct(
        Array.from({ length: 11 }, () => ({ g1: p, g2: prepared })),
        Array.from({ length: 10 }, () => ({ g1: p, g2: q })),
      ),
    ),
  };
}

/**
 * RW15 keygen, encrypt and decrypt medians per backend and attribute count. The policy at n
 * attributes is the AND of n attributes spread over three authorities, the worst case for
 * decryption (every row is used: 2n+1 Miller loops). Keys and public-key tables are made once
 * (attribute hashes cached, as in steady state); encryption and decryption are timed on the
 * warm scheme. One thread, plus rows with threads: 2 for WASM (a worker thread takes half the
 * encryption rows and the plain Miller loops of decryption; keygen stays single-threaded).
 */
export async function measureAbe(options: MeasureAbeOptions = {}): Promise<AbeBenchResult> {
  const attributes = options.attributes ?? [1, 5, 10, 20, 50];
  const iterations = options.iterations ?? 15;
  const budget = options.opBudgetMs ?? 3000;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const result: AbeBenchResult = {
    abe: [],
    primitives: {},
    unavailable: {},
    load_average_1m: { before: os.loadavg()[0], after: 0 },
    cpus: os.cpus().length,
  };
  for (const name of options.backends ?? (['native', 'wasm'] as const)) {
    let backend: PairingBackend;
    try {
      backend = await loadPairingBackendByName(name);
    } catch (err) {
      result.unavailable[name] = String(err instanceof Error ? err.message : err);
      log(`[abe bench] ${name} backend unavailable: ${result.unavailable[name]}`);
      continue;
    }
    log(`[abe bench] ${name}: primitives`);
    result.primitives[name] = measurePairingPrimitives(backend);
    const scheme = new AbeScheme(backend);
    const setups = new Map(AUTHORITIES.map((a) => [a, scheme.setupAuthority(a)]));
    const directory: AbePublicKeyDirectory = (a) => setups.get(a as (typeof AUTHORITIES)[number])?.publicKey;
    for (const n of attributes) {
      const runs = Math.max(5, Math.round((iterations * Math.min(10, n)) / n));
      const labels = Array.from({ length: n }, (_, i) => ({ name: `attr${i}`, authority: AUTHORITIES[i % AUTHORITIES.length] }) as const);
      const policy = labels.map((l) => `${l.name}@${l.authority}`).join(' and ');
      const gid = `bench-${name}-${n}`;
      let keys: AbeAttributeKey[] = [];
      // An issuer hands out one user's attributes together: one keygenBatch per authority.
      const keygen = timeOp(
        () => {
          keys = AUTHORITIES.flatMap((a) => {
            const mine = labels.filter((l) => l.authority === a).map((l) => ({ name: l.name, epoch: 0 }));
            return mine.length === 0 ? [] : scheme.keygenBatch(setups.get(a)!.secretKey, gid, mine);
          });
        },
        runs,
        budget,
      );
      const keySet = scheme.userKeySet(gid, keys);
      let ct = scheme.encapsulate(policy, directory);
      const encrypt = timeOp(() => {
        ct = scheme.encapsulate(policy, directory);
      }, runs, budget);
      const decrypt = timeOp(() => {
        if (!backend.gtEquals(scheme.decapsulate(ct.ciphertext, keySet), ct.key)) throw new Error('decryption returned a different key');
      }, runs, budget);
      const row: AbeBenchRow = {
        backend: name,
        threads: 1,
        attributes: n,
        encrypt_ms: round(encrypt.wall),
        decrypt_ms: round(decrypt.wall),
        keygen_ms_per_attribute: round(keygen.wall / n),
        encrypt_cpu_ms: round(encrypt.cpu),
        decrypt_cpu_ms: round(decrypt.cpu),
        keygen_cpu_ms_per_attribute: round(keygen.cpu / n),
        decrypt_miller_loops: 2 * n + 1,
        runs: Math.min(encrypt.runs, decrypt.runs),
        load_average_1m: round(os.loadavg()[0]),
      };
      log(`[abe bench] ${name} n=${n}: enc ${row.encrypt_ms} ms, dec ${row.decrypt_ms} ms, keygen/attr ${row.keygen_ms_per_attribute} ms`);
      result.abe.push(row);
      if (name === 'wasm' && options.wasmTwoThreads !== false) {
        const pool = await AbeWasmWorkerPool.create();
        try {
          let bytes = (await abeEncapsulateParallel(scheme, pool, policy, directory)).ciphertext;
          const enc2 = await timeOpAsync(async () => {
            bytes = (await abeEncapsulateParallel(scheme, pool, policy, directory)).ciphertext;
          }, runs, budget);
          const parsed = abeDecodeCiphertext(backend, bytes);
          const dec2 = await timeOpAsync(async () => {
            await abeDecapsulateParallel(scheme, pool, parsed, keySet);
          }, runs, budget);
          const row2: AbeBenchRow = {
            ...row,
            threads: 2,
            encrypt_ms: round(enc2.wall),
            decrypt_ms: round(dec2.wall),
            encrypt_cpu_ms: round(enc2.cpu),
            decrypt_cpu_ms: round(dec2.cpu),
            runs: Math.min(enc2.runs, dec2.runs),
            load_average_1m: round(os.loadavg()[0]),
          };
          log(`[abe bench] wasm×2 n=${n}: enc ${row2.encrypt_ms} ms, dec ${row2.decrypt_ms} ms (keygen is single-threaded)`);
          result.abe.push(row2);
        } finally {
          await pool.close();
        }
      }
    }
  }
  result.load_average_1m.after = os.loadavg()[0];
  return result;
}
