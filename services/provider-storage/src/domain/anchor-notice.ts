import type { RecordAnchor, StoredRecord } from './stored-record';

/** The part of a relay `ppr.anchored` notice the provider acts on. */
export interface AnchoredNotice {
  readonly pprId: string;
  /** The provider the PPR names; absent from notices of relays older than the field. */
  readonly provider?: string;
  readonly kind: string;
  readonly pprHash: string;
  readonly anchor: RecordAnchor;
}

/** The part of a relay `ppr.reorged` notice the provider acts on. */
export interface ReorgedNotice {
  readonly pprId: string;
  readonly provider?: string;
  readonly kind: string;
  readonly pprHash: string;
  readonly previousBlockHash: string;
}

/**
 * What an anchor announcement does to the record version it names.
 * - commit: the version becomes visible, anchored where the notice says (also when it was
 *   committed elsewhere before: the newest announcement wins, a reorg notice for the old block
 *   follows and then no longer matches);
 * - already-committed: a redelivery of the announcement the version holds (nothing changes);
 * - revoked-anchor: a late announcement of a block a reorg already removed;
 * - hash-mismatch: the anchored hash is not this version's bytes, so it must not become visible;
 * - not-a-version-operation: a policy change or delete on the link, which changes no stored bytes.
 */
export type AnchoredVerdict = 'commit' | 'already-committed' | 'revoked-anchor' | 'hash-mismatch' | 'not-a-version-operation';

/** What a reorg notice does: revert (back to pending), or remember the block so a late announcement of it is ignored. */
export type ReorgedVerdict = 'revert' | 'remember-revoked' | 'hash-mismatch' | 'not-a-version-operation';

const VERSION_KINDS = new Set(['add', 'modify']);

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Whether a notice names another provider, so it can be skipped without looking it up. Every
 * provider reads every notice; without the field, the lookup by pprId decides.
 */
export function namesAnotherProvider(notice: { provider?: string }, ownProvider: string): boolean {
  return notice.provider !== undefined && !same(notice.provider, ownProvider);
}

/** Decides what a `ppr.anchored` notice for `record.pprId` does. Pure: the store applies it. */
export function decideAnchored(record: StoredRecord, notice: AnchoredNotice): AnchoredVerdict {
  if (!VERSION_KINDS.has(notice.kind)) return 'not-a-version-operation';
  if (!same(notice.pprHash, record.pprHash)) return 'hash-mismatch';
  if ((record.revokedBlockHashes ?? []).some((h) => same(h, notice.anchor.blockHash))) return 'revoked-anchor';
  if (record.state === 'committed' && record.anchor && same(record.anchor.blockHash, notice.anchor.blockHash)) return 'already-committed';
  return 'commit';
}

/** Decides what a `ppr.reorged` notice for `record.pprId` does. Pure: the store applies it. */
export function decideReorged(record: StoredRecord, notice: ReorgedNotice): ReorgedVerdict {
  if (!VERSION_KINDS.has(notice.kind)) return 'not-a-version-operation';
  if (!same(notice.pprHash, record.pprHash)) return 'hash-mismatch';
  if (record.state === 'committed' && record.anchor && same(record.anchor.blockHash, notice.previousBlockHash)) return 'revert';
  return 'remember-revoked';
}
