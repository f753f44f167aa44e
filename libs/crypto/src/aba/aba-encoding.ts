import { createHash } from 'node:crypto';
import { initializeWasm } from '@docknetwork/crypto-wasm-ts';
import { generateRandomFieldElement, pedersenCommitmentG1 } from 'crypto-wasm-new';
import { CryptoError, CryptoErrorCode } from '../errors';

/**
 * Byte-level encodings shared by every ABA party.
 *
 * The WASM library (docknetwork's arkworks build) reads scalars of F_r as 32 bytes,
 * little-endian, canonical (< r), and points of G1 as 48-byte compressed encodings in the
 * ZCash format (the same bytes blst and noble produce). Everything crosses JSON as base64url.
 */

/** Version tag carried by every ABA JSON object; a reader rejects any other. */
export const ABA_VERSION = 'carechain-aba/v1' as const;

/** Order r of G1, G2 and GT on BLS12-381. */
export const ABA_SCALAR_ORDER = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;

/** The standard BLS12-381 G1 generator P1 (compressed). g in T = g^tag and in the ElGamal encryption. */
export const ABA_G1_GENERATOR: Uint8Array = Buffer.from(
  '97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb',
  'hex',
);

/** Domain separation tags (RFC 9380 §3.1 style) for every hash into F_r. */
export const ABA_DOMAIN = {
  attribute: 'CARECHAIN-ABA-V1-ATTRIBUTE',
  context: 'CARECHAIN-ABA-V1-CONTEXT',
  opening: 'CARECHAIN-ABA-V1-OPENING',
  bbsParams: 'CARECHAIN-ABA-V1-BBS-PARAMS',
  issuance: 'CARECHAIN-ABA-V1-ISSUANCE',
} as const;

let wasmReady: Promise<void> | undefined;

/** Loads the WASM module once per process; every ABA factory awaits it before touching keys. */
export function abaWasmReady(): Promise<void> {
  wasmReady ??= initializeWasm().catch((cause: unknown) => {
    wasmReady = undefined;
    throw new CryptoError(CryptoErrorCode.BackendUnavailable, 'crypto-wasm failed to initialise', { cause });
  });
  return wasmReady;
}

/** The day number (days since 1970-01-01 UTC) of a millisecond timestamp; expiries are whole days. */
export function abaDayOf(epochMillis: number): number {
  if (!Number.isFinite(epochMillis) || epochMillis < 0) {
    throw new CryptoError(CryptoErrorCode.MalformedInput, 'time must be a non-negative number of milliseconds');
  }
  return Math.floor(epochMillis / 86_400_000);
}

/** Encodes bytes as unpadded base64url. */
export function abaToBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

/** Decodes unpadded base64url of exactly `length` bytes (if given), or throws MalformedInput. */
export function abaFromBase64Url(text: string, what: string, length?: number): Uint8Array {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text)) {
    throw new CryptoError(CryptoErrorCode.MalformedInput, `${what} is not base64url`);
  }
  const bytes = new Uint8Array(Buffer.from(text, 'base64url'));
  if (length !== undefined && bytes.length !== length) {
    throw new CryptoError(CryptoErrorCode.MalformedInput, `${what} must be ${length} bytes, got ${bytes.length}`);
  }
  return bytes;
}

