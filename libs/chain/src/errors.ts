/**
 * Every failure in @carechain/chain is a ChainError with a stable, machine-readable code, so
 * callers (the chain-relay, the registry) map it without parsing messages. Malformed input
 * never escapes as a RangeError or a TypeError.
 */
export const ChainErrorCode = {
  /** An operation that cannot be encoded: bad kind, wrong-width id or hash, index out of range. */
  InvalidOperation: 'CHAIN_INVALID_OPERATION',
  /** Packed batch bytes that do not decode; `details.reason` mirrors the contract's reason. */
  MalformedBatch: 'CHAIN_MALFORMED_BATCH',
  /** A batch that would exceed the size one transaction may carry. */
  BatchTooLarge: 'CHAIN_BATCH_TOO_LARGE',
  /** A Merkle tree or proof request outside the tree. */
  InvalidMerkleRequest: 'CHAIN_INVALID_MERKLE_REQUEST',
  /** Chain data that contradicts itself (a transaction that is not a commitBatch, a missing event). */
  InconsistentChainData: 'CHAIN_INCONSISTENT_CHAIN_DATA',
} as const;
export type ChainErrorCode = (typeof ChainErrorCode)[keyof typeof ChainErrorCode];

export class ChainError extends Error {
  override readonly name = 'ChainError';
  constructor(
    readonly code: ChainErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
