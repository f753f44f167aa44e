import { Injectable, Logger } from '@nestjs/common';
import { PprAnchored, PprReorged, type CloudEvent, type EventData, type EventDefinition } from '@carechain/contracts';
import type { EventHandler } from '@carechain/platform';
import { CheckAnchorNoticeUseCase } from '../application/check-anchor-notice.use-case';

/**
 * Consumes the relay's `ppr.anchored.v1` (cross-checked against the chain index, which it
 * also nudges forward) and `ppr.reorged.v1` (the patient's Summary is re-checked against the
 * chain). Idempotent: both only read, or rebuild from the chain, which converges. Notices
 * about another ledger deployment are skipped by the use case and their offsets committed.
 */
@Injectable()
export class PprAnchorEventsHandler implements EventHandler {
  readonly events = [PprAnchored, PprReorged];
  private readonly logger = new Logger(PprAnchorEventsHandler.name);

  constructor(private readonly notices: CheckAnchorNoticeUseCase) {}

  async handle(event: CloudEvent<unknown>, definition: EventDefinition): Promise<void> {
    if (definition.topic === PprAnchored.topic) {
      const data = event.data as EventData<typeof PprAnchored>;
      const outcome = await this.notices.anchored(data);
      // A foreign notice (another deployment on the broker) was already counted and logged at debug.
      if (outcome !== 'confirmed' && outcome !== 'foreign') this.logger.log(`ppr.anchored ${data.pprId}: ${outcome}`);
      return;
    }
    if (definition.topic === PprReorged.topic) {
      const data = event.data as EventData<typeof PprReorged>;
      await this.notices.reorged(data);
    }
  }
}
