import { Logger, NotFoundException, type ArgumentsHost } from '@nestjs/common';
import { ErrorCode } from '@carechain/contracts';
import { DomainError } from './domain-error';
import { ProblemDetailsFilter, type ProblemDetails } from './problem-details.filter';

/** Runs the filter on `exception` and returns what it answered. */
function answer(exception: unknown): { status: number; type: string; body: ProblemDetails } {
  const sent: { status?: number; type?: string; body?: ProblemDetails } = {};
  const response = {
    status(code: number) {
      sent.status = code;
      return this;
    },
    type(value: string) {
      sent.type = value;
      return this;
    },
    json(body: ProblemDetails) {
      sent.body = body;
      return this;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  new ProblemDetailsFilter().catch(exception, host);
  return { status: sent.status!, type: sent.type!, body: sent.body! };
}

/** What body-parser raises (an http-errors error) for a body over its limit. */
function bodyParserError(status: number, message: string, expose: boolean) {
  return Object.assign(new Error(message), { status, statusCode: status, expose, type: 'entity.too.large' });
}

describe('ProblemDetailsFilter', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn']));

  it('keeps a domain error its code and status', () => {
    const { status, type, body } = answer(new DomainError(ErrorCode.Conflict, 'record r version 1 already exists'));
    expect(status).toBe(409);
    expect(type).toBe('application/problem+json');
    expect(body).toMatchObject({ status: 409, code: 'CONFLICT', detail: 'record r version 1 already exists' });
  });

  it('maps a Nest HTTP exception by its status', () => {
    expect(answer(new NotFoundException('nothing here')).body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it("answers middleware's exposed client errors (body-parser's 413) with their status and code, not a 500", () => {
    const { status, body } = answer(bodyParserError(413, 'request entity too large', true));
    expect(status).toBe(413);
    expect(body).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE', detail: 'request entity too large' });
    expect(answer(bodyParserError(415, 'unsupported charset "KOI8-R"', true)).body).toMatchObject({
      status: 415,
      code: 'VALIDATION_FAILED',
    });
  });

  it('answers anything else, including an unexposed error carrying a status, with 500 INTERNAL and no detail leak', () => {
    for (const exception of [new Error('db password is hunter2'), bodyParserError(400, 'internal detail', false), 'a string']) {
      const { status, body } = answer(exception);
      expect(status).toBe(500);
      expect(body.code).toBe('INTERNAL');
      expect(JSON.stringify(body)).not.toMatch(/hunter2|internal detail/);
    }
  });
});
