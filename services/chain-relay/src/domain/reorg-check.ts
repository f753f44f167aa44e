/** Where the relay saw a batch mined. */
export interface MinedAt {
  readonly blockNumber: number;
  readonly blockHash: string;
}

/** What the canonical chain now says about that transaction. */
export interface CanonicalReceipt {
  readonly blockNumber: number;
  readonly blockHash: string;
  readonly status: number;
}

export type InclusionChange =
  | { readonly kind: 'unchanged' }
  /** The receipt vanished: the block left the canonical chain and the tx is not (yet) in another. */
  | { readonly kind: 'vanished' }
  /** The tx is now in another block: same operations, new position. */
  | { readonly kind: 'moved'; readonly to: CanonicalReceipt }
  /** Re-executed on the winning fork and reverted (e.g. the wrong-fork guard): the nonce is spent, the operations are not anchored. */
  | { readonly kind: 'reverted'; readonly to: CanonicalReceipt };

/**
 * Compares where a batch was mined with the receipt the canonical chain gives now, plus the
 * canonical hash at the mined height (a receipt can lag a reorg on some nodes, the block
 * hash cannot).
 */
export function inclusionChange(mined: MinedAt, receipt: CanonicalReceipt | undefined, canonicalHashAtHeight: string | undefined): InclusionChange {
  if (!receipt) return { kind: 'vanished' };
  if (receipt.status !== 1) return { kind: 'reverted', to: receipt };
  if (receipt.blockHash !== mined.blockHash || receipt.blockNumber !== mined.blockNumber) return { kind: 'moved', to: receipt };
  if (canonicalHashAtHeight !== undefined && canonicalHashAtHeight !== mined.blockHash) return { kind: 'vanished' };
  return { kind: 'unchanged' };
}
