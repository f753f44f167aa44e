import { checkNonces } from './nonce-ledger';

describe('checkNonces', () => {
  it('is consistent when every nonce between the chain and the ledger is held unresolved', () => {
    expect(checkNonces({ unresolved: [5, 6], ledgerNext: 7, chainLatest: 5, chainPending: 7 })).toEqual({ kind: 'consistent', next: 7 });
    expect(checkNonces({ unresolved: [], ledgerNext: 7, chainLatest: 7, chainPending: 7 })).toEqual({ kind: 'consistent', next: 7 });
  });

  it('reports the missing nonces of a gap', () => {
    expect(checkNonces({ unresolved: [6], ledgerNext: 8, chainLatest: 5, chainPending: 5 })).toEqual({ kind: 'gap', missing: [5, 7], next: 8 });
  });

  it('reports nonces used outside the ledger', () => {
    expect(checkNonces({ unresolved: [], ledgerNext: 3, chainLatest: 3, chainPending: 4 })).toEqual({ kind: 'foreign', next: 4 });
    expect(checkNonces({ unresolved: [], ledgerNext: 3, chainLatest: 5, chainPending: 5 })).toEqual({ kind: 'foreign', next: 5 });
  });
});
