import { NonRetryableEventError } from '@carechain/platform';
import { emptyPatientSummary } from '../domain/patient-summary';
import { CheckAnchorNoticeUseCase, type AnchorNotice, type ReorgNotice } from './check-anchor-notice.use-case';
import type { SummaryIndexer } from './summary-indexer';
import type { LedgerReader, SummaryStore } from './summary-ports';

const own = { chainId: 1337, ledger: '0x5fbdb2315678afecb367f032d93f642f64180aa3' };
const otherLedger = '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512';
const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
const patient = '0x' + 'ab'.repeat(20);
const BLOCK_HASH = hash(9);

/**
 * The index has read through block 10 and the patient's Summary holds no operation, so any
 * notice this registry checks is contradicted (ANCHOR_MISMATCH): whatever is not, was skipped.
 */
function setup() {
  const calls: string[] = [];
  const foreign: string[] = [];
  const indexer = {
    cursor: async () => (calls.push('cursor'), { ledgerAddress: own.ledger, indexedThrough: 10, recent: [] }),
    catchUp: async () => (calls.push('catchUp'), 10),
    checkedAtCursor: async () => (calls.push('checkedAtCursor'), undefined),
  } as unknown as SummaryIndexer;
  const store = { findByPseudonym: async () => (calls.push('findByPseudonym'), emptyPatientSummary(1, patient)) } as unknown as SummaryStore;
  const ledger = { blockHash: async () => (calls.push('blockHash'), BLOCK_HASH) } as unknown as LedgerReader;
  const useCase = new CheckAnchorNoticeUseCase(indexer, store, ledger, own, { foreignNotice: (event) => void foreign.push(event) });
  return { useCase, calls, foreign };
}

const anchored = (origin: Partial<Pick<AnchorNotice, 'chainId' | 'ledger'>>): AnchorNotice => ({
  pprId: hash(1),
  kind: 'add',
  pprHash: hash(2),
  patient,
  blockNumber: 5,
  blockHash: BLOCK_HASH,
  txHash: hash(3),
  batchRoot: hash(4),
  batchSize: 1,
  leafIndex: 0,
  inclusionProof: [],
  ...origin,
});
const reorged = (origin: Partial<Pick<ReorgNotice, 'chainId' | 'ledger'>>): ReorgNotice => ({ pprId: hash(1), patient, ...origin });

describe('CheckAnchorNoticeUseCase: notices about other ledger deployments', () => {
  it.each([
    ['another ledger on this chain', { chainId: 1337, ledger: otherLedger }],
    ['this address on another chain', { chainId: 31337, ledger: own.ledger }],
    ['only another ledger', { ledger: otherLedger }],
  ])('skips a ppr.anchored about %s without reading anything, and counts it', async (_, origin) => {
    const { useCase, calls, foreign } = setup();
    await expect(useCase.anchored(anchored(origin))).resolves.toBe('foreign');
    expect(calls).toEqual([]);
    expect(foreign).toEqual(['anchored']);
  });

  it.each([
    ['its own chain and ledger', { chainId: 1337, ledger: own.ledger }],
    ['its own ledger in checksum case', { chainId: 1337, ledger: '0x5FbDB2315678afecb367f032d93F642f64180aa3' }],
    ['neither (a producer from before the fields)', {}],
  ])('checks a ppr.anchored naming %s against the chain as before, dead-lettering a contradiction', async (_, origin) => {
    const { useCase, calls, foreign } = setup();
    const outcome = useCase.anchored(anchored(origin));
    await expect(outcome).rejects.toBeInstanceOf(NonRetryableEventError);
    await expect(outcome).rejects.toMatchObject({ code: 'ANCHOR_MISMATCH' });
    expect(calls).toContain('blockHash');
    expect(foreign).toEqual([]);
  });

  it('skips a ppr.reorged about another deployment, and re-checks its own and legacy ones', async () => {
    const { useCase, calls, foreign } = setup();
    await expect(useCase.reorged(reorged({ chainId: 31337, ledger: otherLedger }))).resolves.toBe('foreign');
    expect(calls).toEqual([]);
    expect(foreign).toEqual(['reorged']);

    for (const origin of [{ chainId: 1337, ledger: own.ledger }, {}]) {
      calls.length = 0;
      await expect(useCase.reorged(reorged(origin))).resolves.toBe('rechecked');
      expect(calls).toEqual(['catchUp', 'findByPseudonym', 'checkedAtCursor']);
    }
    expect(foreign).toEqual(['reorged']);
  });
});
