import { timingSafeEqual } from 'node:crypto';
import { CryptoError, CryptoErrorCode } from '../errors';
import { MERKLE_HASH_SIZE, hashMerkleChildren } from './merkle-hash';

function assertHash(name: string, value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== MERKLE_HASH_SIZE) {
    throw new CryptoError(CryptoErrorCode.MalformedInput, `${name} must be a ${MERKLE_HASH_SIZE}-byte hash`);
  }
}

function assertProof(proof: unknown): asserts proof is readonly Uint8Array[] {
  if (!Array.isArray(proof)) throw new CryptoError(CryptoErrorCode.MalformedInput, 'a proof must be an array of hashes');
  for (const p of proof as unknown[]) {
    if (!(p instanceof Uint8Array) || p.length !== MERKLE_HASH_SIZE) {
      throw new CryptoError(CryptoErrorCode.MalformedInput, `every proof element must be a ${MERKLE_HASH_SIZE}-byte hash`);
    }
  }
}

function assertSize(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new CryptoError(CryptoErrorCode.MalformedInput, `${name} must be a non-negative safe integer`);
  }
}

function sameHash(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function reject(reason: string): never {
  throw new CryptoError(CryptoErrorCode.InvalidMerkleProof, reason);
}

// Sizes and indices are safe integers up to 2^53, beyond JavaScript's 32-bit bitwise
// operators, so the RFC's shifts are written as halvings.
const isOdd = (x: number): boolean => x % 2 === 1;
const half = (x: number): number => Math.floor(x / 2);

/**
 * Recomputes the root of a tree of `treeSize` leaves from a leaf hash and its inclusion
 * proof (RFC 9162 §2.1.3.2). Throws InvalidMerkleProof when the proof has the wrong shape for
 * (index, treeSize), and MalformedInput for non-32-byte hashes or bad sizes.
 */
export function rootFromMerkleInclusionProof(
  leafHash: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
): Buffer {
  assertSize('index', index);
  assertSize('treeSize', treeSize);
  assertHash('leafHash', leafHash);
  assertProof(proof);
  if (index >= treeSize) reject(`index ${index} is outside a tree of size ${treeSize}`);
  let fn = index;
  let sn = treeSize - 1;
  let r: Buffer = Buffer.from(leafHash);
  for (const p of proof) {
    if (sn === 0) reject('the proof is longer than the path to the root');
    if (isOdd(fn) || fn === sn) {
      r = hashMerkleChildren(p, r);
      // Skip the levels where this node is the last, unpaired one on the right edge.
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = hashMerkleChildren(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) reject('the proof is shorter than the path to the root');
  return r;
}

/**
 * Verifies that `leafHash` is leaf `index` of the tree of `treeSize` leaves whose root is
 * `root` (RFC 9162 §2.1.3.2). Returns normally only if it is; otherwise throws a CryptoError
 * (InvalidMerkleProof, or MalformedInput for malformed arguments).
 */
export function verifyMerkleInclusion(
  leafHash: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  assertHash('root', root);
  const computed = rootFromMerkleInclusionProof(leafHash, index, treeSize, proof);
  if (!sameHash(computed, root)) reject('the inclusion proof does not lead to the given root');
}

/**
 * Verifies that the tree of `size1` leaves with root `root1` is a prefix of the tree of
 * `size2` leaves with root `root2` (RFC 9162 §2.1.4.2). Returns normally only if it is.
 *
 * Conventions (those of the shared RFC 6962 vectors): size1 = 0 is refused, since every tree
 * extends the empty one and such a "proof" only invites misuse; size1 = size2 needs an empty
 * proof and byte-equal roots; every hash that enters a computation (proof elements, and the
 * roots whenever the sizes differ) must be 32 bytes. Equal-size roots are compared as opaque
 * values, as RFC 9162 §2.1.4.2 step 1 does, so no hash is computed over a malformed one.
 */
export function verifyMerkleConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  assertSize('size1', size1);
  assertSize('size2', size2);
  assertProof(proof);
  if (size1 > size2) reject(`size1 ${size1} is larger than size2 ${size2}`);
  if (size1 === 0) reject('a consistency proof from the empty tree proves nothing');
  if (size1 === size2) {
    if (!(root1 instanceof Uint8Array) || !(root2 instanceof Uint8Array)) {
      throw new CryptoError(CryptoErrorCode.MalformedInput, 'roots must be byte arrays');
    }
    if (proof.length !== 0) reject('equal sizes need an empty proof');
    if (!sameHash(root1, root2)) reject('equal sizes but different roots');
    return;
  }
  assertHash('root1', root1);
  assertHash('root2', root2);
  if (proof.length === 0) reject('an empty proof between different sizes');

  // When size1 is a power of two, the old root is itself a node of the new tree and is
  // left out of the proof, so the verifier puts it back.
  const path: readonly Uint8Array[] = Number.isInteger(Math.log2(size1)) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Buffer = Buffer.from(path[0]);
  let sr: Buffer = Buffer.from(path[0]);
  for (let i = 1; i < path.length; i++) {
    const c = path[i];
    if (sn === 0) reject('the consistency proof is too long');
    if (isOdd(fn) || fn === sn) {
      fr = hashMerkleChildren(c, fr);
      sr = hashMerkleChildren(c, sr);
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = hashMerkleChildren(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) reject('the consistency proof is too short');
  if (!sameHash(fr, root1)) reject('the consistency proof does not lead to root1');
  if (!sameHash(sr, root2)) reject('the consistency proof does not lead to root2');
}
