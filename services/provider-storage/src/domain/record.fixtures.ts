import type { RecordAnchor } from './stored-record';

/** Test data shared by the unit and store tests (excluded from the build). */
export const testHash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;

/** A k-confirmed anchor in block `block`; block, transaction and root hashes derive from it. */
export const anchorAt = (block: number, leafIndex = 0): RecordAnchor => ({
  blockNumber: block,
  blockHash: testHash(1000 + block),
  txHash: testHash(2000 + block),
  batchRoot: testHash(3000 + block),
  leafIndex,
  confirmations: 3,
  anchoredAt: new Date('2026-11-28T10:00:00Z'),
});
