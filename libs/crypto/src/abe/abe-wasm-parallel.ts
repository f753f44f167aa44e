import { CryptoError, CryptoErrorCode } from '../errors';
import type { GtElement } from '../pairing/pairing-backend';
import { WasmPairingBackend } from '../pairing/wasm-pairing-backend';
import { AbeByteWriter, AbeEncodingKind } from './abe-encoding';
import type { AbeCiphertext, AbePublicKeyDirectory, AbeScheme, AbeUserKeySet } from './abe-scheme';
import type { AbeWorkerRowBytes } from './abe-wasm-worker';
import type { AbeWasmWorkerPool } from './abe-wasm-worker-pool';

function wasmBackendOf(scheme: AbeScheme): WasmPairingBackend {
  if (!(scheme.backend instanceof WasmPairingBackend)) {
    throw new CryptoError(CryptoErrorCode.BackendUnavailable, 'the two-thread path is for the WASM backend only');
  }
  return scheme.backend;
}

/**
 * RW15 encryption on two cores: the same plan (and so, for the same random source, the same
 * bytes) as `AbeScheme.encapsulate`, with the rows split between this thread and the worker,
 * which runs the same `encryptRow`. This thread also computes C0 and M, so the worker takes the
 * larger half. Returns M and the canonical ciphertext encoding (abeEncodeCiphertext's format).
 */
export async function abeEncapsulateParallel(
  scheme: AbeScheme,
  pool: AbeWasmWorkerPool,
  policy: string,
  directory: AbePublicKeyDirectory,
): Promise<{ key: GtElement; ciphertext: Uint8Array }> {
  const b = wasmBackendOf(scheme);
  const plan = scheme.planEncryption(policy, directory);
  const n = plan.rows.length;
  const split = Math.floor(n / 2);
  const remote =
    split < n && n > 1
      ? pool.call<AbeWorkerRowBytes[]>({
          op: 'encryptRows',
          rows: plan.rows.slice(split).map((r) => ({
            authority: r.authority,
            eggAlpha: b.gtToBytes(r.publicKey.eggAlpha),
            gY: b.g1ToBytes(r.publicKey.gY),
            name: r.name,
            epoch: r.epoch,
            lambda: r.lambda,
            omega: r.omega,
            t: r.t,
          })),
        })
      : undefined;
  const localCount = remote === undefined ? n : split;
  const local: AbeWorkerRowBytes[] = plan.rows.slice(0, localCount).map((_, x) => {
    const row = scheme.encryptRow(plan, x);
    return { c1: b.gtToBytes(row.c1), c2: b.g1ToBytes(row.c2), c3: b.g1ToBytes(row.c3), c4: b.g2ToBytes(row.c4) };
  });
  const rows = remote === undefined ? local : [...local, ...(await remote)];
  const w = new AbeByteWriter().header(AbeEncodingKind.Ciphertext).string(plan.policy).bytes(b.gtToBytes(plan.c0)).u16(n);
  rows.forEach((r, x) => w.u32(plan.rows[x].epoch).bytes(r.c1).bytes(r.c2).bytes(r.c3).bytes(r.c4));
  return { key: plan.key, ciphertext: w.finish() };
}

/**
 * RW15 decryption on two cores: the worker runs the Miller loops of the plain pairs
 * (c_x·K'_x, C4_x) while this thread runs the prepared ones (c_x·C2_x, K_x) and (Σ c_x·C3_x,
 * H(GID)); one final exponentiation here. Points cross as mcl words (no decompression). Same
 * result as `AbeScheme.decapsulate`.
 */
export async function abeDecapsulateParallel(
  scheme: AbeScheme,
  pool: AbeWasmWorkerPool,
  ciphertext: AbeCiphertext,
  keys: AbeUserKeySet,
): Promise<GtElement> {
  const b = wasmBackendOf(scheme);
  const plan = scheme.planDecryption(ciphertext, keys);
  const remote =
    plan.plain.length > 0
      ? pool.call<Uint32Array>({
          op: 'millerLoop',
          pairs: { g1: plan.plain.map((t) => b.exportWords(t.g1)), g2: plan.plain.map((t) => b.exportWords(t.g2)) },
        })
      : undefined;
  let f = b.millerLoop(plan.prepared, []);
  if (remote !== undefined) f = b.millerMul(f, b.millerFromWords(await remote));
  const eggS = b.gtMul(plan.c1, b.finalExponentiation(f));
  return b.gtMul(ciphertext.c0, b.gtInv(eggS));
}
