import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ErrorCode } from '@carechain/contracts';
import { DomainError, SERVICE_CONFIG } from '@carechain/platform';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IssuerConfig } from '../config';

/** Admits requests bearing the issuer's admin token (compared in constant time). */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(@Inject(SERVICE_CONFIG) config: IssuerConfig) {
    this.expected = createHash('sha256').update(config.ISSUER_ADMIN_TOKEN).digest();
  }

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    const presented = createHash('sha256').update(token).digest();
    if (!token || !timingSafeEqual(presented, this.expected)) {
      throw new DomainError(ErrorCode.Unauthorized, 'a valid issuer admin bearer token is required');
    }
    return true;
  }
}
