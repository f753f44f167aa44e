/** What the relay knows when it decides whether to send a batch now. */
export interface FlushState {
  readonly pendingCount: number;
  readonly pendingBytes: number;
  /** Age of the oldest pending operation, in ms. */
  readonly oldestPendingAgeMs: number;
  /** True when a new head arrived since the last batch was sent. */
  readonly newHeadSinceLastSend: boolean;
  /** A transaction of this relay's account is sent and not yet mined. */
  readonly inFlight: boolean;
}

export interface FlushLimits {
  readonly maxBatchBytes: number;
  readonly lingerMs: number;
}

export type FlushReason = 'new-head' | 'size' | 'linger';

/**
 * Whether to send the next batch now, and why. Never while a transaction is in flight (one
 * per account: a second one would queue behind it anyway and split the block's operations).
 * Otherwise on a new head (everything pending rides in the next block), on a full batch, or
 * when the oldest operation has waited `lingerMs`.
 */
export function flushReason(state: FlushState, limits: FlushLimits): FlushReason | undefined {
  if (state.inFlight || state.pendingCount === 0) return undefined;
  if (state.newHeadSinceLastSend) return 'new-head';
  if (state.pendingBytes >= limits.maxBatchBytes) return 'size';
  if (state.oldestPendingAgeMs >= limits.lingerMs) return 'linger';
  return undefined;
}
