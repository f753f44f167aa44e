import { decideRefusal, isRetryOfFailed } from './ppr-refusal';

describe('decideRefusal', () => {
  it('fails a pending version, republishes for a failed one, and leaves a committed one alone', () => {
    expect(decideRefusal({ state: 'pending' })).toBe('fail');
    expect(decideRefusal({ state: 'failed' })).toBe('already-failed');
    expect(decideRefusal({ state: 'committed' })).toBe('stale');
  });
});

describe('isRetryOfFailed', () => {
  const failed = { state: 'failed' as const, pprHash: '0xaa', patient: '0x01' };
  it('takes only the same bytes for the same patient of a failed version as a retry', () => {
    expect(isRetryOfFailed(failed, { pprHash: '0xaa', patient: '0x01' })).toBe(true);
    expect(isRetryOfFailed(failed, { pprHash: '0xbb', patient: '0x01' })).toBe(false);
    expect(isRetryOfFailed(failed, { pprHash: '0xaa', patient: '0x02' })).toBe(false);
    expect(isRetryOfFailed({ ...failed, state: 'pending' }, { pprHash: '0xaa', patient: '0x01' })).toBe(false);
  });
});
