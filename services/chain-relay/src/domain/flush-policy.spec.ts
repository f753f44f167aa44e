import { flushReason, type FlushState } from './flush-policy';

const limits = { maxBatchBytes: 1000, lingerMs: 300 };
const idle: FlushState = { pendingCount: 1, pendingBytes: 59, oldestPendingAgeMs: 0, newHeadSinceLastSend: false, inFlight: false };

describe('flushReason', () => {
  it('sends on a new head, a full batch or after the linger time', () => {
    expect(flushReason({ ...idle, newHeadSinceLastSend: true }, limits)).toBe('new-head');
    expect(flushReason({ ...idle, pendingBytes: 1000 }, limits)).toBe('size');
    expect(flushReason({ ...idle, oldestPendingAgeMs: 300 }, limits)).toBe('linger');
    expect(flushReason(idle, limits)).toBeUndefined();
  });

  it('never sends while a transaction is in flight or nothing is pending', () => {
    expect(flushReason({ ...idle, inFlight: true, newHeadSinceLastSend: true, pendingBytes: 5000 }, limits)).toBeUndefined();
    expect(flushReason({ ...idle, pendingCount: 0, newHeadSinceLastSend: true }, limits)).toBeUndefined();
  });
});
