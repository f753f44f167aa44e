import * as mcl from 'mcl-wasm';
import { CryptoError, CryptoErrorCode } from '../errors';
import {
  PAIRING_G1_BYTES,
  PAIRING_G2_BYTES,
  PAIRING_GT_BYTES,
  type G1FixedBase,
  type G1Point,
  type G2FixedBase,
  type G2Point,
  type G2Prepared,
  type GtElement,
  type GtFixedBase,
  type MillerLoopValue,
  type PairingBackend,
  type PlainPairingTerm,
  type PreparedPairingTerm,
} from './pairing-backend';
import { frToBytes } from './scalar-field';
import { combAccumulate, combBuild, type CombGroup, type CombTable, type MclCombModule } from './wasm-comb-table';

/** The parts of mcl's emscripten module this backend calls directly (not in mcl-wasm's typings). */
interface MclModule extends MclCombModule {
  HEAP8: Int8Array;
  _mclBnG1_hashAndMapToWithDst(out: number, msg: number, msgLen: number, dst: number, dstLen: number): number;
  _mclBnG2_hashAndMapToWithDst(out: number, msg: number, msgLen: number, dst: number, dstLen: number): number;
  _mclBn_millerLoopVec(out: number, g1s: number, g2s: number, n: number): void;
  _mclBnG1_mulCT(out: number, p: number, s: number): void;
  _mclBnG2_mulCT(out: number, p: number, s: number): void;
  _mclBn_precomputedMillerLoop(out: number, p: number, lines: number): void;
  _mclBn_precomputedMillerLoop2(out: number, p1: number, lines1: number, p2: number, lines2: number): void;
}

/**
 * Comb window widths: 2^(w−1) entries per window, ⌈256/w⌉ windows, one group operation per
 * window. G1 w=8: 32 additions, 0.6 MB; G2 w=6: 43 additions, 0.4 MB (one table per cached
 * attribute hash); GT w=8: 32 multiplications, 2.4 MB (e(g1,g2) and one per authority).
 */
const COMB_WIDTH: Record<CombGroup, number> = { G1: 8, G2: 6, GT: 8 };

/** mcl values keep their limbs in a public-but-untyped `a_` word array. */
function words(v: unknown): Uint32Array {
  return (v as { a_: Uint32Array }).a_;
}

type Ctor<T> = new () => T;

/** Frees mcl's heap-allocated Miller lines once their G2Prepared handle is unreachable. */
const preparedLines = new FinalizationRegistry<mcl.PrecomputedG2>((lines) => lines.destroy());
/** Frees a comb table's heap block once its handle is unreachable. */
const combBlocks = new FinalizationRegistry<number>((ptr) => mod?._free(ptr));

/** A fixed-base handle; its heap block lives as long as the handle does. */
interface CombHandle {
  readonly table: CombTable;
}

let ready: Promise<void> | undefined;
let mod: MclModule | undefined;

function initMcl(): Promise<void> {
  ready ??= (async () => {
    await mcl.init(mcl.BLS12_381);
    // ZCash/IETF compressed big-endian encodings, the same bytes blst produces.
    mcl.setETHserialization(true);
    // RFC 9380 simplified SWU with the 3-/11-isogeny and h_eff cofactor clearing.
    mcl.setMapToMode(mcl.IRTF);
    // Decoding checks subgroup membership, not only the curve equation.
    mcl.verifyOrderG1(true);
    mcl.verifyOrderG2(true);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = (require('mcl-wasm/dist/mcl') as { mod: MclModule }).mod;
  })();
  return ready;
}

const G1_SIZE = words(new mcl.G1()).length * 4;
const G2_SIZE = words(new mcl.G2()).length * 4;
const GT_SIZE = words(new mcl.GT()).length * 4;
const FR_SIZE = words(new mcl.Fr()).length * 4;

/** Runs `f` with `values` copied into fresh WASM heap blocks, freeing them afterwards. */
function withHeap<R>(m: MclModule, sizes: number[], f: (ptrs: number[]) => R): R {
  const ptrs = sizes.map((s) => m._malloc(s));
  try {
    return f(ptrs);
  } finally {
    for (const p of ptrs) m._free(p);
  }
}

function copyIn(m: MclModule, v: unknown, ptr: number): void {
  m.HEAP32.set(words(v), ptr >> 2);
}

function copyInArray(m: MclModule, vs: readonly unknown[], ptr: number, size: number): void {
  vs.forEach((v, i) => copyIn(m, v, ptr + i * size));
}

