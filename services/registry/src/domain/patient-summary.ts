import {
  EMPTY_PATIENT_HEAD,
  extendPatientHead,
  materialiseSummary,
  operationLeafHash,
  PprOperationKind,
  type PprOperation,
} from '@carechain/chain';

/**
 * Where one PPR operation sits on chain: everything a client needs to check, from chain data
 * alone, that the operation is leaf `leafIndex` of the batch whose root the ledger recorded in
 * `batchRoot[batchId]`, mined in block `blockNumber`/`blockHash` by transaction `txHash`.
 */
export interface OperationAnchor {
  readonly batchId: string;
  readonly batchRoot: string;
  readonly batchSize: number;
  readonly leafIndex: number;
  /** RFC 6962 audit path of the leaf, leaf-side sibling first. */
  readonly inclusionProof: readonly string[];
  readonly blockNumber: number;
  readonly blockHash: string;
  readonly txHash: string;
  /** The patient's chain head right after this operation (`head_i`, docs/chain.md). */
  readonly headAfter: string;
}

/** One of a patient's operations as committed, with its anchor. */
export interface AnchoredPprOperation {
  readonly operation: PprOperation;
  readonly anchor: OperationAnchor;
}

/** One live PPR link, with the anchors of the operations that gave it its current state. */
export interface LivePprLink {
  readonly pprId: string;
  readonly provider: number;
  readonly pprHash: string;
  readonly policyHash?: string;
  /** pprIds this one replaced, newest first. */
  readonly history: readonly string[];
  /** The Add or Modify that linked this pprId. */
  readonly linkedBy: OperationAnchor;
  /** The latest Policy operation on this pprId, if any. */
  readonly policyBy?: OperationAnchor;
}

/**
 * A patient's Summary as the registry materialises it: every operation the ledger committed
 * for the patient, in commit order (batch order, then leaf order), the chain head they fold
 * to, and the live links they leave. Invariant: `head` = fold of `operations` from the empty
 * head, and `live` = the links `materialiseSummary` derives from the same operations.
 */
export interface PatientSummary {
  readonly patientIndex: number;
  /** The patient's pseudonym (lower-case address) as registered in the Registrar. */
  readonly pseudonym: string;
  readonly head: string;
  readonly operations: readonly AnchoredPprOperation[];
  readonly live: readonly LivePprLink[];
  /** Optimistic-concurrency counter of the stored document; 0 for a Summary never stored. */
  readonly version: number;
}

const ZERO_HEAD = toHex(EMPTY_PATIENT_HEAD);

/** A Summary with no operations: the state of every registered patient before its first batch. */
export function emptyPatientSummary(patientIndex: number, pseudonym: string): PatientSummary {
  return { patientIndex, pseudonym: pseudonym.toLowerCase(), head: ZERO_HEAD, operations: [], live: [], version: 0 };
}

/** What appending one transaction's operations did to a Summary. */
export type AppendOutcome =
  /** The operations extended the chain to exactly the head the transaction logged. */
  | { readonly kind: 'applied'; readonly summary: PatientSummary }
  /** The Summary already holds this transaction: at-least-once delivery, nothing changes. */
  | { readonly kind: 'duplicate'; readonly summary: PatientSummary }
  /**
   * The fold does not reach the logged head: the Summary missed an operation or holds one
   * from a fork that no longer exists. It must be rebuilt from chain data.
   */
  | { readonly kind: 'diverged'; readonly expectedHead: string; readonly foldedHead: string };

/**
 * Appends the operations one `commitBatch` transaction committed for this patient (in leaf
 * order), checking the fold against `loggedHead`, the head the transaction's
 * `PatientChainExtended` event reported. Pure; the input Summary is not modified.
 */
export function appendTransaction(
  summary: PatientSummary,
  txHash: string,
  operations: readonly AnchoredPprOperation[],
  loggedHead: string,
): AppendOutcome {
  const tx = txHash.toLowerCase();
  if (summary.operations.some((o) => o.anchor.txHash.toLowerCase() === tx)) return { kind: 'duplicate', summary };
  let head = fromHex(summary.head);
  const appended: AnchoredPprOperation[] = [];
  for (const o of operations) {
    if (o.operation.patient !== summary.patientIndex) {
      throw new RangeError(`operation for patient ${o.operation.patient} appended to patient ${summary.patientIndex}`);
    }
    head = extendPatientHead(head, operationLeafHash(o.operation));
    appended.push({ operation: o.operation, anchor: { ...o.anchor, headAfter: toHex(head) } });
  }
  const folded = toHex(head);
  if (folded !== loggedHead.toLowerCase()) return { kind: 'diverged', expectedHead: loggedHead.toLowerCase(), foldedHead: folded };
  return { kind: 'applied', summary: withOperations(summary, [...summary.operations, ...appended]) };
}

