import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ErrorCode } from '@carechain/contracts';
import type { Response } from 'express';
import { ZodValidationException } from 'nestjs-zod';
import type { ZodError } from 'zod';
import { DomainError } from './domain-error';

/** RFC 9457 problem details, with our machine-readable `code`. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail?: string;
  errors?: { path: string; message: string }[];
  [extension: string]: unknown;
}

const codeByStatus: Record<number, ErrorCode> = {
  400: ErrorCode.ValidationFailed,
  401: ErrorCode.Unauthorized,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  409: ErrorCode.Conflict,
  413: ErrorCode.PayloadTooLarge,
  503: ErrorCode.DependencyUnavailable,
};

/**
 * Maps every error leaving a controller to `application/problem+json`. Domain errors keep
 * their code; request validation failures list each bad field; anything unexpected becomes a
 * 500 with code INTERNAL and is logged, without leaking internals to the caller.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const problem = this.toProblem(exception);
    if (problem.status >= 500 && problem.code === ErrorCode.Internal) {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    response.status(problem.status).type('application/problem+json').json(problem);
  }

  private toProblem(exception: unknown): ProblemDetails {
    if (exception instanceof DomainError) {
      return {
        type: `https://carechain.dev/problems/${exception.code.toLowerCase()}`,
        title: exception.code,
        status: exception.status,
        code: exception.code,
        detail: exception.message,
        ...(exception.details ?? {}),
      };
    }
    if (exception instanceof ZodValidationException) {
      const error = exception.getZodError() as ZodError;
      return {
        type: 'https://carechain.dev/problems/validation_failed',
        title: 'Request validation failed',
        status: 400,
        code: ErrorCode.ValidationFailed,
        detail: 'The request does not match the API schema.',
        errors: error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message })),
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const code = codeByStatus[status] ?? (status >= 500 ? ErrorCode.Internal : ErrorCode.ValidationFailed);
      // Terminus' readiness body ({status, info, error, details}) is kept whole, so the 503
      // names each dependency that is down.
      const extensions = typeof body === 'object' && body !== null && 'details' in body ? (body as object) : {};
      const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
      const detail = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : exception.message;
      return {
        type: `https://carechain.dev/problems/${code.toLowerCase()}`,
        title: exception.name,
        ...extensions,
        status,
        code,
        detail,
      };
    }
    const clientError = asExposedClientError(exception);
    if (clientError) {
      const code = codeByStatus[clientError.status] ?? ErrorCode.ValidationFailed;
      return {
        type: `https://carechain.dev/problems/${code.toLowerCase()}`,
        title: code,
        status: clientError.status,
        code,
        detail: clientError.message,
      };
    }
    return {
      type: 'https://carechain.dev/problems/internal',
      title: 'Internal error',
      status: 500,
      code: ErrorCode.Internal,
      detail: 'An unexpected error occurred.',
    };
  }
}

/**
 * A 4xx raised by express middleware before any controller runs (body-parser's 413 for a body
 * over the limit, 415 for an unsupported charset): an `http-errors` error whose message is
 * meant for the client (`expose`). Nest passes these through unmapped, so without this they
 * would be answered as a 500.
 */
function asExposedClientError(exception: unknown): { status: number; message: string } | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const { status, expose, message } = exception as { status?: unknown; expose?: unknown; message?: unknown };
  if (typeof status !== 'number' || status < 400 || status > 499 || expose !== true) return undefined;
  return { status, message: typeof message === 'string' ? message : 'Bad request' };
}
