/** The PPR-ledger deployment this registry indexes: the chain and the contract's address. */
export interface OwnLedger {
  readonly chainId: number;
  readonly ledger: string;
}

/** The deployment a relay notice names; both fields are optional in v1 of the events. */
export interface NoticeOrigin {
  readonly chainId?: number;
  readonly ledger?: string;
}

/**
 * own: the notice names this registry's chain and ledger; foreign: it names another chain or
 * another ledger (another deployment sharing the broker, a redeployed ledger, a second
 * chain); legacy: it does not say enough to tell (a producer from before the fields, or one
 * naming only one of them, which matches).
 */
export type NoticeOriginVerdict = 'own' | 'foreign' | 'legacy';

/**
 * Whether a relay notice is about this registry's ledger. Any field that is present and
 * differs makes it foreign: a notice about another deployment can only ever look like a
 * contradiction of this chain, so it must be skipped, not dead-lettered. Own needs both to
 * match, since one ledger address can exist on two chains (same deployer, same nonce);
 * anything less is legacy, which is checked against the chain as before the fields existed.
 */
export function classifyNoticeOrigin(notice: NoticeOrigin, own: OwnLedger): NoticeOriginVerdict {
  const chainDiffers = notice.chainId !== undefined && notice.chainId !== own.chainId;
  const ledgerDiffers = notice.ledger !== undefined && notice.ledger.toLowerCase() !== own.ledger.toLowerCase();
  if (chainDiffers || ledgerDiffers) return 'foreign';
  return notice.chainId !== undefined && notice.ledger !== undefined ? 'own' : 'legacy';
}
