import { BatchTree, encodeBatch, MAX_BATCH_BYTES, takeBatch } from '@carechain/chain';
import { toLedgerOperation, type RelayOperation } from './relay-operation';

/** A batch ready to sign: the operations in leaf order, the calldata and the Merkle tree. */
export interface AssembledBatch {
  /** Leaf i of the batch tree is `operations[i]`. */
  readonly operations: readonly RelayOperation[];
  readonly data: Uint8Array;
  readonly tree: BatchTree;
  /** Pending operations that did not fit, in their original order. */
  readonly rest: readonly RelayOperation[];
}

/**
 * Takes the longest prefix of `pending` that fits `maxBytes` and packs it. The ledger groups
 * operations by patient (first appearance first, each patient's order kept); the relay's own
 * list is put in that same order, so leaf indexes and proofs refer to the right operation.
 * Returns undefined when nothing is pending.
 */
export function assembleBatch(pending: readonly RelayOperation[], maxBytes: number = MAX_BATCH_BYTES): AssembledBatch | undefined {
  if (pending.length === 0) return undefined;
  const ledgerOps = pending.map(toLedgerOperation);
  const { batch } = takeBatch(ledgerOps, maxBytes);
  const taken = pending.slice(0, batch.length);
  const encoded = encodeBatch(batch, maxBytes);
  const ordered = groupByPatient(taken);
  ordered.forEach((op, i) => {
    if (encoded.operations[i].pprId !== toLedgerOperation(op).pprId) {
      throw new Error(`leaf ${i} does not match the relay's order: the codec's grouping changed`);
    }
  });
  return { operations: ordered, data: encoded.data, tree: new BatchTree(encoded.operations), rest: pending.slice(batch.length) };
}

/** Stable grouping by patient index in first-appearance order, as the ledger's codec packs them. */
export function groupByPatient(ops: readonly RelayOperation[]): RelayOperation[] {
  const groups = new Map<number, RelayOperation[]>();
  for (const op of ops) {
    const list = groups.get(op.patientIndex);
    if (list) list.push(op);
    else groups.set(op.patientIndex, [op]);
  }
  return [...groups.values()].flat();
}
