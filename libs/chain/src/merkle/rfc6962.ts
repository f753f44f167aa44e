/**
 * RFC 6962 §2.1 Merkle tree hash, audit paths and their verification, over SHA-256.
 *
 *     MTH({})       = SHA-256()
 *     MTH({d0})     = SHA-256(0x00 ‖ d0)                                   (leaf hash)
 *     MTH(D[n])     = SHA-256(0x01 ‖ MTH(D[0:k]) ‖ MTH(D[k:n]))            k = largest power of 2 < n
 *
 * Kept local and minimal (root, audit path, verification) until `@carechain/crypto` exports
 * its `merkle` area; the ledger contract computes the same root bottom-up, and the tests
 * cross-check both against the recursive definition above.
 */
import { createHash } from 'node:crypto';
import { ChainError, ChainErrorCode } from '../errors';

function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

/** SHA-256(0x00 ‖ data): the hash of one leaf. */
export function hashLeaf(data: Uint8Array): Uint8Array {
  return sha256(LEAF_PREFIX, data);
}

/** SHA-256(0x01 ‖ left ‖ right): the hash of an interior node. */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(NODE_PREFIX, left, right);
}

/**
 * MTH over already-hashed leaves, bottom-up: neighbours are paired and an odd last node is
 * carried up unchanged, which yields the same tree as the recursive split (the left subtree
 * is always the complete one of size k). The empty tree hashes to SHA-256 of the empty string.
 */
export function merkleRootFromLeafHashes(leafHashes: readonly Uint8Array[]): Uint8Array {
  if (leafHashes.length === 0) return sha256();
  let level = leafHashes.slice();
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(hashChildren(level[i], level[i + 1]));
    if (level.length % 2 === 1) next.push(level[level.length - 1]);
    level = next;
  }
  return level[0];
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The audit path PATH(m, D[n]) of RFC 6962 §2.1.1 for leaf `index`, ordered from the leaf up.
 * Throws ChainError(InvalidMerkleRequest) when `index` is not a leaf of the tree.
 */
export function inclusionProof(leafHashes: readonly Uint8Array[], index: number): Uint8Array[] {
  if (!Number.isInteger(index) || index < 0 || index >= leafHashes.length) {
    throw new ChainError(ChainErrorCode.InvalidMerkleRequest, `leaf ${index} is not in a tree of ${leafHashes.length}`, {
      index,
      size: leafHashes.length,
    });
  }
  const path = (m: number, d: readonly Uint8Array[]): Uint8Array[] => {
    if (d.length <= 1) return [];
    const k = largestPowerOfTwoBelow(d.length);
    return m < k
      ? [...path(m, d.slice(0, k)), merkleRootFromLeafHashes(d.slice(k))]
      : [...path(m - k, d.slice(k)), merkleRootFromLeafHashes(d.slice(0, k))];
  };
  return path(index, leafHashes);
}

/**
 * True iff `proof` proves that `leafHash` is leaf `index` of a tree of `size` leaves with root
 * `root` (the verification algorithm of RFC 9162 §2.1.3.2, which checks RFC 6962 paths). Any
 * malformed argument yields false, never an exception.
 */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = hashChildren(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && Buffer.from(r).equals(Buffer.from(root));
}
