import { existsSync } from 'node:fs';
import { join } from 'node:path';
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

/** The addon's exports (libs/crypto/native/src/lib.rs); every element is a raw blst Buffer. */
interface NativePairingAddon {
  g1Generator(): Buffer;
  g1Identity(): Buffer;
  g1Add(a: Buffer, b: Buffer): Buffer;
  g1Neg(a: Buffer): Buffer;
  g1Mul(a: Buffer, s: Buffer): Buffer;
  g1Eq(a: Buffer, b: Buffer): boolean;
  g1IsIdentity(a: Buffer): boolean;
  g1ToBytes(a: Buffer): Buffer;
  g1FromBytes(b: Buffer): Buffer | null;
  g1HashToCurve(msg: Buffer, dst: Buffer): Buffer;
  g1Table(a: Buffer): Buffer;
  g1TableMul(t: Buffer, s: Buffer): Buffer;
  g1Msm(points: Buffer, scalars: Buffer): Buffer;
  g2Generator(): Buffer;
  g2Identity(): Buffer;
  g2Add(a: Buffer, b: Buffer): Buffer;
  g2Neg(a: Buffer): Buffer;
  g2Mul(a: Buffer, s: Buffer): Buffer;
  g2Eq(a: Buffer, b: Buffer): boolean;
  g2IsIdentity(a: Buffer): boolean;
  g2ToBytes(a: Buffer): Buffer;
  g2FromBytes(b: Buffer): Buffer | null;
  g2HashToCurve(msg: Buffer, dst: Buffer): Buffer;
  g2Table(a: Buffer): Buffer;
  g2TableMul(t: Buffer, s: Buffer): Buffer;
  g2Msm(points: Buffer, scalars: Buffer): Buffer;
  g2Prepare(q: Buffer): Buffer;
  gtOne(): Buffer;
  gtMul(a: Buffer, b: Buffer): Buffer;
  gtInv(a: Buffer): Buffer;
  gtEq(a: Buffer, b: Buffer): boolean;
  gtPow(a: Buffer, s: Buffer): Buffer;
  gtToBytes(a: Buffer): Buffer;
  gtFromBytes(b: Buffer): Buffer | null;
  gtTable(a: Buffer): Buffer;
  gtTablesPowProduct(tables: Buffer[], scalars: Buffer): Buffer;
  millerLoop(pg1: Buffer, pg2: Buffer[], g1: Buffer, g2: Buffer): Buffer;
  finalExp(f: Buffer): Buffer;
  pairingProduct(pg1: Buffer, pg2: Buffer[], g1: Buffer, g2: Buffer): Buffer;
}

/** Where build.sh leaves the addon, relative to this file in src/ or dist/. */
export function nativePairingAddonPath(): string {
  return process.env['CARECHAIN_PAIRING_NATIVE'] ?? join(__dirname, '..', '..', 'native', 'dist', 'carechain_pairing.node');
}

const raw = (x: unknown): Buffer => x as Buffer;
const cat = (xs: readonly unknown[]): Buffer => Buffer.concat(xs as Buffer[]);
const sc = (s: bigint): Buffer => Buffer.from(frToBytes(s));
const scs = (ss: readonly bigint[]): Buffer => Buffer.concat(ss.map(sc));
const asBuffer = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/**
 * The native backend: supranational's blst through blstrs, compiled into a napi-rs addon. Each
 * element is a Buffer of blst's in-memory representation; a whole pairing product with its
 * final exponentiation is one call.
 */
export class NativePairingBackend implements PairingBackend {
  readonly name = 'native' as const;

  private constructor(private readonly n: NativePairingAddon) {}

