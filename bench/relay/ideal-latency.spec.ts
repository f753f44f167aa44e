import { idealLatencies } from './ideal-latency';

describe('idealLatencies', () => {
  // Heights 10..15 first seen at these wall-clock times (ms).
  const seenAt = new Map([
    [10, 1_000],
    [11, 2_000],
    [12, 2_500],
    [13, 6_000],
    [14, 6_100],
    [15, 9_000],
  ]);

  it('puts each operation in the first block seen after it and confirms it k - 1 blocks higher', () => {
    // 1,500 → in 11 (2,000), k = 3 → confirmed at 13 (6,000): 4,500. 2,000 is not after 11's
    // sighting, so it goes in 12 and confirms at 14 (6,100): 4,100. 6,050 → 14 → nothing at 16.
    expect(idealLatencies([2_000, 1_500, 6_050], seenAt, 3)).toEqual([4_100, 4_500]);
  });

  it('with k = 1 is the wait for the next block alone', () => {
    expect(idealLatencies([0, 5_000, 8_999], seenAt, 1)).toEqual([1, 1_000, 1_000]);
  });

  it('leaves out operations published after the last block seen', () => {
    expect(idealLatencies([9_000, 9_500], seenAt, 1)).toEqual([]);
  });
});