/** A bigint in [0, r) as the WASM library's 32-byte little-endian scalar. */
export function abaScalarToBytes(value: bigint): Uint8Array {
  if (value < 0n || value >= ABA_SCALAR_ORDER) {
    throw new CryptoError(CryptoErrorCode.MalformedInput, 'scalar out of range');
  }
  const out = new Uint8Array(32);
  let v = value;
  for (let i = 0; i < 32; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** The WASM library's 32-byte little-endian scalar as a bigint; rejects non-canonical input. */
export function abaScalarFromBytes(bytes: Uint8Array): bigint {
  if (bytes.length !== 32) throw new CryptoError(CryptoErrorCode.MalformedInput, 'scalar must be 32 bytes');
  let v = 0n;
  for (let i = 31; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  if (v >= ABA_SCALAR_ORDER) throw new CryptoError(CryptoErrorCode.MalformedInput, 'scalar is not canonical');
  return v;
}

/** A non-negative safe integer (epoch, day number) as a scalar message. */
export function abaIntegerScalar(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new CryptoError(CryptoErrorCode.MalformedInput, `expected a non-negative integer, got ${String(value)}`);
  }
  return abaScalarToBytes(BigInt(value));
}

/** A uniformly random scalar from the WASM library's CSPRNG (getrandom → crypto.getRandomValues). */
export function abaRandomScalar(): Uint8Array {
  return generateRandomFieldElement();
}

/**
 * expand_message_xmd with SHA-256 (RFC 9380 §5.3.1). Written out because @noble/hashes 2 is
 * ESM-only and the unit tests run as CommonJS; checked against the RFC's Appendix K.1 vectors.
 */
export function abaExpandMessageXmd(msg: Uint8Array, dst: string, lenInBytes: number): Uint8Array {
  const bInBytes = 32;
  const rInBytes = 64;
  const ell = Math.ceil(lenInBytes / bInBytes);
  const dstBytes = Buffer.from(dst, 'utf8');
  if (ell > 255 || lenInBytes > 65535 || dstBytes.length > 255) {
    throw new CryptoError(CryptoErrorCode.MalformedInput, 'expand_message_xmd: length or DST too long');
  }
  const dstPrime = Buffer.concat([dstBytes, Buffer.from([dstBytes.length])]);
  const lIBStr = Buffer.from([lenInBytes >> 8, lenInBytes & 0xff]);
  const b0 = createHash('sha256')
    .update(Buffer.alloc(rInBytes))
    .update(msg)
    .update(lIBStr)
    .update(Buffer.from([0]))
    .update(dstPrime)
    .digest();
  const blocks: Buffer[] = [];
  let prev = createHash('sha256').update(b0).update(Buffer.from([1])).update(dstPrime).digest();
  blocks.push(prev);
  for (let i = 2; i <= ell; i++) {
    const mixed = Buffer.alloc(bInBytes);
    for (let j = 0; j < bInBytes; j++) mixed[j] = b0[j] ^ prev[j];
    prev = createHash('sha256').update(mixed).update(Buffer.from([i])).update(dstPrime).digest();
    blocks.push(prev);
  }
  return new Uint8Array(Buffer.concat(blocks).subarray(0, lenInBytes));
}

/** hash_to_field into F_r (RFC 9380 §5.2, m = 1, L = 48, k = 128) under the given DST. */
export function abaHashToScalar(msg: Uint8Array, dst: string): bigint {
  const bytes = abaExpandMessageXmd(msg, dst, 48);
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v % ABA_SCALAR_ORDER;
}

/** The BBS message that stands for an `attribute@issuer` name. */
export function abaAttributeMessage(attribute: string): Uint8Array {
  return abaScalarToBytes(abaHashToScalar(Buffer.from(attribute, 'utf8'), ABA_DOMAIN.attribute));
}

/** Multi-scalar multiplication Σ s_i·B_i in G1 (the WASM library's Pedersen commitment routine). */
export function abaG1MultiExp(bases: Uint8Array[], scalars: Uint8Array[]): Uint8Array {
  try {
    return pedersenCommitmentG1(bases, scalars);
  } catch (cause) {
    throw new CryptoError(CryptoErrorCode.InvalidPoint, 'not a valid G1 point or scalar', { cause });
  }
}

/** g^x for the fixed generator g. */
export function abaG1Power(scalar: Uint8Array): Uint8Array {
  return abaG1MultiExp([ABA_G1_GENERATOR], [scalar]);
}

/** −x mod r, as bytes. */
export function abaNegateScalar(scalar: Uint8Array): Uint8Array {
  const v = abaScalarFromBytes(scalar);
  return abaScalarToBytes(v === 0n ? 0n : ABA_SCALAR_ORDER - v);
}

/** Checks that 48 bytes decode to a point of the prime-order subgroup of G1. */
export function abaAssertG1(point: Uint8Array, what: string): void {
  if (point.length !== 48) throw new CryptoError(CryptoErrorCode.InvalidPoint, `${what} must be 48 bytes`);
  // The multiplication by one makes the WASM side deserialise with its curve and subgroup checks.
  const one = abaScalarToBytes(1n);
  try {
    pedersenCommitmentG1([point], [one]);
  } catch (cause) {
    throw new CryptoError(CryptoErrorCode.InvalidPoint, `${what} is not a point of G1`, { cause });
  }
}

/** Constant-length byte equality. */
export function abaBytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}
