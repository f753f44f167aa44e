/**
 * The one small interface every pairing-based scheme in @carechain/crypto is written against:
 * BLS12-381 groups G1, G2 (order r), the target group GT, and the optimal ate pairing
 * e: G1 × G2 → GT. Two implementations sit behind it (native blstrs, WASM mcl) and must agree
 * byte for byte on every canonical encoding.
 *
 * Elements are opaque handles owned by the backend that made them; never mix handles from two
 * backends. Scalars are bigints in [0, r) (see scalar-field.ts).
 */

declare const pairingOpaque: unique symbol;
/** A point of G1 (opaque to callers). */
export interface G1Point {
  readonly [pairingOpaque]: 'G1';
}
/** A point of G2 (opaque to callers). */
export interface G2Point {
  readonly [pairingOpaque]: 'G2';
}
/** An element of GT, the order-r subgroup of F_p^12^* (opaque to callers). */
export interface GtElement {
  readonly [pairingOpaque]: 'GT';
}
/** A G2 point with its Miller-loop lines precomputed, for points paired many times. */
export interface G2Prepared {
  readonly [pairingOpaque]: 'G2Prepared';
}
/** A Miller-loop value before the final exponentiation (not a GT element yet). */
export interface MillerLoopValue {
  readonly [pairingOpaque]: 'Miller';
}
/** A fixed-base window table for a G1 point. */
export interface G1FixedBase {
  readonly [pairingOpaque]: 'G1Table';
}
/** A fixed-base window table for a G2 point. */
export interface G2FixedBase {
  readonly [pairingOpaque]: 'G2Table';
}
/** A fixed-base window table for a GT element. */
export interface GtFixedBase {
  readonly [pairingOpaque]: 'GTTable';
}

/** One factor e(g1, g2) of a pairing product where g2's lines are precomputed. */
export interface PreparedPairingTerm {
  readonly g1: G1Point;
  readonly g2: G2Prepared;
}
/** One factor e(g1, g2) of a pairing product. */
export interface PlainPairingTerm {
  readonly g1: G1Point;
  readonly g2: G2Point;
}

export type PairingBackendName = 'native' | 'wasm';

/** Byte lengths of the canonical (compressed) encodings. */
export const PAIRING_G1_BYTES = 48;
export const PAIRING_G2_BYTES = 96;
export const PAIRING_GT_BYTES = 576;

/**
 * BLS12-381 with the operations pairing-based schemes need. Guarantees, for both backends:
 * - `*FromBytes` accept only canonical compressed encodings of points in the prime-order
 *   subgroup (GT: twelve big-endian Fp coefficients below p, element of order r) and throw a
 *   CryptoError (MalformedInput or InvalidPoint) otherwise, never crash;
 * - `*HashToCurve` is RFC 9380 hash_to_curve, suite BLS12381G{1,2}_XMD:SHA-256_SSWU_RO_, with
 *   the caller's domain separation tag;
 * - `g1Mul`/`g2Mul` are constant-time in the scalar; fixed-base tables, MSM and GT
 *   exponentiation are not and are for public values or one-time randomness only;
 * - results are identical across backends for identical inputs.
 */
export interface PairingBackend {
  readonly name: PairingBackendName;

  g1Generator(): G1Point;
  g1Identity(): G1Point;
  g1Add(a: G1Point, b: G1Point): G1Point;
  g1Neg(a: G1Point): G1Point;
  g1Mul(a: G1Point, scalar: bigint): G1Point;
  g1Msm(points: readonly G1Point[], scalars: readonly bigint[]): G1Point;
  g1Equals(a: G1Point, b: G1Point): boolean;
  g1IsIdentity(a: G1Point): boolean;
  g1ToBytes(a: G1Point): Uint8Array;
  g1FromBytes(bytes: Uint8Array): G1Point;
  g1HashToCurve(message: Uint8Array, dst: Uint8Array): G1Point;
  g1FixedBase(a: G1Point): G1FixedBase;
  g1FixedMul(table: G1FixedBase, scalar: bigint): G1Point;
  /** Σ scalar_i · table_i in one call. */
  g1FixedMulSum(tables: readonly G1FixedBase[], scalars: readonly bigint[]): G1Point;

  g2Generator(): G2Point;
  g2Identity(): G2Point;
  g2Add(a: G2Point, b: G2Point): G2Point;
  g2Neg(a: G2Point): G2Point;
  g2Mul(a: G2Point, scalar: bigint): G2Point;
  g2Msm(points: readonly G2Point[], scalars: readonly bigint[]): G2Point;
  g2Equals(a: G2Point, b: G2Point): boolean;
  g2IsIdentity(a: G2Point): boolean;
  g2ToBytes(a: G2Point): Uint8Array;
  g2FromBytes(bytes: Uint8Array): G2Point;
  g2HashToCurve(message: Uint8Array, dst: Uint8Array): G2Point;
  g2FixedBase(a: G2Point): G2FixedBase;
  g2FixedMul(table: G2FixedBase, scalar: bigint): G2Point;
  g2Prepare(a: G2Point): G2Prepared;

  gtOne(): GtElement;
  gtMul(a: GtElement, b: GtElement): GtElement;
  gtInv(a: GtElement): GtElement;
  gtPow(a: GtElement, scalar: bigint): GtElement;
  gtEquals(a: GtElement, b: GtElement): boolean;
  gtToBytes(a: GtElement): Uint8Array;
  gtFromBytes(bytes: Uint8Array): GtElement;
  gtFixedBase(a: GtElement): GtFixedBase;
  /** Π table_i^scalar_i in one call. */
  gtFixedPowProduct(tables: readonly GtFixedBase[], scalars: readonly bigint[]): GtElement;

  /** e(a, b). */
  pairing(a: G1Point, b: G2Point): GtElement;
  /** The product of Miller loops of all terms, without final exponentiation. */
  millerLoop(prepared: readonly PreparedPairingTerm[], plain: readonly PlainPairingTerm[]): MillerLoopValue;
  finalExponentiation(f: MillerLoopValue): GtElement;
  /** Π e(g1_i, g2_i) over all terms with a single shared final exponentiation. */
  pairingProduct(prepared: readonly PreparedPairingTerm[], plain: readonly PlainPairingTerm[]): GtElement;
}
