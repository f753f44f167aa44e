import * as mcl from 'mcl-wasm';
import { CryptoError, CryptoErrorCode } from '../errors';
import type { GtElement, MillerLoopValue, PlainPairingTerm } from '../pairing/pairing-backend';
import { frNeg } from '../pairing/scalar-field';
import { AbeByteWriter, AbeEncodingKind } from './abe-encoding';
import { ABE_ATTRIBUTE_DST, type AbeCiphertext, type AbePublicKeyDirectory, type AbeScheme, type AbeUserKeySet } from './abe-scheme';
import type { AbeWasmWorkerPool } from './abe-wasm-worker-pool';

interface WorkerRow {
  c1: Uint8Array;
  c2: Uint8Array;
  c3: Uint8Array;
  c4: Uint8Array;
}

const hex = (x: bigint): string => x.toString(16);

/** mcl writes each F_p² of a GT element as (c1, c0); the canonical order is (c0, c1). */
function canonicalGt(mclBytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(mclBytes.length);
  for (let i = 0; i < mclBytes.length; i += 96) {
    out.set(mclBytes.subarray(i + 48, i + 96), i);
    out.set(mclBytes.subarray(i, i + 48), i + 48);
  }
  return out;
}

function requireWasm(scheme: AbeScheme): void {
  if (scheme.backend.name !== 'wasm') {
    throw new CryptoError(CryptoErrorCode.BackendUnavailable, 'the two-thread path is for the WASM backend only');
  }
}

/**
 * RW15 encryption on two cores: the same plan (and so, for the same random source, the same
 * bytes) as `AbeScheme.encapsulate`, with the second half of the rows computed by the worker.
 * Returns M and the canonical ciphertext encoding (abeEncodeCiphertext's format).
 */
export async function abeEncapsulateParallel(
  scheme: AbeScheme,
  pool: AbeWasmWorkerPool,
  policy: string,
  directory: AbePublicKeyDirectory,
): Promise<{ key: GtElement; ciphertext: Uint8Array }> {
  requireWasm(scheme);
  const b = scheme.backend;
  const plan = scheme.planEncryption(policy, directory);
  const n = plan.rows.length;
  const split = Math.ceil(n / 2);
  const mclGt = (g: GtElement): Uint8Array => (g as unknown as mcl.GT).serialize();
  const remote = pool.call<WorkerRow[]>('encryptRows', {
    egg: mclGt(scheme.gtGenerator),
    dst: ABE_ATTRIBUTE_DST,
    rows: plan.rows.slice(split).map((r) => ({
      eggAlpha: mclGt(r.publicKey.eggAlpha),
      gY: b.g1ToBytes(r.publicKey.gY),
      label: `${r.name}@${r.authority}#${r.epoch}`,
      lambda: hex(r.lambda),
      omega: hex(r.omega),
      t: hex(r.t),
      negT: hex(frNeg(r.t)),
    })),
  });
  const local = plan.rows.slice(0, split).map((_, x) => {
    const row = scheme.encryptRow(plan, x);
    return { c1: b.gtToBytes(row.c1), c2: b.g1ToBytes(row.c2), c3: b.g1ToBytes(row.c3), c4: b.g2ToBytes(row.c4) };
  });
  const rows = [...local, ...(await remote).map((r) => ({ ...r, c1: canonicalGt(r.c1) }))];
  const w = new AbeByteWriter().header(AbeEncodingKind.Ciphertext).string(plan.policy).bytes(b.gtToBytes(plan.c0)).u16(n);
  rows.forEach((r, x) => w.u32(plan.rows[x].epoch).bytes(r.c1).bytes(r.c2).bytes(r.c3).bytes(r.c4));
  return { key: plan.key, ciphertext: w.finish() };
}

/**
 * RW15 decryption on two cores: the worker runs the Miller loops of the plain pairs
 * (c_x·K'_x, C4_x) while this thread runs the prepared ones (c_x·C2_x, K_x) and (Σ c_x·C3_x,
 * H(GID)); one final exponentiation here. Same result as `AbeScheme.decapsulate`.
 */
export async function abeDecapsulateParallel(
  scheme: AbeScheme,
  pool: AbeWasmWorkerPool,
  ciphertext: AbeCiphertext,
  keys: AbeUserKeySet,
): Promise<GtElement> {
  requireWasm(scheme);
  const b = scheme.backend;
  const plan = scheme.planDecryption(ciphertext, keys);
  const pairs = plan.plain.map((t: PlainPairingTerm) => ({ g1: b.g1ToBytes(t.g1), g2: b.g2ToBytes(t.g2) }));
  const remote = pairs.length > 0 ? pool.call<Uint8Array>('millerLoop', { pairs }) : undefined;
  const localMiller = b.millerLoop(plan.prepared, []) as unknown as mcl.GT;
  let f = localMiller;
  if (remote !== undefined) {
    const other = new mcl.GT();
    other.deserialize(await remote);
    f = mcl.mul(localMiller, other);
  }
  const eggS = b.gtMul(plan.c1, b.finalExponentiation(f as unknown as MillerLoopValue));
  return b.gtMul(ciphertext.c0, b.gtInv(eggS));
}
