import { randomFillSync } from 'node:crypto';
import { CryptoError, CryptoErrorCode } from '../errors';

/**
 * The scalar field F_r of BLS12-381, as bigints in [0, r).
 *
 * Scalars are plain bigints so that the scheme code is independent of the backend. V8's
 * bigint arithmetic is not constant-time; docs/crypto/abe.md lists where secrets pass through
 * it and why that is accepted. Scalar multiplications by secrets happen inside the backends,
 * on their constant-time paths.
 */
export const PAIRING_SCALAR_ORDER = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;

/** Length of a canonical scalar encoding (big-endian, below r). */
export const PAIRING_SCALAR_BYTES = 32;

/** A source of uniformly random bytes; the default is the OS CSPRNG. Tests inject seeded ones. */
export type PairingRandomSource = (length: number) => Uint8Array;

/** The operating system's CSPRNG. */
export const pairingSystemRandom: PairingRandomSource = (length) => randomFillSync(new Uint8Array(length));

/** Reduces any bigint into [0, r). */
export function frReduce(x: bigint): bigint {
  const m = x % PAIRING_SCALAR_ORDER;
  return m < 0n ? m + PAIRING_SCALAR_ORDER : m;
}

/** a + b mod r. */
export function frAdd(a: bigint, b: bigint): bigint {
  return frReduce(a + b);
}

/** a - b mod r. */
export function frSub(a: bigint, b: bigint): bigint {
  return frReduce(a - b);
}

/** a · b mod r. */
export function frMul(a: bigint, b: bigint): bigint {
  return (a * b) % PAIRING_SCALAR_ORDER;
}

/** -a mod r. */
export function frNeg(a: bigint): bigint {
  return frReduce(-a);
}

/** a^-1 mod r; throws MalformedInput for 0, which has no inverse. */
export function frInv(a: bigint): bigint {
  const x = frReduce(a);
  if (x === 0n) throw new CryptoError(CryptoErrorCode.MalformedInput, 'zero has no inverse in F_r');
  let [r0, r1] = [PAIRING_SCALAR_ORDER, x];
  let [t0, t1] = [0n, 1n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  return frReduce(t0);
}

/**
 * A uniformly random scalar: 48 random bytes reduced mod r, so the bias is below 2^-128.
 * Deterministic for a deterministic source, which is what lets the backend cross-checks use
 * the same seeds on both backends.
 */
export function frRandom(random: PairingRandomSource = pairingSystemRandom): bigint {
  return frReduce(bytesToBigint(random(48)));
}

/** Canonical 32-byte big-endian encoding of a scalar in [0, r). */
export function frToBytes(x: bigint): Uint8Array {
  if (x < 0n || x >= PAIRING_SCALAR_ORDER) {
    throw new CryptoError(CryptoErrorCode.MalformedInput, 'scalar out of range');
  }
  return Uint8Array.from(Buffer.from(x.toString(16).padStart(2 * PAIRING_SCALAR_BYTES, '0'), 'hex'));
}

/** Decodes a canonical scalar; rejects wrong lengths and values ≥ r. */
export function frFromBytes(bytes: Uint8Array): bigint {
  if (bytes.length !== PAIRING_SCALAR_BYTES) {
    throw new CryptoError(CryptoErrorCode.MalformedInput, `scalar must be ${PAIRING_SCALAR_BYTES} bytes`);
  }
  const x = bytesToBigint(bytes);
  if (x >= PAIRING_SCALAR_ORDER) throw new CryptoError(CryptoErrorCode.MalformedInput, 'scalar is not below r');
  return x;
}

function bytesToBigint(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt('0x' + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex'));
}
