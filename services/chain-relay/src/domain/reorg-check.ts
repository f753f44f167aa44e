/** Where the relay saw a batch mined. */
export interface MinedAt {
  readonly blockNumber: number;
  readonly blockHash: string;
}

/** What the node now says about that transaction. */
export interface CanonicalReceipt {
  readonly blockNumber: number;
  readonly blockHash: string;
  readonly status: number;
}

/** What the canonical chain holds at the heights that matter (undefined: no block there). */
export interface CanonicalHashes {
  readonly atMinedHeight: string | undefined;
  readonly atReceiptHeight: string | undefined;
}

export type InclusionChange =
  | { readonly kind: 'unchanged' }
  /** The block left the canonical chain and the tx is in no canonical block (yet). */
  | { readonly kind: 'vanished' }
  /** The block left the canonical chain and the tx is in another canonical block: same operations, new position. */
  | { readonly kind: 'moved'; readonly to: CanonicalReceipt }
  /** Re-executed on the winning fork and reverted (e.g. the wrong-fork guard): the nonce is spent, the operations are not anchored. */
  | { readonly kind: 'reverted'; readonly to: CanonicalReceipt };

/**
 * Decides from block hashes first: while the mined block is still canonical at its height,
 * the transaction is in it whatever a lagging receipt index says (a transaction cannot be in
 * two canonical blocks). Only once that block is gone does the receipt say where the
 * transaction went, and only a receipt whose block is itself canonical counts.
 */
export function inclusionChange(mined: MinedAt, receipt: CanonicalReceipt | undefined, canonical: CanonicalHashes): InclusionChange {
  if (canonical.atMinedHeight === mined.blockHash) return { kind: 'unchanged' };
  if (!receipt || canonical.atReceiptHeight !== receipt.blockHash) return { kind: 'vanished' };
  if (receipt.blockHash === mined.blockHash) return { kind: 'unchanged' };
  if (receipt.status !== 1) return { kind: 'reverted', to: receipt };
  return { kind: 'moved', to: receipt };
}
