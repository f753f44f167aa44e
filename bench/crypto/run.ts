/**
 * The crypto benchmark runner (`npx tsx bench/crypto/run.ts`, wired as `npm run bench:crypto`).
 * Composes bench/results/crypto.json from every part: `abe` and `primitives` (bench/crypto/abe.ts),
 * `aba` (bench/crypto/aba.ts), `seal` and `merkle` (bench/crypto/seal-merkle.ts) and `anchors`
 * (bench/anchors). A part whose module is absent or fails is written as null and listed in
 * `missing` with the reason; no number is ever made up. Prints a table, the targets of issue 4
 * and the ratios to the native peers.
 *
 * Flags: --parts=abe,aba,seal,merkle,anchors (default all) · --quick (fewer runs, for smoke tests)
 *        --out=<path> (default bench/results/crypto.json)
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measureAbe, type AbeBenchResult, type AbeBenchRow } from './abe';

type PartName = 'abe' | 'aba' | 'seal' | 'merkle' | 'anchors';
const ALL_PARTS: readonly PartName[] = ['abe', 'aba', 'seal', 'merkle', 'anchors'];

interface AnchorRowLike {
  attributes: number;
  encrypt_ms: number;
  decrypt_ms: number;
  keygen_ms_per_attribute?: number;
  encrypt_cpu_ms?: number;
  decrypt_cpu_ms?: number;
  scheme?: string;
}
interface AnchorsLike {
  circl_tkn20?: AnchorRowLike[];
  rabe?: AnchorRowLike[];
  primitives?: { circl_bls12_381?: { pairing_ms?: number }; rabe_bn254?: { pairing_ms?: number } };
}

/** Issue 4 targets (ms, one thread). */
const TARGETS: Record<string, Record<number, { encrypt: number; decrypt: number }>> = {
  native: { 10: { encrypt: 10, decrypt: 8 }, 50: { encrypt: 45, decrypt: 40 } },
  wasm: { 10: { encrypt: 25, decrypt: 25 }, 50: { encrypt: 115, decrypt: 110 } },
};
const KEYGEN_TARGET_MS = 5;

function parseArgs(argv: readonly string[]): { parts: Set<PartName>; quick: boolean; out: string } {
  let parts = new Set<PartName>(ALL_PARTS);
  let quick = false;
  let out = path.join(__dirname, '..', 'results', 'crypto.json');
  for (const a of argv) {
    if (a === '--quick') quick = true;
    else if (a.startsWith('--parts=')) {
      const wanted = a.slice('--parts='.length).split(',').filter(Boolean);
      const bad = wanted.filter((p) => !ALL_PARTS.includes(p as PartName));
      if (bad.length > 0) throw new RangeError(`unknown parts: ${bad.join(', ')} (known: ${ALL_PARTS.join(', ')})`);
      parts = new Set(wanted as PartName[]);
    } else if (a.startsWith('--out=')) out = path.resolve(a.slice('--out='.length));
    else throw new RangeError(`unknown argument ${a}`);
  }
  return { parts, quick, out };
}

