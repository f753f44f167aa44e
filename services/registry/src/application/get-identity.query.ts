import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode } from '@carechain/contracts';
import { DomainError } from '@carechain/platform';
import type { Identity } from '../domain/identity';
import { IDENTITY_REPOSITORY, type IdentityRepository } from './ports';

/** Looks up one registered address. */
@Injectable()
export class GetIdentityQuery {
  constructor(@Inject(IDENTITY_REPOSITORY) private readonly identities: IdentityRepository) {}

  async execute(address: string): Promise<Identity> {
    const identity = await this.identities.findByAddress(address.toLowerCase());
    if (!identity) throw new DomainError(ErrorCode.NotFound, `address ${address} is not registered`);
    return identity;
  }
}
