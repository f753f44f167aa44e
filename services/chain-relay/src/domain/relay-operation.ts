import { pprOperationKind, type PprKindName, type PprOperation } from '@carechain/chain';

/** The four PPR operation kinds as `ppr.requested` names them. */
export type RequestedKind = PprKindName;

/**
 * One PPR operation as the relay persists it: the request's own fields, plus the Registrar
 * indexes the ledger's packed layout needs, resolved once at intake.
 */
export interface RelayOperation {
  /** The request's 32-byte PPR id (lower-case hex); the dedupe key. */
  readonly pprId: string;
  readonly kind: RequestedKind;
  /** Patient pseudonym address (lower case): the Kafka key of every event about it. */
  readonly patient: string;
  readonly patientIndex: number;
  readonly provider: string;
  readonly providerIndex: number;
  readonly pprHash: string;
  readonly replacedPprId?: string;
  /** The `ce_id` of the `ppr.requested` event it came from. */
  readonly eventId: string;
  /** When the relay persisted it (ms since epoch), for confirmation latency. */
  readonly receivedAt: number;
}

/**
 * The relay's identity for one requested operation: its dedupe key, the key of every map and
 * batch list, and part of its event ids. Add and Modify mint a fresh pprId, so the pprId names
 * the operation. Delete and Policy name the existing link they change (the add's pprId), so the
 * kind, and for Policy 8 bytes of the new policy hash (fresh ABE randomness makes each re-wrap's
 * hash differ), are part of the id; keyed by pprId alone they were dropped as duplicates of
 * the add. At most 91 characters, so event ids built on it stay under CloudEvents' 200.
 */
export function operationId(op: Pick<RelayOperation, 'pprId' | 'kind' | 'pprHash'>): string {
  switch (op.kind) {
    case 'add':
    case 'modify':
      return op.pprId;
    case 'delete':
      return `${op.pprId}:delete`;
    case 'policy':
      return `${op.pprId}:policy:${op.pprHash.slice(2, 18)}`;
  }
}

/**
 * The ledger's 16-byte id for a 32-byte request id: its first 16 bytes. The ledger packs ids
 * at 16 bytes to stay near 53 calldata bytes per operation; the full id travels in
 * `ppr.anchored`, and a verifier checks that the leaf carries its prefix.
 */
export function ledgerPprId(pprId: string): string {
  if (!/^0x[0-9a-f]{64}$/.test(pprId)) throw new RangeError(`pprId must be 32 bytes of lower-case hex: ${pprId}`);
  return pprId.slice(0, 34);
}

/** The operation in the ledger's packed form (Registrar indexes, 16-byte ids). */
export function toLedgerOperation(op: RelayOperation): PprOperation {
  const base = {
    kind: pprOperationKind(op.kind),
    pprId: ledgerPprId(op.pprId),
    patient: op.patientIndex,
    provider: op.providerIndex,
    pprHash: op.pprHash,
  };
  if (op.kind !== 'modify') return base;
  if (!op.replacedPprId) throw new RangeError(`modify ${op.pprId} has no replacedPprId`);
  return { ...base, replacedPprId: ledgerPprId(op.replacedPprId) };
}
