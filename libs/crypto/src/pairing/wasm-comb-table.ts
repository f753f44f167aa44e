/**
 * Fixed-base comb tables on mcl-wasm's own heap, for the WASM backend (mcl has none).
 *
 * A table for base B with window width w holds j · 2^(w·i) · B for every window i and
 * j = 1 … 2^(w−1). A scalar is recoded into signed digits d_i ∈ [−2^(w−1), 2^(w−1)], and
 * k·B = Σ_i d_i · 2^(w·i) · B costs one group operation per non-zero digit and no doublings
 * (a negative digit uses the entry's negation, which is cheap in all three groups). Points are
 * stored normalised (z = 1), so mcl takes its mixed-addition path.
 *
 * Everything runs on raw heap pointers with mcl's exported C functions: one WASM call per
 * digit, no JavaScript objects per step. Lookups index the table by the digit, so the memory
 * access pattern depends on the scalar: tables are for public values and one-time randomness
 * only (docs/crypto/abe.md, constant-time notes).
 */

/** The exported mcl functions the tables use (mcl's C API, compiled into mcl-wasm). */
export interface MclCombModule {
  HEAP32: Int32Array;
  _malloc(n: number): number;
  _free(p: number): void;
  _mclBnG1_add(z: number, x: number, y: number): void;
  _mclBnG1_sub(z: number, x: number, y: number): void;
  _mclBnG1_dbl(y: number, x: number): void;
  _mclBnG1_normalizeVec(y: number, x: number, n: number): void;
  _mclBnG2_add(z: number, x: number, y: number): void;
  _mclBnG2_sub(z: number, x: number, y: number): void;
  _mclBnG2_dbl(y: number, x: number): void;
  _mclBnG2_normalizeVec(y: number, x: number, n: number): void;
  _mclBnGT_mul(z: number, x: number, y: number): void;
  _mclBnGT_sqr(y: number, x: number): void;
  _mclBnGT_inv(y: number, x: number): void;
}

/** Which group a table is for. */
export type CombGroup = 'G1' | 'G2' | 'GT';

/** A comb table: `windows` × `half` elements of `size` bytes at `ptr` on mcl's heap. */
export interface CombTable {
  readonly group: CombGroup;
  readonly ptr: number;
  readonly width: number;
  readonly windows: number;
  readonly half: number;
  readonly size: number;
}

/** Bits of a scalar below r (r < 2^255). */
const SCALAR_BITS = 255;

/** Windows needed so that the top signed digit never carries out: ⌈(255 + 1) / w⌉. */
export function combWindows(width: number): number {
  return Math.ceil((SCALAR_BITS + 1) / width);
}

/**
 * Signed base-2^w digits of a scalar in [0, 2^255), least significant first, each in
 * [−2^(w−1), 2^(w−1)]: Σ d_i 2^(w·i) = scalar.
 */
export function combSignedDigits(scalar: bigint, width: number, windows: number = combWindows(width)): Int32Array {
  const hex = scalar.toString(16).padStart(64, '0');
  if (hex.length > 64) throw new RangeError('scalar wider than 256 bits');
  const limbs = new Uint32Array(9);
  for (let i = 0; i < 8; i++) limbs[i] = parseInt(hex.slice(56 - 8 * i, 64 - 8 * i), 16);
  const mask = (1 << width) - 1;
  const half = 1 << (width - 1);
  const digits = new Int32Array(windows);
  let carry = 0;
  for (let i = 0; i < windows; i++) {
    const bit = i * width;
    const limb = bit >>> 5;
    const offset = bit & 31;
    let v = limbs[limb] >>> offset;
    if (offset + width > 32) v |= limbs[limb + 1] << (32 - offset);
    v = (v & mask) + carry;
    if (v > half) {
      digits[i] = v - (1 << width);
      carry = 1;
    } else {
      digits[i] = v;
      carry = 0;
    }
  }
  if (carry !== 0) throw new RangeError('scalar does not fit the comb windows');
  return digits;
}

/**
 * Builds the table of `base` (the element's words, already on the heap at `basePtr`) in a
 * fresh heap block. The caller owns the block (free it with `m._free(table.ptr)`).
 */
export function combBuild(m: MclCombModule, group: CombGroup, basePtr: number, size: number, width: number): CombTable {
  const windows = combWindows(width);
  const half = 1 << (width - 1);
  const count = windows * half;
  const ptr = m._malloc(count * size);
  const at = (i: number, j: number): number => ptr + (i * half + (j - 1)) * size;
  const words = size >> 2;
  m.HEAP32.copyWithin(at(0, 1) >> 2, basePtr >> 2, (basePtr >> 2) + words);
  const [add, dbl] =
    group === 'G1'
      ? [m._mclBnG1_add, m._mclBnG1_dbl]
      : group === 'G2'
        ? [m._mclBnG2_add, m._mclBnG2_dbl]
        : [m._mclBnGT_mul, m._mclBnGT_sqr];
  for (let i = 0; i < windows; i++) {
    const first = at(i, 1);
    if (half >= 2) dbl(at(i, 2), first);
    for (let j = 3; j <= half; j++) add(at(i, j), at(i, j - 1), first);
    // 2 · (half · 2^(w·i) · B) = 2^(w·(i+1)) · B starts the next window.
    if (i + 1 < windows) dbl(at(i + 1, 1), at(i, half));
  }
  if (group === 'G1') m._mclBnG1_normalizeVec(ptr, ptr, count);
  else if (group === 'G2') m._mclBnG2_normalizeVec(ptr, ptr, count);
  return { group, ptr, width, windows, half, size };
}

/**
 * Accumulates Σ scalar_i · table_i (G1, G2) or Π table_i^scalar_i (GT) into the element at
 * `accPtr`, which the caller initialises (identity, or a running value). `tmpPtr` is scratch
 * for one element (GT only: the inverse of an entry for a negative digit).
 */
export function combAccumulate(
  m: MclCombModule,
  tables: readonly CombTable[],
  scalars: readonly bigint[],
  accPtr: number,
  tmpPtr: number,
): void {
  for (let k = 0; k < tables.length; k++) {
    const t = tables[k];
    const digits = combSignedDigits(scalars[k], t.width, t.windows);
    const stride = t.half * t.size;
    if (t.group === 'GT') {
      for (let i = 0; i < digits.length; i++) {
        const d = digits[i];
        if (d > 0) m._mclBnGT_mul(accPtr, accPtr, t.ptr + i * stride + (d - 1) * t.size);
        else if (d < 0) {
          // Elements of GT are unitary, so mcl's inverse is a conjugation (cheap).
          m._mclBnGT_inv(tmpPtr, t.ptr + i * stride + (-d - 1) * t.size);
          m._mclBnGT_mul(accPtr, accPtr, tmpPtr);
        }
      }
    } else {
      const [add, sub] = t.group === 'G1' ? [m._mclBnG1_add, m._mclBnG1_sub] : [m._mclBnG2_add, m._mclBnG2_sub];
      for (let i = 0; i < digits.length; i++) {
        const d = digits[i];
        if (d > 0) add(accPtr, accPtr, t.ptr + i * stride + (d - 1) * t.size);
        else if (d < 0) sub(accPtr, accPtr, t.ptr + i * stride + (-d - 1) * t.size);
      }
    }
  }
}
