import { Inject, Injectable } from '@nestjs/common';
import { AttributeEpochRotated } from '@carechain/contracts';
import { EventPublisher, SERVICE_CONFIG } from '@carechain/platform';
import type { EpochEvents } from '../application/ports';
import type { IssuerConfig } from '../config';
import type { AttributeEpoch, RotationReason } from '../domain/attribute-epoch';

/** attribute.epoch-rotated.v1, keyed by attribute; the event id is deterministic per epoch. */
@Injectable()
export class KafkaEpochEvents implements EpochEvents {
  constructor(
    private readonly publisher: EventPublisher,
    @Inject(SERVICE_CONFIG) private readonly config: IssuerConfig,
  ) {}

  async rotated(epoch: AttributeEpoch, reason: RotationReason): Promise<void> {
    await this.publisher.publish(
      AttributeEpochRotated,
      {
        issuerId: this.config.ISSUER_ID,
        attribute: epoch.attribute,
        epoch: epoch.epoch,
        reason,
        rotatedAt: epoch.rotatedAt.toISOString(),
      },
      { key: epoch.attribute, subject: epoch.attribute, id: `${epoch.attribute}#${epoch.epoch}` },
    );
  }
}