function copyOut<T>(m: MclModule, ctor: Ctor<T>, ptr: number): T {
  const out = new ctor();
  const w = words(out);
  w.set(new Uint32Array(m.HEAP32.buffer, ptr, w.length));
  return out;
}

function toFr(scalar: bigint): mcl.Fr {
  const fr = new mcl.Fr();
  fr.setBigEndianMod(frToBytes(scalar));
  return fr;
}

function decodeFailure(what: string, cause: unknown): CryptoError {
  return new CryptoError(CryptoErrorCode.InvalidPoint, `${what} is not a canonical point of the subgroup`, { cause });
}

/**
 * The WASM backend over mcl-wasm (herumi/mcl compiled to WebAssembly): runs in browsers and on
 * machines without a Rust toolchain. Secret scalar multiplications use mcl's constant-time
 * `mulCT`. mcl has no fixed-base tables, so this backend builds signed-window comb tables on
 * mcl's heap (wasm-comb-table.ts) and runs them with mcl's own add/sub/mul, one WASM call per
 * window. Miller loops and table runs work on heap pointers, not on mcl-wasm's JS objects.
 */
export class WasmPairingBackend implements PairingBackend {
  readonly name = 'wasm' as const;

  private constructor(private readonly m: MclModule) {}

  /** Initialises mcl for BLS12-381 (once per process) and returns the backend. */
  static async create(): Promise<WasmPairingBackend> {
    try {
      await initMcl();
    } catch (cause) {
      throw new CryptoError(CryptoErrorCode.BackendUnavailable, 'mcl-wasm failed to initialise', { cause });
    }
    return new WasmPairingBackend(mod as MclModule);
  }

  g1Generator(): G1Point {
    return this.g1Gen.clone() as unknown as G1Point;
  }
  g1Identity(): G1Point {
    return new mcl.G1() as unknown as G1Point;
  }
  g1Add(a: G1Point, b: G1Point): G1Point {
    return mcl.add(g1(a), g1(b)) as unknown as G1Point;
  }
  g1Neg(a: G1Point): G1Point {
    return mcl.neg(g1(a)) as unknown as G1Point;
  }
  g1Mul(a: G1Point, scalar: bigint): G1Point {
    return this.mulCT(this.m._mclBnG1_mulCT.bind(this.m), g1(a), scalar, mcl.G1, G1_SIZE) as unknown as G1Point;
  }
  g1Msm(points: readonly G1Point[], scalars: readonly bigint[]): G1Point {
    if (points.length !== scalars.length) throw lengthMismatch();
    if (points.length === 0) return this.g1Identity();
    return mcl.mulVec(points.map(g1), scalars.map(toFr)) as unknown as G1Point;
  }
  g1Equals(a: G1Point, b: G1Point): boolean {
    return g1(a).isEqual(g1(b));
  }
  g1IsIdentity(a: G1Point): boolean {
    return g1(a).isZero();
  }
  g1ToBytes(a: G1Point): Uint8Array {
    return g1(a).serialize();
  }
  g1FromBytes(bytes: Uint8Array): G1Point {
    return decodePoint(bytes, PAIRING_G1_BYTES, mcl.G1, 'G1') as unknown as G1Point;
  }
  g1HashToCurve(message: Uint8Array, dst: Uint8Array): G1Point {
    return this.hash(this.m._mclBnG1_hashAndMapToWithDst.bind(this.m), message, dst, mcl.G1, G1_SIZE) as unknown as G1Point;
  }
  g1FixedBase(a: G1Point): G1FixedBase {
    return this.combTable('G1', g1(a), G1_SIZE) as unknown as G1FixedBase;
  }
  g1FixedMul(table: G1FixedBase, scalar: bigint): G1Point {
    return this.combRun([table], [scalar], mcl.G1, G1_SIZE) as unknown as G1Point;
  }
  g1FixedMulSum(tables: readonly G1FixedBase[], scalars: readonly bigint[]): G1Point {
    if (tables.length !== scalars.length) throw lengthMismatch();
    return this.combRun(tables, scalars, mcl.G1, G1_SIZE) as unknown as G1Point;
  }

