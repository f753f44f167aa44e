import { classifyNoticeOrigin } from './anchor-notice-origin';

describe('classifyNoticeOrigin', () => {
  const own = { chainId: 1337, ledger: '0x5fbdb2315678afecb367f032d93f642f64180aa3' };
  const otherLedger = '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512';

  it.each([
    ['the same chain and ledger', 'own', { chainId: 1337, ledger: own.ledger }],
    ['the same ledger in checksum case', 'own', { chainId: 1337, ledger: '0x5FbDB2315678afecb367f032d93F642f64180aa3' }],
    ['another ledger on the same chain (a second deployment, a redeployed ledger)', 'foreign', { chainId: 1337, ledger: otherLedger }],
    ['the same address on another chain', 'foreign', { chainId: 31337, ledger: own.ledger }],
    ['another chain and another ledger', 'foreign', { chainId: 31337, ledger: otherLedger }],
    ['only another ledger', 'foreign', { ledger: otherLedger }],
    ['only another chain', 'foreign', { chainId: 31337 }],
    ['neither field (a producer from before them)', 'legacy', {}],
    ['only the same ledger (the chain is unknown)', 'legacy', { ledger: own.ledger }],
    ['only the same chain (the ledger is unknown)', 'legacy', { chainId: 1337 }],
  ] as const)('a notice naming %s is %s', (_, verdict, notice) => {
    expect(classifyNoticeOrigin(notice, own)).toBe(verdict);
  });
});
