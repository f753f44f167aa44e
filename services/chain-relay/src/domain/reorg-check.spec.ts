import { inclusionChange } from './reorg-check';

const mined = { blockNumber: 10, blockHash: '0xaa' };

describe('inclusionChange', () => {
  it('is unchanged while the mined block is canonical, whatever the receipt index says', () => {
    expect(inclusionChange(mined, { ...mined, status: 1 }, { atMinedHeight: '0xaa', atReceiptHeight: '0xaa' })).toEqual({ kind: 'unchanged' });
    expect(inclusionChange(mined, undefined, { atMinedHeight: '0xaa', atReceiptHeight: undefined })).toEqual({ kind: 'unchanged' });
    expect(inclusionChange(mined, { blockNumber: 11, blockHash: '0xcc', status: 1 }, { atMinedHeight: '0xaa', atReceiptHeight: '0xcc' })).toEqual({ kind: 'unchanged' });
  });

  it('tells vanished, moved and reverted apart once the block is gone', () => {
    expect(inclusionChange(mined, undefined, { atMinedHeight: '0xbb', atReceiptHeight: undefined })).toEqual({ kind: 'vanished' });
    expect(inclusionChange(mined, { blockNumber: 11, blockHash: '0xcc', status: 1 }, { atMinedHeight: '0xbb', atReceiptHeight: '0xcc' })).toMatchObject({ kind: 'moved' });
    expect(inclusionChange(mined, { blockNumber: 11, blockHash: '0xcc', status: 0 }, { atMinedHeight: '0xbb', atReceiptHeight: '0xcc' })).toMatchObject({ kind: 'reverted' });
  });

  it('does not trust a receipt whose own block is not canonical', () => {
    expect(inclusionChange(mined, { blockNumber: 11, blockHash: '0xcc', status: 1 }, { atMinedHeight: '0xbb', atReceiptHeight: '0xdd' })).toEqual({ kind: 'vanished' });
    expect(inclusionChange(mined, { ...mined, status: 1 }, { atMinedHeight: '0xbb', atReceiptHeight: '0xbb' })).toEqual({ kind: 'vanished' });
  });
});