  g2Generator(): G2Point {
    return this.g2Gen.clone() as unknown as G2Point;
  }
  g2Identity(): G2Point {
    return new mcl.G2() as unknown as G2Point;
  }
  g2Add(a: G2Point, b: G2Point): G2Point {
    return mcl.add(g2(a), g2(b)) as unknown as G2Point;
  }
  g2Neg(a: G2Point): G2Point {
    return mcl.neg(g2(a)) as unknown as G2Point;
  }
  g2Mul(a: G2Point, scalar: bigint): G2Point {
    return this.mulCT(this.m._mclBnG2_mulCT.bind(this.m), g2(a), scalar, mcl.G2, G2_SIZE) as unknown as G2Point;
  }
  g2Msm(points: readonly G2Point[], scalars: readonly bigint[]): G2Point {
    if (points.length !== scalars.length) throw lengthMismatch();
    if (points.length === 0) return this.g2Identity();
    return mcl.mulVec(points.map(g2), scalars.map(toFr)) as unknown as G2Point;
  }
  g2Equals(a: G2Point, b: G2Point): boolean {
    return g2(a).isEqual(g2(b));
  }
  g2IsIdentity(a: G2Point): boolean {
    return g2(a).isZero();
  }
  g2ToBytes(a: G2Point): Uint8Array {
    return g2(a).serialize();
  }
  g2FromBytes(bytes: Uint8Array): G2Point {
    return decodePoint(bytes, PAIRING_G2_BYTES, mcl.G2, 'G2') as unknown as G2Point;
  }
  g2HashToCurve(message: Uint8Array, dst: Uint8Array): G2Point {
    return this.hash(this.m._mclBnG2_hashAndMapToWithDst.bind(this.m), message, dst, mcl.G2, G2_SIZE) as unknown as G2Point;
  }
  g2FixedBase(a: G2Point): G2FixedBase {
    return this.combTable('G2', g2(a), G2_SIZE) as unknown as G2FixedBase;
  }
  g2FixedMul(table: G2FixedBase, scalar: bigint): G2Point {
    return this.combRun([table], [scalar], mcl.G2, G2_SIZE) as unknown as G2Point;
  }
  g2Prepare(a: G2Point): G2Prepared {
    if (g2(a).isZero()) return { point: g2(a), lines: undefined } as unknown as G2Prepared;
    const lines = new mcl.PrecomputedG2(g2(a));
    const handle = { point: g2(a), lines };
    // mcl keeps the lines on the WASM heap; free them when the handle is collected.
    preparedLines.register(handle, lines);
    return handle as unknown as G2Prepared;
  }

  gtOne(): GtElement {
    const one = new mcl.GT();
    one.setInt(1);
    return one as unknown as GtElement;
  }
  gtMul(a: GtElement, b: GtElement): GtElement {
    return mcl.mul(gt(a), gt(b)) as unknown as GtElement;
  }
  gtInv(a: GtElement): GtElement {
    return mcl.inv(gt(a)) as unknown as GtElement;
  }
  gtPow(a: GtElement, scalar: bigint): GtElement {
    return mcl.pow(gt(a), toFr(scalar)) as unknown as GtElement;
  }
  gtEquals(a: GtElement, b: GtElement): boolean {
    return gt(a).isEqual(gt(b));
  }
  gtToBytes(a: GtElement): Uint8Array {
    return swapFp2Halves(gt(a).serialize());
  }
  gtFromBytes(bytes: Uint8Array): GtElement {
    if (!(bytes instanceof Uint8Array) || bytes.length !== PAIRING_GT_BYTES) {
      throw new CryptoError(CryptoErrorCode.MalformedInput, `GT element must be ${PAIRING_GT_BYTES} bytes`);
    }
    const x = new mcl.GT();
    const mclBytes = swapFp2Halves(bytes);
    try {
      x.deserialize(mclBytes);
    } catch (cause) {
      throw decodeFailure('GT element', cause);
    }
    // Canonical: re-encoding gives the same bytes; in GT: x^r = 1 and x ≠ 0.
    const again = x.serialize();
    if (x.isZero() || !bytesEqual(again, mclBytes) || !this.inGt(x)) throw decodeFailure('GT element', undefined);
    return x as unknown as GtElement;
  }
  gtFixedBase(a: GtElement): GtFixedBase {
    return this.combTable('GT', gt(a), GT_SIZE) as unknown as GtFixedBase;
  }
  gtFixedPowProduct(tables: readonly GtFixedBase[], scalars: readonly bigint[]): GtElement {
    if (tables.length !== scalars.length) throw lengthMismatch();
    return this.combRun(tables, scalars, mcl.GT, GT_SIZE) as unknown as GtElement;
  }