/** Loads a sibling bench module by path, so the runner works before colleagues' parts land. */
async function loadPart<T>(relative: string, exportName: string): Promise<((...args: unknown[]) => Promise<T>) | string> {
  const file = path.join(__dirname, relative);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(file)) as Record<string, unknown>;
  } catch (err) {
    return `${relative} could not be loaded: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
  }
  const f = mod[exportName];
  return typeof f === 'function' ? (f as (...args: unknown[]) => Promise<T>) : `${relative} does not export ${exportName}()`;
}

async function runPart<T>(name: string, missing: Record<string, string>, f: () => Promise<T>): Promise<T | null> {
  try {
    return await f();
  } catch (err) {
    missing[name] = `failed: ${err instanceof Error ? err.message : String(err)}`;
    process.stderr.write(`[bench:crypto] ${name} failed: ${String(err)}\n`);
    return null;
  }
}

const fmt = (x: number | undefined): string => (x === undefined ? '-' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

function abeTable(result: AbeBenchResult): string {
  const lines = ['MA-ABE (RW15, BLS12-381), wall-clock medians; cpu = mean thread CPU time of the same runs (main thread)'];
  lines.push(['backend', 'thr', 'attrs', 'enc ms', 'dec ms', 'keygen/attr', 'enc cpu', 'dec cpu', 'kg cpu/attr', 'enc pairings', 'dec pairings', 'target enc/dec'].map((h, i) => (i === 0 ? h.padEnd(8) : i === 1 ? h.padStart(3) : h.padStart(i === 11 ? 20 : 12))).join(' '));
  for (const r of result.abe) {
    const p = result.primitives[r.backend]?.pairing_ms;
    const t = TARGETS[r.backend]?.[r.attributes];
    const verdict = (v: number, target: number): string => `${fmt(target)}${v <= target ? '✓' : `✗${((v / target - 1) * 100).toFixed(0)}%`}`;
    lines.push(
      [
        r.backend.padEnd(8),
        String(r.threads),
        String(r.attributes),
        fmt(r.encrypt_ms),
        fmt(r.decrypt_ms),
        fmt(r.keygen_ms_per_attribute),
        fmt(r.encrypt_cpu_ms),
        fmt(r.decrypt_cpu_ms),
        fmt(r.keygen_cpu_ms_per_attribute),
        p ? fmt(r.encrypt_ms / p) : '-',
        p ? fmt(r.decrypt_ms / p) : '-',
        t ? `${verdict(r.encrypt_ms, t.encrypt)}/${verdict(r.decrypt_ms, t.decrypt)}` : '',
      ]
        .map((c, i) => (i === 0 ? c : i === 1 ? c.padStart(3) : c.padStart(i === 11 ? 20 : 12)))
        .join(' '),
    );
  }
  const kg = result.abe.filter((r) => r.keygen_ms_per_attribute > KEYGEN_TARGET_MS);
  lines.push(`keygen target ≤ ${KEYGEN_TARGET_MS} ms/attribute: ${kg.length === 0 ? 'met by every row' : `missed by ${kg.map((r) => `${r.backend}@${r.attributes}`).join(', ')}`}`);
  lines.push('Pairing primitives (ms):');
  for (const [name, p] of Object.entries(result.primitives)) {
    lines.push(`  ${name.padEnd(7)} pairing ${fmt(p.pairing_ms)}  miller loop ${fmt(p.miller_loop_ms)}  prepared ${fmt(p.miller_loop_prepared_ms)}  final exp ${fmt(p.final_exp_ms)}  21-pair product ${fmt(p.pairing_product_21_ms)}`);
  }
  for (const [name, why] of Object.entries(result.unavailable)) lines.push(`  ${name}: unavailable (${why})`);
  lines.push(`load average (1 min) ${result.load_average_1m.before.toFixed(1)} → ${result.load_average_1m.after.toFixed(1)} on ${result.cpus} CPUs`);
  return lines.join('\n');
}

function ratioTable(abe: readonly AbeBenchRow[], anchors: AnchorsLike): string {
  const lines = [
    'Ratios ours / peer (< 1 means we are faster). Thread CPU time where both sides have it,',
    'since load on a shared machine inflates wall-clock time unevenly; "wall" marks a wall-clock ratio.',
  ];
  const peers: Array<[string, AnchorRowLike[]]> = [['circl_tkn20', anchors.circl_tkn20 ?? []]];
  for (const r of anchors.rabe ?? []) {
    const key = `rabe_${r.scheme ?? '?'}`;
    const entry = peers.find(([k]) => k === key);
    if (entry) entry[1].push(r);
    else peers.push([key, [r]]);
  }
  for (const [peer, rows] of peers) {
    for (const ours of abe) {
      const theirs = rows.find((r) => r.attributes === ours.attributes);
      if (!theirs) continue;
      // A two-thread row's CPU time leaves out its worker, so only one-thread rows compare by CPU.
      const ratio = (cpuOurs: number | undefined, cpuTheirs: number | undefined, wallOurs: number, wallTheirs: number) =>
        ours.threads === 1 && cpuOurs && cpuTheirs
          ? `${(cpuOurs / cpuTheirs).toFixed(2)}×`
          : `${(wallOurs / wallTheirs).toFixed(2)}× wall`;
      lines.push(
        `  ${ours.backend.padEnd(7)} t${ours.threads} vs ${peer.padEnd(12)} n=${String(ours.attributes).padStart(2)}` +
          `  enc ${ratio(ours.encrypt_cpu_ms, theirs.encrypt_cpu_ms, ours.encrypt_ms, theirs.encrypt_ms)}` +
          `  dec ${ratio(ours.decrypt_cpu_ms, theirs.decrypt_cpu_ms, ours.decrypt_ms, theirs.decrypt_ms)}` +
          (theirs.keygen_ms_per_attribute ? `  keygen/attr ${(ours.keygen_ms_per_attribute / theirs.keygen_ms_per_attribute).toFixed(2)}×` : ''),
      );
    }
  }
  return lines.length === 1 ? 'No anchor rows to compare with.' : lines.join('\n');
}

async function main(): Promise<void> {
  const { parts, quick, out } = parseArgs(process.argv.slice(2));
  const missing: Record<string, string> = {};
  const started = new Date();
  const loadBefore = os.loadavg()[0];

  let abe: AbeBenchResult | null = null;
  if (parts.has('abe')) {
    abe = await runPart('abe', missing, () => measureAbe(quick ? { attributes: [1, 10], iterations: 3, opBudgetMs: 500 } : {}));
  } else missing['abe'] = 'not requested';

  const seal = parts.has('seal') ? await optional<unknown[]>('seal', 'seal-merkle', 'measureSeal', missing, []) : skip('seal', missing);
  const merkle = parts.has('merkle') ? await optional<unknown>('merkle', 'seal-merkle', 'measureMerkle', missing, quick ? [10_000] : []) : skip('merkle', missing);
  const aba = parts.has('aba') ? await optional<unknown[]>('aba', 'aba', 'measureAba', missing, []) : skip('aba', missing);
  const anchors = parts.has('anchors')
    ? await optional<AnchorsLike>('anchors', path.join('..', 'anchors', 'index'), 'measureAnchors', missing, quick ? [{ attributes: [1, 10], iterations: 3 }] : [])
    : skip('anchors', missing);

  const report = {
    abe: abe?.abe ?? null,
    primitives: abe?.primitives ?? null,
    aba,
    seal,
    merkle,
    anchors,
    missing,
    meta: {
      started_at: started.toISOString(),
      finished_at: new Date().toISOString(),
      node: process.version,
      cpus: os.cpus().length,
      cpu_model: os.cpus()[0]?.model ?? 'unknown',
      load_average_1m: { before: loadBefore, after: os.loadavg()[0] },
      quick,
      abe_unavailable_backends: abe?.unavailable ?? {},
    },
  };
  mkdirSync(path.dirname(out), { recursive: true });
  const tmp = out.replace(/\.json$/, '') + '.tmp.json';
  writeFileSync(tmp, JSON.stringify(report, null, 2) + '\n');
  renameSync(tmp, out);

  if (abe) process.stdout.write(abeTable(abe) + '\n\n');
  if (anchors && abe) process.stdout.write(ratioTable(abe.abe, anchors) + '\n\n');
  for (const [part, why] of Object.entries(missing)) process.stdout.write(`missing: ${part} — ${why}\n`);
  process.stdout.write(`wrote ${out}\n`);
}

function skip(name: string, missing: Record<string, string>): null {
  missing[name] = 'not requested';
  return null;
}

async function optional<T>(name: string, file: string, exportName: string, missing: Record<string, string>, args: unknown[]): Promise<T | null> {
  const f = await loadPart<T>(file, exportName);
  if (typeof f === 'string') {
    missing[name] = f;
    return null;
  }
  process.stderr.write(`[bench:crypto] measuring ${name}\n`);
  return runPart(name, missing, () => f(...args));
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:crypto failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
