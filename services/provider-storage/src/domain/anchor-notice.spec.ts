import { decideAnchored, decideReorged, namesAnotherProvider, type AnchoredNotice } from './anchor-notice';
import { anchorAt, testHash as hash } from './record.fixtures';
import type { StoredRecord } from './stored-record';

const pending: StoredRecord = {
  recordId: 'r1',
  patient: '0x' + 'a'.repeat(40),
  version: 1,
  sealed: Buffer.from('x'),
  pprId: hash(1),
  pprHash: hash(2),
  state: 'pending',
  receivedAt: new Date('2026-11-28T09:59:00Z'),
};
const committedAt = (block: number): StoredRecord => ({ ...pending, state: 'committed', anchor: anchorAt(block) });
const anchored = (block: number, over: Partial<AnchoredNotice> = {}): AnchoredNotice => ({ pprId: pending.pprId, kind: 'add', pprHash: pending.pprHash, anchor: anchorAt(block), ...over });
const reorged = (block: number, over: Partial<{ kind: string; pprHash: string }> = {}) => ({
  pprId: pending.pprId,
  kind: 'add',
  pprHash: pending.pprHash,
  previousBlockHash: hash(1000 + block),
  ...over,
});

describe('decideAnchored', () => {
  it('commits a pending version whose add or modify is anchored with its own hash', () => {
    expect(decideAnchored(pending, anchored(7))).toBe('commit');
    expect(decideAnchored({ ...pending, version: 2 }, anchored(7, { kind: 'modify' }))).toBe('commit');
  });

  it('compares hashes regardless of case', () => {
    expect(decideAnchored(pending, anchored(7, { pprHash: pending.pprHash.toUpperCase().replace('0X', '0x') }))).toBe('commit');
  });

  it('treats a redelivery of the anchor it holds as already committed, and a new block as a re-anchor to commit', () => {
    expect(decideAnchored(committedAt(7), anchored(7))).toBe('already-committed');
    expect(decideAnchored(committedAt(7), anchored(9))).toBe('commit');
  });

  it('refuses an anchored hash that is not the stored bytes', () => {
    expect(decideAnchored(pending, anchored(7, { pprHash: hash(99) }))).toBe('hash-mismatch');
  });

  it('ignores a late announcement of a block a reorg removed', () => {
    expect(decideAnchored({ ...pending, revokedBlockHashes: [hash(1007)] }, anchored(7))).toBe('revoked-anchor');
    expect(decideAnchored({ ...pending, revokedBlockHashes: [hash(1007)] }, anchored(8))).toBe('commit');
  });

  it('leaves policy changes and deletes on the link to others', () => {
    expect(decideAnchored(pending, anchored(7, { kind: 'policy' }))).toBe('not-a-version-operation');
    expect(decideAnchored(committedAt(7), anchored(8, { kind: 'delete' }))).toBe('not-a-version-operation');
  });
});

describe('decideReorged', () => {
  it('reverts a version committed in the withdrawn block', () => {
    expect(decideReorged(committedAt(7), reorged(7))).toBe('revert');
  });

  it('only remembers the block when the version is pending or anchored elsewhere', () => {
    expect(decideReorged(pending, reorged(7))).toBe('remember-revoked');
    expect(decideReorged(committedAt(9), reorged(7))).toBe('remember-revoked');
  });

  it('ignores notices about another operation or other bytes', () => {
    expect(decideReorged(committedAt(7), reorged(7, { kind: 'policy' }))).toBe('not-a-version-operation');
    expect(decideReorged(committedAt(7), reorged(7, { pprHash: hash(99) }))).toBe('hash-mismatch');
  });
});

describe('namesAnotherProvider', () => {
  it('skips a notice naming another provider, in any case, and looks up one that names none', () => {
    const own = '0x' + 'b'.repeat(40);
    expect(namesAnotherProvider({ provider: '0x' + 'c'.repeat(40) }, own)).toBe(true);
    expect(namesAnotherProvider({ provider: '0x' + 'B'.repeat(40) }, own)).toBe(false);
    expect(namesAnotherProvider({}, own)).toBe(false);
  });
});