  pairing(a: G1Point, b: G2Point): GtElement {
    return mcl.pairing(g1(a), g2(b)) as unknown as GtElement;
  }
  millerLoop(prepared: readonly PreparedPairingTerm[], plain: readonly PlainPairingTerm[]): MillerLoopValue {
    const m = this.m;
    const lined = prepared.filter((t) => preparedOf(t.g2).lines !== undefined && !g1(t.g1).isZero());
    const live = plain.filter((t) => !g1(t.g1).isZero() && !g2(t.g2).isZero());
    const k = lined.length;
    const n = live.length;
    // Everything on the heap at once; prepared terms go two per call (mcl shares the squarings
    // of f between the two), plain terms all in one millerLoopVec; one product accumulates.
    return withHeap(m, [GT_SIZE, GT_SIZE, G1_SIZE * Math.max(k, 1), G1_SIZE * Math.max(n, 1), G2_SIZE * Math.max(n, 1)], ([acc, f, ps, plainG1, plainG2]) => {
      copyIn(m, this.one, acc);
      copyInArray(m, lined.map((t) => g1(t.g1)), ps, G1_SIZE);
      const lines = lined.map((t) => linesPointer(preparedOf(t.g2).lines as mcl.PrecomputedG2));
      for (let i = 0; i + 1 < k; i += 2) {
        m._mclBn_precomputedMillerLoop2(f, ps + i * G1_SIZE, lines[i], ps + (i + 1) * G1_SIZE, lines[i + 1]);
        m._mclBnGT_mul(acc, acc, f);
      }
      if (k % 2 === 1) {
        m._mclBn_precomputedMillerLoop(f, ps + (k - 1) * G1_SIZE, lines[k - 1]);
        m._mclBnGT_mul(acc, acc, f);
      }
      if (n > 0) {
        copyInArray(m, live.map((t) => g1(t.g1)), plainG1, G1_SIZE);
        copyInArray(m, live.map((t) => g2(t.g2)), plainG2, G2_SIZE);
        m._mclBn_millerLoopVec(f, plainG1, plainG2, n);
        m._mclBnGT_mul(acc, acc, f);
      }
      return copyOut(m, mcl.GT, acc) as unknown as MillerLoopValue;
    });
  }
  finalExponentiation(f: MillerLoopValue): GtElement {
    return mcl.finalExp(f as unknown as mcl.GT) as unknown as GtElement;
  }
  pairingProduct(prepared: readonly PreparedPairingTerm[], plain: readonly PlainPairingTerm[]): GtElement {
    return this.finalExponentiation(this.millerLoop(prepared, plain));
  }

  /**
   * @internal mcl's in-memory words of an element (or Miller-loop value), for handing it to
   * another mcl-wasm instance of the same build (the ABE worker thread) without the cost of
   * point compression and decompression (~0.3–0.5 ms per point).
   */
  exportWords(x: G1Point | G2Point | GtElement | MillerLoopValue): Uint32Array {
    return words(x).slice();
  }
  /** @internal The inverse of exportWords. No checks: only for words from a trusted thread. */
  g1FromWords(w: Uint32Array): G1Point {
    return fromWords(mcl.G1, w) as unknown as G1Point;
  }
  /** @internal See g1FromWords. */
  g2FromWords(w: Uint32Array): G2Point {
    return fromWords(mcl.G2, w) as unknown as G2Point;
  }
  /** @internal See g1FromWords. */
  millerFromWords(w: Uint32Array): MillerLoopValue {
    return fromWords(mcl.GT, w) as unknown as MillerLoopValue;
  }
  /** @internal The product of two Miller-loop values (halves computed on two threads). */
  millerMul(a: MillerLoopValue, b: MillerLoopValue): MillerLoopValue {
    return mcl.mul(gt(a), gt(b)) as unknown as MillerLoopValue;
  }

  // The standard BLS12-381 generators (the ones blst uses), set by their compressed encodings.
  private readonly g1Gen: mcl.G1 = decodePoint(hexToBytes(G1_GENERATOR_HEX), PAIRING_G1_BYTES, mcl.G1, 'G1');
  private readonly g2Gen: mcl.G2 = decodePoint(hexToBytes(G2_GENERATOR_HEX), PAIRING_G2_BYTES, mcl.G2, 'G2');

  private readonly one: mcl.GT = (() => {
    const one = new mcl.GT();
    one.setInt(1);
    return one;
  })();

  /** Builds a comb table for `base` and ties the heap block's life to the returned handle. */
  private combTable(group: CombGroup, base: unknown, size: number): CombHandle {
    const m = this.m;
    const table = withHeap(m, [size], ([p]) => {
      copyIn(m, base, p);
      return combBuild(m, group, p, size, COMB_WIDTH[group]);
    });
    const handle: CombHandle = { table };
    combBlocks.register(handle, table.ptr);
    return handle;
  }

