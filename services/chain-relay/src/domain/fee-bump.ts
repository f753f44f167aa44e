/** EIP-1559 fee fields of a transaction, in wei. */
export interface Fees {
  readonly maxFeePerGas: bigint;
  readonly maxPriorityFeePerGas: bigint;
}

/**
 * Fees for a replacement of a stuck transaction: geth's txpool accepts a replacement only if
 * both fee fields rise by at least its price bump (10 %), so each field becomes
 * ceil(previous × 1.1), or the current market fee if that is higher. The priority fee never
 * exceeds the fee cap.
 */
export function bumpFees(previous: Fees, market: Fees): Fees {
  const bump = (x: bigint) => (x * 110n + 99n) / 100n;
  const maxPriorityFeePerGas = max(bump(previous.maxPriorityFeePerGas), market.maxPriorityFeePerGas);
  const maxFeePerGas = max(max(bump(previous.maxFeePerGas), market.maxFeePerGas), maxPriorityFeePerGas);
  return { maxFeePerGas, maxPriorityFeePerGas };
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
