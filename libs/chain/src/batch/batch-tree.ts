import { hashLeaf, inclusionProof, merkleRootFromLeafHashes } from '../merkle/rfc6962';
import { encodeLeafData } from './batch-codec';
import { PprOperation } from './ppr-operation';

/** The RFC 6962 leaf hash the ledger computes for `op`: SHA-256(0x00 ‖ leaf data). */
export function operationLeafHash(op: PprOperation): Uint8Array {
  return hashLeaf(encodeLeafData(op));
}

/**
 * The Merkle view of a batch whose operations are given in leaf order (as `encodeBatch`
 * returns them or `decodeBatch` reads them): its root equals the ledger's `batchRoot`.
 */
export class BatchTree {
  readonly leafHashes: readonly Uint8Array[];
  readonly root: Uint8Array;

  constructor(readonly operations: readonly PprOperation[]) {
    this.leafHashes = operations.map(operationLeafHash);
    this.root = merkleRootFromLeafHashes(this.leafHashes);
  }

  /** The audit path of leaf `index` against `root`. */
  proof(index: number): Uint8Array[] {
    return inclusionProof(this.leafHashes, index);
  }
}
