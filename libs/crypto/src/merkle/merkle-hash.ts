import { hash } from 'node:crypto';

/** Size in bytes of every node hash in the tree (SHA-256). */
export const MERKLE_HASH_SIZE = 32;

// RFC 6962 §2.1 domain separation: a leaf can never be confused with an interior node,
// which is what stops second-preimage attacks that splice a subtree in as a leaf.
const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

/** MTH({}) = SHA-256() — the root of the empty tree (RFC 6962 §2.1). */
export const MERKLE_EMPTY_ROOT: Uint8Array = hash('sha256', new Uint8Array(0), 'buffer');

/** SHA-256(0x00 || leaf): the leaf hash of RFC 6962 §2.1, for any leaf bytes (including none). */
export function hashMerkleLeaf(leaf: Uint8Array): Buffer {
  const input = Buffer.allocUnsafe(leaf.length + 1);
  input[0] = LEAF_PREFIX;
  input.set(leaf, 1);
  return hash('sha256', input, 'buffer');
}

// One scratch buffer is enough: node:crypto hashes synchronously and nothing here yields.
const nodeInput = Buffer.allocUnsafe(1 + 2 * MERKLE_HASH_SIZE);
nodeInput[0] = NODE_PREFIX;

/**
 * SHA-256(0x01 || left || right): the interior-node hash of RFC 6962 §2.1. Both children
 * must be 32 bytes; callers validate untrusted input before it gets here.
 */
export function hashMerkleChildren(left: Uint8Array, right: Uint8Array): Buffer {
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + MERKLE_HASH_SIZE);
  return hash('sha256', nodeInput, 'buffer');
}
