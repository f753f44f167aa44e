import { ErrorCode } from '@carechain/contracts';

const statusByCode: Record<ErrorCode, number> = {
  [ErrorCode.ValidationFailed]: 400,
  [ErrorCode.Unauthorized]: 401,
  [ErrorCode.InvalidSignature]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.ChallengeExpired]: 410,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.Internal]: 500,
  [ErrorCode.DependencyUnavailable]: 503,
};

/**
 * A failure the API reports to its caller with a stable code. Use cases throw these; the
 * ProblemDetailsFilter turns them into RFC 9457 responses with the matching HTTP status.
 */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  get status(): number {
    return statusByCode[this.code];
  }
}
