/**
 * A patient's Summary chain, the value the ledger keeps in `patientHead[patient]`:
 *
 *     head_0 = 0^32
 *     head_i = keccak256(head_{i-1} ‖ leaf_i)
 *
 * where leaf_i is the RFC 6962 leaf hash of the patient's i-th operation in commit order.
 * Folding over leaf hashes (32 bytes) rather than the raw operation keeps the on-chain step a
 * fixed 64-byte keccak, and ties each chain link to a leaf that has an inclusion proof.
 */
import { getBytes, keccak256 } from 'ethers';
import { operationLeafHash } from '../batch/batch-tree';
import { PprOperation, PprOperationKind } from '../batch/ppr-operation';

/** The head of an empty chain. */
export const EMPTY_PATIENT_HEAD: Uint8Array = new Uint8Array(32);

/** head' = keccak256(head ‖ leafHash). */
export function extendPatientHead(head: Uint8Array, leafHash: Uint8Array): Uint8Array {
  const buf = new Uint8Array(64);
  buf.set(head, 0);
  buf.set(leafHash, 32);
  return getBytes(keccak256(buf));
}

/** Folds a patient's operations, oldest first, from `start` (default: the empty head). */
export function foldPatientChain(ops: readonly PprOperation[], start: Uint8Array = EMPTY_PATIENT_HEAD): Uint8Array {
  let head = start;
  for (const op of ops) head = extendPatientHead(head, operationLeafHash(op));
  return head;
}

/** One live PPR link of a Summary. */
export interface SummaryEntry {
  readonly pprId: string;
  readonly provider: number;
  readonly pprHash: string;
  /** Hash of the latest encrypted policy, if a policy operation was ever applied. */
  readonly policyHash?: string;
  /** pprIds this one replaced, newest first. */
  readonly history: readonly string[];
}

/**
 * Materialises the live PPR links from a patient's operations, oldest first: Add creates,
 * Modify replaces `replacedPprId` by `pprId` (carrying its history), Delete removes, Policy
 * records a new policy hash. Operations on unknown pprIds are ignored, as an indexer must do
 * with anything the chain accepted but the rules do not allow; the chain head still commits
 * to them.
 */
export function materialiseSummary(ops: readonly PprOperation[]): Map<string, SummaryEntry> {
  const live = new Map<string, SummaryEntry>();
  for (const op of ops) {
    switch (op.kind) {
      case PprOperationKind.Add:
        if (!live.has(op.pprId)) live.set(op.pprId, { pprId: op.pprId, provider: op.provider, pprHash: op.pprHash, history: [] });
        break;
      case PprOperationKind.Modify: {
        const old = op.replacedPprId === undefined ? undefined : live.get(op.replacedPprId);
        if (!old || live.has(op.pprId)) break;
        live.delete(old.pprId);
        live.set(op.pprId, {
          pprId: op.pprId,
          provider: op.provider,
          pprHash: op.pprHash,
          policyHash: old.policyHash,
          history: [old.pprId, ...old.history],
        });
        break;
      }
      case PprOperationKind.Delete:
        live.delete(op.pprId);
        break;
      case PprOperationKind.Policy: {
        const entry = live.get(op.pprId);
        if (entry) live.set(op.pprId, { ...entry, policyHash: op.pprHash });
        break;
      }
    }
  }
  return live;
}