  /** Loads the addon; throws BackendUnavailable if it is not built or does not load. */
  static load(path: string = nativePairingAddonPath()): NativePairingBackend {
    if (!existsSync(path)) {
      throw new CryptoError(CryptoErrorCode.BackendUnavailable, `native pairing addon not built at ${path}`);
    }
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return new NativePairingBackend(require(path) as NativePairingAddon);
    } catch (cause) {
      throw new CryptoError(CryptoErrorCode.BackendUnavailable, `native pairing addon failed to load from ${path}`, { cause });
    }
  }

  g1Generator(): G1Point {
    return this.n.g1Generator() as unknown as G1Point;
  }
  g1Identity(): G1Point {
    return this.n.g1Identity() as unknown as G1Point;
  }
  g1Add(a: G1Point, b: G1Point): G1Point {
    return this.n.g1Add(raw(a), raw(b)) as unknown as G1Point;
  }
  g1Neg(a: G1Point): G1Point {
    return this.n.g1Neg(raw(a)) as unknown as G1Point;
  }
  g1Mul(a: G1Point, scalar: bigint): G1Point {
    return this.n.g1Mul(raw(a), sc(scalar)) as unknown as G1Point;
  }
  g1Msm(points: readonly G1Point[], scalars: readonly bigint[]): G1Point {
    if (points.length !== scalars.length) throw lengthMismatch();
    return this.n.g1Msm(cat(points), scs(scalars)) as unknown as G1Point;
  }
  g1Equals(a: G1Point, b: G1Point): boolean {
    return this.n.g1Eq(raw(a), raw(b));
  }
  g1IsIdentity(a: G1Point): boolean {
    return this.n.g1IsIdentity(raw(a));
  }
  g1ToBytes(a: G1Point): Uint8Array {
    return new Uint8Array(this.n.g1ToBytes(raw(a)));
  }
  g1FromBytes(bytes: Uint8Array): G1Point {
    checkLength(bytes, PAIRING_G1_BYTES, 'G1 point');
    return orInvalid(this.n.g1FromBytes(asBuffer(bytes)), 'G1 point') as unknown as G1Point;
  }
  g1HashToCurve(message: Uint8Array, dst: Uint8Array): G1Point {
    checkDst(dst);
    return this.n.g1HashToCurve(asBuffer(message), asBuffer(dst)) as unknown as G1Point;
  }
  g1FixedBase(a: G1Point): G1FixedBase {
    return this.n.g1Table(raw(a)) as unknown as G1FixedBase;
  }
  g1FixedMul(table: G1FixedBase, scalar: bigint): G1Point {
    return this.n.g1TableMul(raw(table), sc(scalar)) as unknown as G1Point;
  }
  g1FixedMulSum(tables: readonly G1FixedBase[], scalars: readonly bigint[]): G1Point {
    if (tables.length !== scalars.length) throw lengthMismatch();
    // Each table run is one addon call already (~µs of crossing against ~100 µs of work).
    return tables.reduce((acc, t, i) => this.g1Add(acc, this.g1FixedMul(t, scalars[i])), this.g1Identity());
  }

  g2Generator(): G2Point {
    return this.n.g2Generator() as unknown as G2Point;
  }
  g2Identity(): G2Point {
    return this.n.g2Identity() as unknown as G2Point;
  }
  g2Add(a: G2Point, b: G2Point): G2Point {
    return this.n.g2Add(raw(a), raw(b)) as unknown as G2Point;
  }
  g2Neg(a: G2Point): G2Point {
    return this.n.g2Neg(raw(a)) as unknown as G2Point;
  }
  g2Mul(a: G2Point, scalar: bigint): G2Point {
    return this.n.g2Mul(raw(a), sc(scalar)) as unknown as G2Point;
  }
  g2Msm(points: readonly G2Point[], scalars: readonly bigint[]): G2Point {
    if (points.length !== scalars.length) throw lengthMismatch();
    return this.n.g2Msm(cat(points), scs(scalars)) as unknown as G2Point;
  }
  g2Equals(a: G2Point, b: G2Point): boolean {
    return this.n.g2Eq(raw(a), raw(b));
  }
  g2IsIdentity(a: G2Point): boolean {
    return this.n.g2IsIdentity(raw(a));
  }
  g2ToBytes(a: G2Point): Uint8Array {
    return new Uint8Array(this.n.g2ToBytes(raw(a)));
  }
  g2FromBytes(bytes: Uint8Array): G2Point {
    checkLength(bytes, PAIRING_G2_BYTES, 'G2 point');
    return orInvalid(this.n.g2FromBytes(asBuffer(bytes)), 'G2 point') as unknown as G2Point;
  }
  g2HashToCurve(message: Uint8Array, dst: Uint8Array): G2Point {
    checkDst(dst);
    return this.n.g2HashToCurve(asBuffer(message), asBuffer(dst)) as unknown as G2Point;
  }
  g2FixedBase(a: G2Point): G2FixedBase {
    return this.n.g2Table(raw(a)) as unknown as G2FixedBase;
  }
  g2FixedMul(table: G2FixedBase, scalar: bigint): G2Point {
    return this.n.g2TableMul(raw(table), sc(scalar)) as unknown as G2Point;
  }
  g2Prepare(a: G2Point): G2Prepared {
    return this.n.g2Prepare(raw(a)) as unknown as G2Prepared;
  }

  gtOne(): GtElement {
    return this.n.gtOne() as unknown as GtElement;
  }
  gtMul(a: GtElement, b: GtElement): GtElement {
    return this.n.gtMul(raw(a), raw(b)) as unknown as GtElement;
  }
  gtInv(a: GtElement): GtElement {
    return this.n.gtInv(raw(a)) as unknown as GtElement;
  }
  gtPow(a: GtElement, scalar: bigint): GtElement {
    return this.n.gtPow(raw(a), sc(scalar)) as unknown as GtElement;
  }
  gtEquals(a: GtElement, b: GtElement): boolean {
    return this.n.gtEq(raw(a), raw(b));
  }
  gtToBytes(a: GtElement): Uint8Array {
    return new Uint8Array(this.n.gtToBytes(raw(a)));
  }
  gtFromBytes(bytes: Uint8Array): GtElement {
    checkLength(bytes, PAIRING_GT_BYTES, 'GT element');
    return orInvalid(this.n.gtFromBytes(asBuffer(bytes)), 'GT element') as unknown as GtElement;
  }
  gtFixedBase(a: GtElement): GtFixedBase {
    return this.n.gtTable(raw(a)) as unknown as GtFixedBase;
  }
  gtFixedPowProduct(tables: readonly GtFixedBase[], scalars: readonly bigint[]): GtElement {
    if (tables.length !== scalars.length) throw lengthMismatch();
    return this.n.gtTablesPowProduct(tables as unknown as Buffer[], scs(scalars)) as unknown as GtElement;
  }

  pairing(a: G1Point, b: G2Point): GtElement {
    return this.n.pairingProduct(Buffer.alloc(0), [], raw(a), raw(b)) as unknown as GtElement;
  }
  millerLoop(prepared: readonly PreparedPairingTerm[], plain: readonly PlainPairingTerm[]): MillerLoopValue {
    return this.n.millerLoop(...this.args(prepared, plain)) as unknown as MillerLoopValue;
  }
  finalExponentiation(f: MillerLoopValue): GtElement {
    return this.n.finalExp(raw(f)) as unknown as GtElement;
  }
  pairingProduct(prepared: readonly PreparedPairingTerm[], plain: readonly PlainPairingTerm[]): GtElement {
    return this.n.pairingProduct(...this.args(prepared, plain)) as unknown as GtElement;
  }

  private args(
    prepared: readonly PreparedPairingTerm[],
    plain: readonly PlainPairingTerm[],
  ): [Buffer, Buffer[], Buffer, Buffer] {
    return [
      cat(prepared.map((t) => t.g1)),
      prepared.map((t) => raw(t.g2)),
      cat(plain.map((t) => t.g1)),
      cat(plain.map((t) => t.g2)),
    ];
  }
}

function lengthMismatch(): CryptoError {
  return new CryptoError(CryptoErrorCode.MalformedInput, 'points and scalars differ in length');
}

function checkLength(bytes: Uint8Array, length: number, what: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw new CryptoError(CryptoErrorCode.MalformedInput, `${what} must be ${length} bytes`);
  }
}

function checkDst(dst: Uint8Array): void {
  if (!(dst instanceof Uint8Array) || dst.length === 0 || dst.length > 255) {
    throw new CryptoError(CryptoErrorCode.MalformedInput, 'DST must be 1..255 bytes');
  }
}

function orInvalid(b: Buffer | null, what: string): Buffer {
  if (b === null) throw new CryptoError(CryptoErrorCode.InvalidPoint, `${what} is not a canonical element of the subgroup`);
  return b;
}
