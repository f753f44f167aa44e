import fc from 'fast-check';
import { confirmations, isConfirmed } from './confirmation';

describe('confirmations', () => {
  it('counts the block itself and every block after it', () => {
    expect(confirmations(10, 9)).toBe(0);
    expect(confirmations(10, 10)).toBe(1);
    expect(confirmations(10, 12)).toBe(3);
    expect(isConfirmed(10, 12, 3)).toBe(true);
    expect(isConfirmed(10, 11, 3)).toBe(false);
  });

  it('is monotone in the head', () => {
    fc.assert(
      fc.property(fc.nat(1e6), fc.nat(1e6), fc.nat(100), (block, head, more) =>
        confirmations(block, head + more) >= confirmations(block, head),
      ),
    );
  });
});
