import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode } from '@carechain/contracts';
import { DomainError, SERVICE_CONFIG } from '@carechain/platform';
import type { IssuerConfig } from '../config';
import { INITIAL_EPOCH, belongsToIssuer, type AttributeEpoch } from '../domain/attribute-epoch';
import { EPOCH_REPOSITORY, type EpochRepository } from './ports';

/** The current epoch of one of this issuer's attributes (published, anyone may read it). */
@Injectable()
export class GetEpochQuery {
  constructor(
    @Inject(EPOCH_REPOSITORY) private readonly epochs: EpochRepository,
    @Inject(SERVICE_CONFIG) private readonly config: IssuerConfig,
  ) {}

  async execute(attribute: string): Promise<AttributeEpoch> {
    if (!belongsToIssuer(attribute, this.config.ISSUER_ID)) {
      throw new DomainError(ErrorCode.NotFound, `${attribute} is not managed by issuer ${this.config.ISSUER_ID}`);
    }
    return (await this.epochs.current(attribute)) ?? { attribute, epoch: INITIAL_EPOCH, rotatedAt: new Date(0) };
  }
}
