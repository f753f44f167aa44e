/**
 * Where RW15 time goes, per backend operation: `npx tsx bench/crypto/abe-profile.ts [wasm|native] [n…]`.
 * Wraps the pairing backend in a proxy that counts calls and sums the time spent in each method,
 * then runs keygen, encryption and decryption of an n-attribute AND policy (the bench's shape)
 * on a warm scheme. Time not inside any backend call is reported as "scheme (TypeScript)":
 * policy parsing, LSSS, scalar sampling and bigint arithmetic. Prints one table per phase.
 * Wall-clock (performance.now): Linux thread-CPU time is tick-sampled and too coarse per call,
 * so run it on a quiet machine.
 */
import { AbeScheme, type AbeAttributeKey, type AbePublicKeyDirectory } from '../../libs/crypto/src/abe';
import { loadPairingBackendByName, type PairingBackend, type PairingBackendName } from '../../libs/crypto/src/pairing';

const nowUs = (): number => performance.now() * 1000;

interface Tally {
  calls: number;
  us: number;
}

/** A backend whose every method call is counted and timed (outermost calls only). */
function profiled(b: PairingBackend): { backend: PairingBackend; tallies: Map<string, Tally>; reset(): void } {
  const tallies = new Map<string, Tally>();
  let depth = 0;
  const backend = new Proxy(b, {
    get(target, prop, receiver) {
      const v: unknown = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function' || typeof prop !== 'string') return v;
      return (...args: unknown[]): unknown => {
        if (depth > 0) return (v as (...a: unknown[]) => unknown).apply(target, args);
        depth++;
        const t0 = nowUs();
        try {
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        } finally {
          depth--;
          const t = tallies.get(prop) ?? { calls: 0, us: 0 };
          t.calls++;
          t.us += nowUs() - t0;
          tallies.set(prop, t);
        }
      };
    },
  });
  return { backend, tallies, reset: () => tallies.clear() };
}

function report(phase: string, totalUs: number, runs: number, tallies: Map<string, Tally>): void {
  const rows = [...tallies.entries()].sort((a, b) => b[1].us - a[1].us);
  const inBackend = rows.reduce((s, [, t]) => s + t.us, 0);
  process.stdout.write(`\n${phase}: ${(totalUs / runs / 1000).toFixed(2)} ms per run\n`);
  for (const [name, t] of rows) {
    process.stdout.write(
      `  ${name.padEnd(22)} ${String(t.calls / runs).padStart(6)} calls  ${(t.us / runs / 1000).toFixed(3).padStart(8)} ms  ${((100 * t.us) / totalUs).toFixed(1).padStart(5)}%\n`,
    );
  }
  const rest = totalUs - inBackend;
  process.stdout.write(`  ${'scheme (TypeScript)'.padEnd(22)} ${''.padStart(12)}  ${(rest / runs / 1000).toFixed(3).padStart(8)} ms  ${((100 * rest) / totalUs).toFixed(1).padStart(5)}%\n`);
}

async function main(): Promise<void> {
  const name = (process.argv[2] ?? 'wasm') as PairingBackendName;
  const sizes = process.argv.slice(3).map(Number);
  const { backend, tallies, reset } = profiled(await loadPairingBackendByName(name));
  const scheme = new AbeScheme(backend);
  const authorities = ['hospital', 'board', 'registry'];
  const setups = new Map(authorities.map((a) => [a, scheme.setupAuthority(a)]));
  const directory: AbePublicKeyDirectory = (a) => setups.get(a)?.publicKey;
  for (const n of sizes.length > 0 ? sizes : [10, 50]) {
    const runs = Math.max(3, Math.round(100 / n));
    const labels = Array.from({ length: n }, (_, i) => ({ name: `attr${i}`, authority: authorities[i % authorities.length] }));
    const policy = labels.map((l) => `${l.name}@${l.authority}`).join(' and ');
    const gid = `profile-${n}`;
    const keygenAll = (): AbeAttributeKey[] =>
      authorities.flatMap((a) => {
        const mine = labels.filter((l) => l.authority === a).map((l) => ({ name: l.name, epoch: 0 }));
        return mine.length === 0 ? [] : scheme.keygenBatch(setups.get(a)!.secretKey, gid, mine);
      });
    const phase = (label: string, f: () => void): void => {
      f();
      reset();
      const t0 = nowUs();
      for (let i = 0; i < runs; i++) f();
      report(`${label}, n=${n} (${runs} runs)`, nowUs() - t0, runs, tallies);
    };
    let keys: AbeAttributeKey[] = keygenAll();
    phase('keygen (all n attributes)', () => {
      keys = keygenAll();
    });
    const keySet = scheme.userKeySet(gid, keys);
    let ct = scheme.encapsulate(policy, directory);
    phase('encrypt', () => {
      ct = scheme.encapsulate(policy, directory);
    });
    phase('decrypt', () => {
      if (!backend.gtEquals(scheme.decapsulate(ct.ciphertext, keySet), ct.key)) throw new Error('wrong key');
    });
  }
}

void main();
