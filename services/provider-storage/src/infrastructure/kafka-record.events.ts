import { Injectable } from '@nestjs/common';
import { RecordCommitted, RecordFailed } from '@carechain/contracts';
import { EventPublisher } from '@carechain/platform';
import type { RecordEvents } from '../application/ports';
import type { RecordFailure, StoredRecord } from '../domain/stored-record';

/**
 * record.committed.v1 keyed by patient pseudonym. The id names the version's PPR, so a
 * redelivered or re-anchored version is the same fact to consumers (notifications, audit).
 */
@Injectable()
export class KafkaRecordEvents implements RecordEvents {
  constructor(private readonly publisher: EventPublisher) {}

  async committed(record: StoredRecord, provider: string): Promise<void> {
    await this.publisher.publish(
      RecordCommitted,
      {
        ...aboutRecord(record, provider),
        version: record.version,
        pprId: record.pprId,
        committedAt: (record.anchor?.anchoredAt ?? new Date()).toISOString(),
      },
      { key: record.patient, subject: record.recordId, id: `record.committed:${record.pprId}` },
    );
  }

  async failed(record: StoredRecord, failure: RecordFailure, provider: string): Promise<void> {
    await this.publisher.publish(
      RecordFailed,
      {
        ...aboutRecord(record, provider),
        code: failure.code,
        reason: failure.reason.slice(0, 1000),
        failedAt: failure.failedAt.toISOString(),
      },
      { key: record.patient, subject: record.recordId, id: `record.failed:${record.pprId}:${failure.failedAt.getTime()}` },
    );
  }
}

/** What both record events say about the version: which record, whose, where, and which operation. */
function aboutRecord(record: StoredRecord, provider: string) {
  return { recordId: record.recordId, patient: record.patient, provider, operation: record.version === 1 ? ('add' as const) : ('modify' as const) };
}
