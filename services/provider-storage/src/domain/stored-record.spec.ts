import { pprHashOf, pprIdFor, pprRequestFor } from './stored-record';

describe('PPR identifiers', () => {
  it('are deterministic and separate provider, record and version', () => {
    const a = pprIdFor('0xAB', 'r1', 1);
    expect(a).toBe(pprIdFor('0xab', 'r1', 1));
    expect(a).not.toBe(pprIdFor('0xab', 'r1', 2));
    expect(a).not.toBe(pprIdFor('0xab', 'r', 11));
    expect(a).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it('hash the exact sealed bytes', () => {
    expect(pprHashOf(Buffer.from('abc'))).toBe('0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('pprRequestFor', () => {
  it('adds version 1 and makes a later version replace the one before it', () => {
    expect(pprRequestFor('0xAB', { recordId: 'r1', version: 1 })).toEqual({ kind: 'add' });
    expect(pprRequestFor('0xAB', { recordId: 'r1', version: 3 })).toEqual({ kind: 'modify', replacedPprId: pprIdFor('0xab', 'r1', 2) });
  });
});
