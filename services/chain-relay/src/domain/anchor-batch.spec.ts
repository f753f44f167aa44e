import { verifyMerkleInclusion } from '@carechain/crypto';
import { decodeBatch, GROUP_HEADER_BYTES, OPERATION_BYTES } from '@carechain/chain';
import fc from 'fast-check';
import { assembleBatch } from './anchor-batch';
import { relayOperation } from './relay-domain.fixtures';
import { toLedgerOperation } from './relay-operation';

describe('assembleBatch', () => {
  it('puts the relay operations in leaf order: decoded calldata leaf i is operation i, and its proof verifies', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 40 }), (patients) => {
        const pending = patients.map((p) => relayOperation(p, p % 3 === 0 ? 'modify' : 'add'));
        const batch = assembleBatch(pending)!;
        expect(batch.rest).toHaveLength(0);
        expect(decodeBatch(batch.data)).toEqual(batch.operations.map(toLedgerOperation));
        batch.operations.forEach((_, i) => {
          expect(() => verifyMerkleInclusion(batch.tree.leafHashes[i], i, batch.operations.length, batch.tree.proof(i), batch.tree.root)).not.toThrow();
        });
        expect(new Set(batch.operations.map((o) => o.pprId))).toEqual(new Set(pending.map((o) => o.pprId)));
      }),
      { numRuns: 50 },
    );
  });

  it('takes the longest prefix that fits and leaves the rest pending in order', () => {
    const pending = Array.from({ length: 10 }, () => relayOperation(1));
    const batch = assembleBatch(pending, GROUP_HEADER_BYTES + 4 * OPERATION_BYTES)!;
    expect(batch.operations).toEqual(pending.slice(0, 4));
    expect(batch.rest).toEqual(pending.slice(4));
  });

  it('returns nothing for an empty queue', () => {
    expect(assembleBatch([])).toBeUndefined();
  });
});
