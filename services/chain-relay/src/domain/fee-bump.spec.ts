import fc from 'fast-check';
import { bumpFees } from './fee-bump';

describe('bumpFees', () => {
  it('raises both fields by at least 10 % (geth’s replacement rule) and never below the market', () => {
    const wei = fc.bigInt({ min: 1n, max: 10n ** 15n });
    fc.assert(
      fc.property(wei, wei, wei, wei, (fee, tip, marketFee, marketTip) => {
        const previous = { maxFeePerGas: fee + tip, maxPriorityFeePerGas: tip };
        const next = bumpFees(previous, { maxFeePerGas: marketFee, maxPriorityFeePerGas: marketTip });
        expect(next.maxFeePerGas * 100n).toBeGreaterThanOrEqual(previous.maxFeePerGas * 110n);
        expect(next.maxPriorityFeePerGas * 100n).toBeGreaterThanOrEqual(previous.maxPriorityFeePerGas * 110n);
        expect(next.maxFeePerGas).toBeGreaterThanOrEqual(marketFee);
        expect(next.maxPriorityFeePerGas).toBeGreaterThanOrEqual(marketTip);
        expect(next.maxPriorityFeePerGas).toBeLessThanOrEqual(next.maxFeePerGas);
      }),
    );
  });

  it('rounds up: 1 wei becomes 2', () => {
    expect(bumpFees({ maxFeePerGas: 1n, maxPriorityFeePerGas: 1n }, { maxFeePerGas: 0n, maxPriorityFeePerGas: 0n })).toEqual({
      maxFeePerGas: 2n,
      maxPriorityFeePerGas: 2n,
    });
  });
});