/**
 * The Summary holding exactly `operations` (commit order), with head and live links
 * recomputed: what a rebuild from chain data produces. `headAfter` of each anchor is
 * recomputed too, so a caller cannot store a head that its operations do not fold to.
 */
export function summaryFromOperations(
  base: Pick<PatientSummary, 'patientIndex' | 'pseudonym' | 'version'>,
  operations: readonly AnchoredPprOperation[],
): PatientSummary {
  let head = EMPTY_PATIENT_HEAD;
  const rechained = operations.map((o) => {
    head = extendPatientHead(head, operationLeafHash(o.operation));
    return { operation: o.operation, anchor: { ...o.anchor, headAfter: toHex(head) } };
  });
  return withOperations({ ...base, pseudonym: base.pseudonym.toLowerCase(), head: ZERO_HEAD, operations: [], live: [] }, rechained);
}

function withOperations(summary: PatientSummary, operations: readonly AnchoredPprOperation[]): PatientSummary {
  const head = operations.length === 0 ? ZERO_HEAD : operations[operations.length - 1].anchor.headAfter;
  return { ...summary, head, operations, live: liveLinks(operations) };
}

/**
 * The live links of a Summary, by the rules of `materialiseSummary` (@carechain/chain: Add
 * links, Modify replaces and carries history, Delete unlinks, Policy swaps the policy hash),
 * each with the anchors of the operations that gave it its state. Ordered by the position of
 * the linking operation, oldest first.
 */
export function liveLinks(operations: readonly AnchoredPprOperation[]): LivePprLink[] {
  const live = materialiseSummary(operations.map((o) => o.operation));
  // Replays the same rules to learn which operation gave each link its state; the content
  // itself comes from materialiseSummary, and the two must agree on which ids are live.
  const anchors = new Map<string, { at: number; linkedBy: OperationAnchor; policyBy?: OperationAnchor }>();
  operations.forEach(({ operation: op, anchor }, at) => {
    switch (op.kind) {
      case PprOperationKind.Add:
        if (!anchors.has(op.pprId)) anchors.set(op.pprId, { at, linkedBy: anchor });
        break;
      case PprOperationKind.Modify: {
        const old = op.replacedPprId === undefined ? undefined : anchors.get(op.replacedPprId);
        if (!old || anchors.has(op.pprId) || op.replacedPprId === undefined) break;
        anchors.delete(op.replacedPprId);
        anchors.set(op.pprId, { at, linkedBy: anchor, ...(old.policyBy ? { policyBy: old.policyBy } : {}) });
        break;
      }
      case PprOperationKind.Delete:
        anchors.delete(op.pprId);
        break;
      case PprOperationKind.Policy: {
        const entry = anchors.get(op.pprId);
        if (entry) anchors.set(op.pprId, { ...entry, policyBy: anchor });
        break;
      }
    }
  });
  const links: (LivePprLink & { at: number })[] = [];
  for (const entry of live.values()) {
    const anchored = anchors.get(entry.pprId);
    if (!anchored) throw new Error(`live PPR ${entry.pprId} has no linking operation`);
    links.push({
      at: anchored.at,
      pprId: entry.pprId,
      provider: entry.provider,
      pprHash: entry.pprHash,
      ...(entry.policyHash === undefined ? {} : { policyHash: entry.policyHash }),
      history: entry.history,
      linkedBy: anchored.linkedBy,
      ...(anchored.policyBy ? { policyBy: anchored.policyBy } : {}),
    });
  }
  if (links.length !== anchors.size) throw new Error('live links disagree with materialiseSummary');
  return links.sort((a, b) => a.at - b.at).map(({ at: _at, ...link }) => link);
}

/** True iff `value` is a 0x-prefixed 20-byte hex address (any case): the shape of a pseudonym. */
export function isPseudonym(value: string): boolean {
  return /^0x[0-9a-fA-F]{40}$/.test(value);
}

function toHex(bytes: Uint8Array): string {
  return `0x${Buffer.from(bytes).toString('hex')}`;
}

function fromHex(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.slice(2), 'hex'));
}
