/** What the relay's nonce ledger and the chain say about the relay account at startup. */
export interface NonceView {
  /** Nonces the ledger holds a signed transaction for, not yet known to be mined. */
  readonly unresolved: readonly number[];
  /** One more than the highest nonce the ledger ever signed (0 if none). */
  readonly ledgerNext: number;
  /** Transactions of the account mined on the canonical chain (`eth_getTransactionCount(latest)`). */
  readonly chainLatest: number;
  /** The same including the node's txpool (`pending`). */
  readonly chainPending: number;
}

export type NonceCheck =
  | { readonly kind: 'consistent'; readonly next: number }
  /** Nonces below `next` that nothing in the ledger will fill: each must be filled, or later ones never mine. */
  | { readonly kind: 'gap'; readonly missing: readonly number[]; readonly next: number }
  /** The chain has used nonces the ledger never signed: another process holds this key. */
  | { readonly kind: 'foreign'; readonly next: number };

/**
 * Reconciles the persisted nonce ledger with the chain. The ledger records every signed
 * transaction before it is broadcast, so after a crash every nonce in [chainLatest, ledgerNext)
 * should be unresolved in the ledger; a nonce there that is not is a gap.
 */
export function checkNonces(view: NonceView): NonceCheck {
  if (view.chainPending > view.ledgerNext || view.chainLatest > view.ledgerNext) {
    return { kind: 'foreign', next: Math.max(view.chainPending, view.chainLatest) };
  }
  const held = new Set(view.unresolved);
  const missing: number[] = [];
  for (let n = view.chainLatest; n < view.ledgerNext; n++) if (!held.has(n)) missing.push(n);
  if (missing.length > 0) return { kind: 'gap', missing, next: view.ledgerNext };
  return { kind: 'consistent', next: view.ledgerNext };
}