  /** Σ scalar_i · table_i (or Π in GT) from the identity, in one pass over mcl's heap. */
  private combRun<T>(handles: readonly unknown[], scalars: readonly bigint[], ctor: Ctor<T>, size: number): T {
    const m = this.m;
    return withHeap(m, [size, size], ([acc, tmp]) => {
      if (size === GT_SIZE) copyIn(m, this.one, acc);
      else m.HEAP32.fill(0, acc >> 2, (acc + size) >> 2);
      combAccumulate(m, handles.map((h) => (h as CombHandle).table), scalars, acc, tmp);
      return copyOut(m, ctor, acc);
    });
  }

  private inGt(x: mcl.GT): boolean {
    const r = new mcl.Fr();
    r.setInt(-1);
    // x^(r-1) · x = x^r, which is 1 exactly for elements of the order-r subgroup.
    return mcl.mul(mcl.pow(x, r), x).isOne();
  }

  private mulCT<T>(
    f: (out: number, p: number, s: number) => void,
    p: T,
    scalar: bigint,
    ctor: Ctor<T>,
    size: number,
  ): T {
    const m = this.m;
    return withHeap(m, [size, size, FR_SIZE], ([out, pp, sp]) => {
      copyIn(m, p, pp);
      copyIn(m, toFr(scalar), sp);
      f(out, pp, sp);
      return copyOut(m, ctor, out);
    });
  }

  private hash<T>(
    f: (out: number, msg: number, msgLen: number, dst: number, dstLen: number) => number,
    message: Uint8Array,
    dst: Uint8Array,
    ctor: Ctor<T>,
    size: number,
  ): T {
    if (dst.length === 0 || dst.length > 255) throw new CryptoError(CryptoErrorCode.MalformedInput, 'DST must be 1..255 bytes');
    const m = this.m;
    return withHeap(m, [size, Math.max(message.length, 1), dst.length], ([out, mp, dp]) => {
      m.HEAP8.set(message, mp);
      m.HEAP8.set(dst, dp);
      if (f(out, mp, message.length, dp, dst.length) !== 0) {
        throw new CryptoError(CryptoErrorCode.MalformedInput, 'hash-to-curve failed');
      }
      return copyOut(m, ctor, out);
    });
  }
}

const G1_GENERATOR_HEX =
  '97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb';
const G2_GENERATOR_HEX =
  '93e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e' +
  '024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8';

function g1(a: unknown): mcl.G1 {
  return a as mcl.G1;
}
function g2(a: unknown): mcl.G2 {
  return a as mcl.G2;
}
function gt(a: unknown): mcl.GT {
  return a as mcl.GT;
}

function fromWords<T>(ctor: Ctor<T>, w: Uint32Array): T {
  const out = new ctor();
  const mine = words(out);
  if (w.length !== mine.length) throw new CryptoError(CryptoErrorCode.MalformedInput, 'element words of the wrong size');
  mine.set(w);
  return out;
}

function preparedOf(a: unknown): { point: mcl.G2; lines?: mcl.PrecomputedG2 } {
  return a as { point: mcl.G2; lines?: mcl.PrecomputedG2 };
}

/** The heap address of mcl's precomputed lines (a public field missing from the typings). */
function linesPointer(lines: mcl.PrecomputedG2): number {
  return (lines as unknown as { p: number }).p;
}

function lengthMismatch(): CryptoError {
  return new CryptoError(CryptoErrorCode.MalformedInput, 'points and scalars differ in length');
}

function decodePoint<T extends mcl.G1 | mcl.G2>(bytes: Uint8Array, length: number, ctor: Ctor<T>, what: string): T {
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw new CryptoError(CryptoErrorCode.MalformedInput, `${what} point must be ${length} bytes`);
  }
  const p = new ctor();
  try {
    p.deserialize(bytes);
  } catch (cause) {
    throw decodeFailure(`${what} point`, cause);
  }
  if (!p.isValidOrder() || !bytesEqual(p.serialize(), bytes)) throw decodeFailure(`${what} point`, undefined);
  return p;
}

/**
 * mcl's ETH-mode GT serialisation writes each Fp2 coefficient as (c1, c0); the canonical
 * encoding (and blst's tower order) is (c0, c1). The permutation is its own inverse.
 */
function swapFp2Halves(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += 96) {
    out.set(bytes.subarray(i + 48, i + 96), i);
    out.set(bytes.subarray(i, i + 48), i + 48);
  }
  return out;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

function hexToBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}
