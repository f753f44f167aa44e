import { Inject, Injectable, Logger } from '@nestjs/common';
import { SERVICE_CONFIG } from '@carechain/platform';
import type { StorageConfig } from '../config';
import { decideAnchored, decideReorged, namesAnotherProvider, type AnchoredNotice, type AnchoredVerdict, type ReorgedNotice, type ReorgedVerdict } from '../domain/anchor-notice';
import { ANCHOR_NOTICE_METRICS, RECORD_EVENTS, RECORD_STORE, type AnchorNoticeMetrics, type RecordEvents, type RecordStore } from './ports';

/** not-ours: the pprId is another provider's (every provider reads every announcement). */
export type AnchoredOutcome = AnchoredVerdict | 'not-ours';
export type ReorgedOutcome = ReorgedVerdict | 'not-ours';

/**
 * Completes EHR add and modify at the provider (the flow's last step): when the relay announces
 * a version's PPR operation k-confirmed, the version becomes visible and `record.committed` is
 * published; when a reorg withdraws that anchor, the version is hidden again until the relay
 * re-anchors it. At-least-once: a redelivered announcement publishes `record.committed` again
 * under the same event id, so consumers see one fact.
 */
@Injectable()
export class ApplyAnchorNoticeUseCase {
  private readonly logger = new Logger(ApplyAnchorNoticeUseCase.name);

  constructor(
    @Inject(RECORD_STORE) private readonly records: RecordStore,
    @Inject(RECORD_EVENTS) private readonly events: RecordEvents,
    @Inject(ANCHOR_NOTICE_METRICS) private readonly metrics: AnchorNoticeMetrics,
    @Inject(SERVICE_CONFIG) private readonly config: StorageConfig,
  ) {}

  async anchored(notice: AnchoredNotice): Promise<AnchoredOutcome> {
    const outcome = await this.applyAnchored(notice);
    this.metrics.notice('anchored', outcome);
    return outcome;
  }

  async reorged(notice: ReorgedNotice): Promise<ReorgedOutcome> {
    const outcome = await this.applyReorged(notice);
    this.metrics.notice('reorged', outcome);
    return outcome;
  }

  private async applyAnchored(notice: AnchoredNotice): Promise<AnchoredOutcome> {
    if (namesAnotherProvider(notice, this.config.PROVIDER_ADDRESS)) return 'not-ours';
    const record = await this.records.findByPprId(notice.pprId);
    if (!record) return 'not-ours';
    const verdict = decideAnchored(record, notice);
    if (verdict === 'hash-mismatch') {
      // The relay anchors what this service asked for; a different hash under this pprId means
      // someone else requested it. The version stays hidden, and operators must look.
      this.logger.error(`ppr.anchored ${notice.pprId} carries hash ${notice.pprHash}, not ${record.recordId}@${record.version}'s ${record.pprHash}`);
      return verdict;
    }
    if (verdict === 'commit' && !(await this.records.commit(notice.pprId, notice.anchor))) return 'revoked-anchor';
    if (verdict === 'commit' || verdict === 'already-committed') {
      await this.events.committed({ ...record, state: 'committed', anchor: notice.anchor }, this.config.PROVIDER_ADDRESS);
    }
    return verdict;
  }

  private async applyReorged(notice: ReorgedNotice): Promise<ReorgedOutcome> {
    if (namesAnotherProvider(notice, this.config.PROVIDER_ADDRESS)) return 'not-ours';
    const record = await this.records.findByPprId(notice.pprId);
    if (!record) return 'not-ours';
    const verdict = decideReorged(record, notice);
    if (verdict === 'revert' || verdict === 'remember-revoked') await this.records.revokeAnchor(notice.pprId, notice.previousBlockHash);
    if (verdict === 'revert') this.logger.warn(`${record.recordId}@${record.version} is pending again: block ${notice.previousBlockHash} left the chain`);
    return verdict;
  }
}
