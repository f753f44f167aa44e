/**
 * Confirmations of a block at `blockNumber` when the chain head is `head`: the block itself
 * counts as one. An operation is announced only at `confirmations >= k`.
 */
export function confirmations(blockNumber: number, head: number): number {
  return head < blockNumber ? 0 : head - blockNumber + 1;
}

export function isConfirmed(blockNumber: number, head: number, k: number): boolean {
  return confirmations(blockNumber, head) >= k;
}
