import { Inject, Injectable, Logger } from '@nestjs/common';
import { ErrorCode } from '@carechain/contracts';
import { DomainError, SERVICE_CONFIG } from '@carechain/platform';
import type { IssuerConfig } from '../config';
import { belongsToIssuer, type AttributeEpoch, type RotationReason } from '../domain/attribute-epoch';
import { EPOCH_EVENTS, EPOCH_REPOSITORY, type EpochEvents, type EpochRepository } from './ports';

/**
 * Rotates an attribute to its next epoch and announces it. Patients then re-wrap their data
 * keys to the new epoch (attribute key update: nothing goes on chain).
 */
@Injectable()
export class RotateEpochUseCase {
  private readonly logger = new Logger(RotateEpochUseCase.name);

  constructor(
    @Inject(EPOCH_REPOSITORY) private readonly epochs: EpochRepository,
    @Inject(EPOCH_EVENTS) private readonly events: EpochEvents,
    @Inject(SERVICE_CONFIG) private readonly config: IssuerConfig,
  ) {}

  async execute(attribute: string, reason: RotationReason, now = new Date()): Promise<AttributeEpoch> {
    if (!belongsToIssuer(attribute, this.config.ISSUER_ID)) {
      throw new DomainError(ErrorCode.Forbidden, `${attribute} is not managed by issuer ${this.config.ISSUER_ID}`);
    }
    const epoch = await this.epochs.rotate(attribute, reason, now);
    try {
      await this.events.rotated(epoch, reason);
      await this.epochs.markPublished(attribute, epoch.epoch);
    } catch (error) {
      this.logger.warn(`epoch ${epoch.epoch} of ${attribute} left in the outbox: ${(error as Error).message}`);
    }
    return epoch;
  }
}
