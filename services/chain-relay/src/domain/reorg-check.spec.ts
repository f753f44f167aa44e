import { inclusionChange } from './reorg-check';

const mined = { blockNumber: 10, blockHash: '0xaa' };

describe('inclusionChange', () => {
  it('tells unchanged, vanished, moved and reverted apart', () => {
    expect(inclusionChange(mined, { ...mined, status: 1 }, '0xaa')).toEqual({ kind: 'unchanged' });
    expect(inclusionChange(mined, undefined, '0xbb')).toEqual({ kind: 'vanished' });
    expect(inclusionChange(mined, { blockNumber: 11, blockHash: '0xcc', status: 1 }, '0xbb')).toMatchObject({ kind: 'moved' });
    expect(inclusionChange(mined, { blockNumber: 11, blockHash: '0xcc', status: 0 }, '0xbb')).toMatchObject({ kind: 'reverted' });
  });

  it('trusts the canonical block hash over a stale receipt', () => {
    expect(inclusionChange(mined, { ...mined, status: 1 }, '0xbb')).toEqual({ kind: 'vanished' });
  });
});
