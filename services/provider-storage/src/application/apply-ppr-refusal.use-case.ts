import { Inject, Injectable, Logger } from '@nestjs/common';
import { SERVICE_CONFIG } from '@carechain/platform';
import type { StorageConfig } from '../config';
import { decideRefusal, type RefusalVerdict } from '../domain/ppr-refusal';
import type { RecordFailure } from '../domain/stored-record';
import { ANCHOR_NOTICE_METRICS, RECORD_EVENTS, RECORD_STORE, type AnchorNoticeMetrics, type RecordEvents, type RecordStore } from './ports';

/** A PPR request of this provider that the relay dead-lettered, with the relay's code and reason. */
export interface PprRefusal extends RecordFailure {
  readonly pprId: string;
}

/**
 * Completes EHR add and modify when they fail: a version whose PPR request the relay refused
 * (an unregistered patient, a malformed operation) becomes failed instead of pending forever,
 * and `record.failed` carries the relay's code and reason to the patient. Uploading the same
 * bytes again asks again (UploadRecordUseCase).
 */
@Injectable()
export class ApplyPprRefusalUseCase {
  private readonly logger = new Logger(ApplyPprRefusalUseCase.name);

  constructor(
    @Inject(RECORD_STORE) private readonly records: RecordStore,
    @Inject(RECORD_EVENTS) private readonly events: RecordEvents,
    @Inject(ANCHOR_NOTICE_METRICS) private readonly metrics: AnchorNoticeMetrics,
    @Inject(SERVICE_CONFIG) private readonly config: StorageConfig,
  ) {}

  async execute(refusal: PprRefusal): Promise<RefusalVerdict | 'not-ours'> {
    const outcome = await this.apply(refusal);
    this.metrics.notice('refused', outcome);
    return outcome;
  }

  private async apply(refusal: PprRefusal): Promise<RefusalVerdict | 'not-ours'> {
    const record = await this.records.findByPprId(refusal.pprId);
    if (!record) return 'not-ours';
    const verdict = decideRefusal(record);
    if (verdict === 'stale') return verdict;
    const failure: RecordFailure = { code: refusal.code, reason: refusal.reason, failedAt: refusal.failedAt };
    // Committed or retried meanwhile: the refusal no longer applies.
    if (verdict === 'fail' && !(await this.records.markFailed(refusal.pprId, failure))) return 'stale';
    // A redelivery republishes the stored failure, so the event keeps its id.
    await this.events.failed(record, verdict === 'fail' ? failure : (record.failure ?? failure), this.config.PROVIDER_ADDRESS);
    if (verdict === 'fail') this.logger.warn(`${record.recordId}@${record.version} failed: the relay refused its PPR (${refusal.code}: ${refusal.reason})`);
    return verdict;
  }
}
