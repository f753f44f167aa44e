import { Inject, Injectable } from '@nestjs/common';
import { PprRequested } from '@carechain/contracts';
import { EventPublisher, SERVICE_CONFIG } from '@carechain/platform';
import type { PprRequests } from '../application/ports';
import type { StorageConfig } from '../config';
import type { RecordPprRequest, StoredRecord } from '../domain/stored-record';

/** ppr.requested.v1 keyed by the patient pseudonym (the relay relies on per-patient order). */
@Injectable()
export class KafkaPprRequests implements PprRequests {
  constructor(
    private readonly publisher: EventPublisher,
    @Inject(SERVICE_CONFIG) private readonly config: StorageConfig,
  ) {}

  async request(record: StoredRecord, operation: RecordPprRequest): Promise<void> {
    await this.publisher.publish(
      PprRequested,
      {
        pprId: record.pprId,
        ...operation,
        patient: record.patient,
        provider: this.config.PROVIDER_ADDRESS,
        pprHash: record.pprHash,
        requestedAt: record.receivedAt.toISOString(),
      },
      { key: record.patient, subject: record.recordId, id: `ppr.requested:${record.pprId}` },
    );
  }
}
