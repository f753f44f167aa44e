import { Inject, Injectable, Logger } from '@nestjs/common';
import { pprKindName, type PprKindName } from '@carechain/chain';
import { NonRetryableEventError } from '@carechain/platform';
import { classifyNoticeOrigin, type NoticeOrigin, type OwnLedger } from '../domain/anchor-notice-origin';
import { SummaryIndexer } from './summary-indexer';
import {
  ANCHOR_NOTICE_METRICS,
  LEDGER_READER,
  OWN_LEDGER,
  SUMMARY_STORE,
  type AnchorNoticeMetrics,
  type LedgerReader,
  type SummaryStore,
} from './summary-ports';

/** The fields of `ppr.anchored.v1` the check reads. */
export interface AnchorNotice extends NoticeOrigin {
  readonly pprId: string;
  readonly kind: PprKindName;
  readonly pprHash: string;
  readonly patient: string;
  readonly blockNumber: number;
  readonly blockHash: string;
  readonly txHash: string;
  readonly batchRoot: string;
  readonly batchSize: number;
  readonly leafIndex: number;
  readonly inclusionProof: readonly string[];
}

/** The fields of `ppr.reorged.v1` the re-check reads. */
export interface ReorgNotice extends NoticeOrigin {
  readonly pprId: string;
  readonly patient: string;
}

/** What the registry concluded from an anchor notice; foreign: about another ledger deployment, skipped. */
export type AnchorNoticeOutcome = 'confirmed' | 'index-behind' | 'stale-fork' | 'foreign';

/** What the registry did with a reorg notice. */
export type ReorgNoticeOutcome = 'rechecked' | 'foreign';

/**
 * Handles the relay's announcements against the chain-derived index. The Summary itself is
 * built from chain data only; a `ppr.anchored` triggers indexing and is cross-checked (the
 * ledger stores the first 16 bytes of the 32-byte pprId), and a `ppr.reorged` makes the
 * patient's Summary be re-checked against the chain head and rebuilt if it differs. Notices
 * naming another chain or ledger (other deployments can share the broker) are skipped before
 * any of that: checked against this chain they could only look like contradictions.
 */
@Injectable()
export class CheckAnchorNoticeUseCase {
  private readonly logger = new Logger(CheckAnchorNoticeUseCase.name);

  constructor(
    private readonly indexer: SummaryIndexer,
    @Inject(SUMMARY_STORE) private readonly store: SummaryStore,
    @Inject(LEDGER_READER) private readonly ledger: LedgerReader,
    @Inject(OWN_LEDGER) private readonly own: OwnLedger,
    @Inject(ANCHOR_NOTICE_METRICS) private readonly metrics: AnchorNoticeMetrics,
  ) {}

  /**
   * Throws NonRetryableEventError (code ANCHOR_MISMATCH) when a notice about this ledger (or
   * one that does not say which) contradicts the canonical chain.
   */
  async anchored(notice: AnchorNotice): Promise<AnchorNoticeOutcome> {
    if (this.isForeign('anchored', notice)) return 'foreign';
    let cursor = await this.indexer.cursor();
    if (!cursor || cursor.indexedThrough < notice.blockNumber) {
      await this.indexer.catchUp();
      cursor = await this.indexer.cursor();
    }
    // The chain index is authoritative and reaches this block on its own; nothing to check yet.
    if (!cursor || cursor.indexedThrough < notice.blockNumber) return 'index-behind';
    if ((await this.ledger.blockHash(notice.blockNumber)) !== notice.blockHash) {
      this.logger.warn(`ppr.anchored for ${notice.pprId} names block ${notice.blockNumber} ${notice.blockHash}, no longer canonical`);
      return 'stale-fork';
    }
    const find = async () => {
      const summary = await this.store.findByPseudonym(notice.patient);
      return { summary, op: summary?.operations.find((o) => o.anchor.txHash === notice.txHash && o.anchor.leafIndex === notice.leafIndex) };
    };
    const first = await find();
    let op = first.op;
    if (!op && first.summary) {
      const known = first.summary;
      await this.indexer.checkedAtCursor(async () => (await this.store.findByPseudonym(notice.patient)) ?? known);
      ({ op } = await find());
    }
    const mismatch = (why: string): never => {
      throw new NonRetryableEventError('ANCHOR_MISMATCH', `ppr.anchored ${notice.pprId} (tx ${notice.txHash} leaf ${notice.leafIndex}): ${why}`);
    };
    if (!op) return mismatch('the canonical chain has no such operation for this patient');
    if (!notice.pprId.startsWith(op.operation.pprId)) mismatch(`the ledger holds pprId ${op.operation.pprId} at that leaf`);
    if (pprKindName(op.operation.kind) !== notice.kind) mismatch(`the ledger holds a ${pprKindName(op.operation.kind)} at that leaf`);
    if (op.operation.pprHash.toLowerCase() !== notice.pprHash.toLowerCase()) mismatch(`the ledger holds hash ${op.operation.pprHash} at that leaf`);
    if (op.anchor.batchRoot !== notice.batchRoot) mismatch(`the batch root on chain is ${op.anchor.batchRoot}`);
    if (op.anchor.batchSize !== notice.batchSize) mismatch(`the batch holds ${op.anchor.batchSize} operations`);
    if (op.anchor.inclusionProof.join() !== notice.inclusionProof.join()) mismatch('the inclusion proof differs from the one the chain yields');
    return 'confirmed';
  }

  /** Re-checks the patient's Summary against the chain after the relay reported a vanished anchor. */
  async reorged(notice: ReorgNotice): Promise<ReorgNoticeOutcome> {
    if (this.isForeign('reorged', notice)) return 'foreign';
    const { patient } = notice;
    await this.indexer.catchUp();
    const summary = await this.store.findByPseudonym(patient);
    if (summary) await this.indexer.checkedAtCursor(async () => (await this.store.findByPseudonym(patient)) ?? summary);
    return 'rechecked';
  }

  /** Counts and logs (at debug: expected on a shared broker, not a fault) a notice about another deployment. */
  private isForeign(event: 'anchored' | 'reorged', notice: NoticeOrigin & { readonly pprId: string }): boolean {
    if (classifyNoticeOrigin(notice, this.own) !== 'foreign') return false;
    this.metrics.foreignNotice(event);
    this.logger.debug(
      `ppr.${event} ${notice.pprId} is about chain ${notice.chainId ?? '(unstated)'} ledger ${notice.ledger ?? '(unstated)'}, ` +
        `not this registry's (chain ${this.own.chainId} ledger ${this.own.ledger}); skipped`,
    );
    return true;
  }
}
