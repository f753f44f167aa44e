import { Injectable } from '@nestjs/common';
import { PprAnchored, PprReorged, type CloudEvent, type EventData, type EventDefinition } from '@carechain/contracts';
import type { EventHandler } from '@carechain/platform';
import { ApplyAnchorNoticeUseCase } from '../application/apply-anchor-notice.use-case';

/**
 * Consumes the relay's `ppr.anchored.v1` and `ppr.reorged.v1` in this provider's own consumer
 * group (every provider must see every notice; see app.module.ts). Malformed events are
 * dead-lettered by the platform consumer before they get here.
 */
@Injectable()
export class PprAnchorEventsHandler implements EventHandler {
  readonly events = [PprAnchored, PprReorged];

  constructor(private readonly notices: ApplyAnchorNoticeUseCase) {}

  async handle(event: CloudEvent<unknown>, definition: EventDefinition): Promise<void> {
    if (definition.topic === PprAnchored.topic) {
      const data = event.data as EventData<typeof PprAnchored>;
      await this.notices.anchored({
        pprId: data.pprId,
        provider: data.provider,
        kind: data.kind,
        pprHash: data.pprHash,
        anchor: {
          blockNumber: data.blockNumber,
          blockHash: data.blockHash,
          txHash: data.txHash,
          batchRoot: data.batchRoot,
          leafIndex: data.leafIndex,
          confirmations: data.confirmations,
          anchoredAt: new Date(data.anchoredAt),
        },
      });
      return;
    }
    if (definition.topic === PprReorged.topic) {
      const data = event.data as EventData<typeof PprReorged>;
      await this.notices.reorged({ pprId: data.pprId, provider: data.provider, kind: data.kind, pprHash: data.pprHash, previousBlockHash: data.previousBlockHash });
    }
  }
}
