import fc from 'fast-check';
import { PAIRING_SCALAR_ORDER } from './scalar-field';
import { combSignedDigits, combWindows } from './wasm-comb-table';

describe('comb table signed digits', () => {
  it('recode every scalar below r into digits in [−2^(w−1), 2^(w−1)] that sum back to it', () => {
    const scalar = fc.oneof(
      fc.bigInt({ min: 0n, max: PAIRING_SCALAR_ORDER - 1n }),
      fc.constantFrom(0n, 1n, PAIRING_SCALAR_ORDER - 1n, (1n << 255n) - 1n, BigInt('0x' + '80'.repeat(32)) >> 1n),
    );
    fc.assert(
      fc.property(scalar, fc.integer({ min: 2, max: 10 }), (s, w) => {
        const digits = combSignedDigits(s, w);
        expect(digits.length).toBe(combWindows(w));
        let sum = 0n;
        digits.forEach((d, i) => {
          expect(Math.abs(d)).toBeLessThanOrEqual(1 << (w - 1));
          sum += BigInt(d) << BigInt(w * i);
        });
        expect(sum).toBe(s);
      }),
      { numRuns: 300 },
    );
  });
});
