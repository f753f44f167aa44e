/**
 * Machine-readable error codes returned by every Carechain HTTP API in RFC 9457 problem
 * details (`code` member), and carried as the reason of dead-letter records. Codes are stable:
 * clients branch on them. Add codes, never rename them.
 */
export const ErrorCode = {
  ValidationFailed: 'VALIDATION_FAILED',
  NotFound: 'NOT_FOUND',
  Conflict: 'CONFLICT',
  Unauthorized: 'UNAUTHORIZED',
  Forbidden: 'FORBIDDEN',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  DependencyUnavailable: 'DEPENDENCY_UNAVAILABLE',
  InvalidSignature: 'INVALID_SIGNATURE',
  ChallengeExpired: 'CHALLENGE_EXPIRED',
  Internal: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Header names of dead-letter records (all values UTF-8 strings). */
export const DeadLetterHeader = {
  Reason: 'x-dlq-reason',
  Code: 'x-dlq-code',
  OriginalTopic: 'x-dlq-original-topic',
  OriginalPartition: 'x-dlq-original-partition',
  OriginalOffset: 'x-dlq-original-offset',
  ConsumerGroup: 'x-dlq-consumer-group',
  Attempts: 'x-dlq-attempts',
  FailedAt: 'x-dlq-failed-at',
} as const;
