import { hashMerkleLeaf, MerkleTree } from '@carechain/crypto';
import { encodeLeafData } from './batch-codec';
import { PprOperation } from './ppr-operation';

/** The RFC 6962 leaf hash the ledger computes for `op`: SHA-256(0x00 ‖ leaf data). */
export function operationLeafHash(op: PprOperation): Uint8Array {
  return hashMerkleLeaf(encodeLeafData(op));
}

/**
 * The Merkle view of a batch whose operations are given in leaf order (as `encodeBatch`
 * returns them or `decodeBatch` reads them). `root` equals the `batchRoot` the ledger records
 * for the same bytes; proofs verify with `verifyMerkleInclusion` from @carechain/crypto.
 */
export class BatchTree {
  readonly leafHashes: readonly Uint8Array[];
  readonly root: Uint8Array;
  private readonly tree: MerkleTree;

  constructor(readonly operations: readonly PprOperation[]) {
    this.leafHashes = operations.map(operationLeafHash);
    this.tree = new MerkleTree();
    for (const h of this.leafHashes) this.tree.appendLeafHash(h);
    this.root = this.tree.root();
  }

  /** The RFC 6962 audit path of leaf `index`, leaf-side sibling first. */
  proof(index: number): Uint8Array[] {
    return this.tree.inclusionProof(index);
  }
}
