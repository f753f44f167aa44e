import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  appendTransaction,
  emptyPatientSummary,
  summaryFromOperations,
  type AnchoredPprOperation,
  type PatientSummary,
} from '../domain/patient-summary';
import {
  LEDGER_READER,
  SUMMARY_INDEX_SETTINGS,
  SUMMARY_STORE,
  type LedgerBatch,
  type LedgerReader,
  type SummaryIndexCursor,
  type SummaryIndexSettings,
  type SummaryStore,
} from './summary-ports';

/** Tips remembered to find the fork point after a reorg deeper than the confirmations. */
const RECENT_TIPS = 64;
const SWEEP_PAGE = 200;

/** What one indexing step did. */
export interface IndexStepResult {
  readonly indexedThrough: number;
  readonly batches: number;
  readonly patientsWritten: number;
  readonly rebuilt: number;
  readonly reorgDetected: boolean;
}

/**
 * Materialises every patient's Summary from the PPR ledger. It reads the chain `confirmations`
 * blocks behind the head, appends each transaction's operations to the patients it touches
 * (checking every fold against the head the transaction logged), and writes each touched
 * Summary once per step. A Summary whose fold misses the chain's head (a missed event, or a
 * fork that vanished) is rebuilt from chain data alone. All writes go through one queue, so
 * the poller, the event handlers and the read path never interleave on a Summary.
 */
@Injectable()
export class SummaryIndexer {
  private readonly logger = new Logger(SummaryIndexer.name);
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(LEDGER_READER) private readonly ledger: LedgerReader,
    @Inject(SUMMARY_STORE) private readonly store: SummaryStore,
    @Inject(SUMMARY_INDEX_SETTINGS) private readonly settings: SummaryIndexSettings,
  ) {}

  /** Indexes the next range of confirmed blocks (if any); resolves once it is stored. */
  indexStep(): Promise<IndexStepResult> {
    return this.exclusive(() => this.doIndexStep());
  }

  /** Indexes until the cursor reaches the confirmed head as read at the start. */
  async catchUp(): Promise<number> {
    const target = (await this.ledger.latestBlockNumber()) - this.settings.confirmations;
    let last = Number.NEGATIVE_INFINITY;
    for (;;) {
      const step = await this.indexStep();
      if (step.indexedThrough >= target || (step.indexedThrough === last && !step.reorgDetected)) return step.indexedThrough;
      last = step.indexedThrough;
    }
  }

  /** The cursor, or undefined before the first step stored one. */
  cursor(): Promise<SummaryIndexCursor | undefined> {
    return this.store.cursor(this.ledger.ledgerAddress);
  }

  /**
   * A patient's Summary as consistent with the chain, loaded and checked inside the write
   * queue (so no step moves the cursor or the Summary between the load and the check). The
   * head is compared with `patientHead` at the cursor, or at the Summary's newest operation if
   * another instance already indexed further, and on a mismatch the Summary is rebuilt from
   * chain data and stored. Resolves undefined before the index has read any block.
   */
  checkedAtCursor(load: () => Promise<PatientSummary>): Promise<{ summary: PatientSummary; atBlock: number } | undefined> {
    return this.exclusive(async () => {
      const cursor = await this.cursor();
      if (!cursor) return undefined;
      const summary = await load();
      const newest = summary.operations.length === 0 ? 0 : summary.operations[summary.operations.length - 1].anchor.blockNumber;
      const atBlock = Math.max(cursor.indexedThrough, newest);
      return { summary: await this.reconcile(summary, atBlock), atBlock };
    });
  }

  /** Checks every stored Summary's head at the cursor and rebuilds those that differ. */
  sweep(): Promise<number> {
    return this.exclusive(async () => {
      const cursor = await this.cursor();
      return cursor ? this.sweepAt(cursor.indexedThrough) : 0;
    });
  }

  private async doIndexStep(): Promise<IndexStepResult> {
    const start = (await this.cursor()) ?? { ledgerAddress: this.ledger.ledgerAddress, indexedThrough: this.ledger.deployBlock - 1, recent: [] };
    const { cursor, reorgDetected } = await this.rewindIfForked(start);
    const target = (await this.ledger.latestBlockNumber()) - this.settings.confirmations;
    if (target <= cursor.indexedThrough) {
      if (reorgDetected) await this.store.saveCursor(cursor);
      return { indexedThrough: cursor.indexedThrough, batches: 0, patientsWritten: 0, rebuilt: 0, reorgDetected };
    }
    const to = Math.min(target, cursor.indexedThrough + this.settings.maxBlocksPerStep);
    const tipHash = await this.ledger.blockHash(to);
    if (!tipHash) throw new Error(`block ${to} vanished while indexing`);
    const batches = await this.ledger.batchesBetween(cursor.indexedThrough + 1, to);
    // A reorg while reading would mix two forks; the next step starts over from the cursor.
    if ((await this.ledger.blockHash(to)) !== tipHash) throw new Error(`block ${to} changed while indexing; retrying`);

    const { written, rebuilt } = await this.apply(batches, to);
    if (reorgDetected) await this.sweepAt(to);
    await this.store.saveCursor({
      ledgerAddress: cursor.ledgerAddress,
      indexedThrough: to,
      recent: [...cursor.recent, { number: to, hash: tipHash }].slice(-RECENT_TIPS),
    });
    if (batches.length > 0 || reorgDetected) {
      this.logger.log(`indexed through block ${to}: ${batches.length} batches, ${written} Summaries written, ${rebuilt} rebuilt${reorgDetected ? ', after a reorg' : ''}`);
    }
    return { indexedThrough: to, batches: batches.length, patientsWritten: written, rebuilt, reorgDetected };
  }

  /**
   * If the last indexed tip is no longer canonical, moves the cursor back to the newest
   * remembered tip that still is (or to the deploy block), so the new fork gets indexed.
   */
  private async rewindIfForked(cursor: SummaryIndexCursor): Promise<{ cursor: SummaryIndexCursor; reorgDetected: boolean }> {
    const tip = cursor.recent[cursor.recent.length - 1];
    if (!tip || (await this.ledger.blockHash(tip.number)) === tip.hash) return { cursor, reorgDetected: false };
    const recent = [...cursor.recent];
    while (recent.length > 0) {
      const candidate = recent[recent.length - 1];
      if ((await this.ledger.blockHash(candidate.number)) === candidate.hash) break;
      recent.pop();
    }
    const indexedThrough = recent.length > 0 ? recent[recent.length - 1].number : this.ledger.deployBlock - 1;
    this.logger.warn(`reorg: indexed tip ${tip.number} ${tip.hash} is no longer canonical; re-indexing from block ${indexedThrough + 1}`);
    return { cursor: { ...cursor, indexedThrough, recent }, reorgDetected: true };
  }

  private async apply(batches: readonly LedgerBatch[], atBlock: number): Promise<{ written: number; rebuilt: number }> {
    const touched = [...new Set(batches.flatMap((b) => [...b.loggedHeads.keys()]))];
    if (touched.length === 0) return { written: 0, rebuilt: 0 };
    const stored = await this.store.findByPatientIndexes(touched);
    const current = new Map<number, PatientSummary>();
    for (const index of touched) current.set(index, stored.get(index) ?? emptyPatientSummary(index, await this.ledger.pseudonymOf(index)));
    const changed = new Set<number>();
    const diverged = new Set<number>();
    for (const batch of batches) {
      for (const [patient, loggedHead] of batch.loggedHeads) {
        if (diverged.has(patient)) continue;
        const outcome = appendTransaction(current.get(patient)!, batch.txHash, operationsOf(batch, patient), loggedHead);
        if (outcome.kind === 'applied') {
          current.set(patient, outcome.summary);
          changed.add(patient);
        } else if (outcome.kind === 'diverged') {
          this.logger.warn(`patient ${patient}: fold ${outcome.foldedHead} misses the head ${outcome.expectedHead} logged by ${batch.txHash}; rebuilding`);
          diverged.add(patient);
        }
      }
    }
    for (const patient of diverged) {
      current.set(patient, await this.rebuild(current.get(patient)!, atBlock));
      changed.add(patient);
    }
    await this.store.save([...changed].map((p) => current.get(p)!));
    return { written: changed.size, rebuilt: diverged.size };
  }

  private async reconcile(summary: PatientSummary, atBlock: number): Promise<PatientSummary> {
    const onChain = await this.ledger.patientHeadAt(summary.patientIndex, atBlock);
    if (onChain.toLowerCase() === summary.head) return summary;
    this.logger.warn(`patient ${summary.patientIndex}: stored head ${summary.head} differs from the chain's ${onChain} at block ${atBlock}; rebuilding`);
    const rebuilt = await this.rebuild(summary, atBlock);
    await this.store.save([rebuilt]);
    return { ...rebuilt, version: rebuilt.version + 1 };
  }

  private async sweepAt(atBlock: number): Promise<number> {
    let after = 0;
    let rebuilt = 0;
    for (;;) {
      const page = await this.store.page(after, SWEEP_PAGE);
      for (const summary of page) {
        const checked = await this.reconcile(summary, atBlock);
        if (checked !== summary) rebuilt++;
      }
      if (page.length < SWEEP_PAGE) return rebuilt;
      after = page[page.length - 1].patientIndex;
    }
  }

  /** The Summary recomputed from chain data alone at `atBlock`, keeping the stored version. */
  private async rebuild(summary: PatientSummary, atBlock: number): Promise<PatientSummary> {
    const recomputed = await this.ledger.recomputePatient(summary.patientIndex, atBlock);
    if (!recomputed.headMatches) {
      throw new Error(`patient ${summary.patientIndex}: chain data does not fold to its own head at block ${atBlock}`);
    }
    const rebuilt = summaryFromOperations(summary, recomputed.operations);
    if (rebuilt.head !== recomputed.head.toLowerCase()) throw new Error(`patient ${summary.patientIndex}: rebuilt head differs from the recomputed one`);
    return rebuilt;
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** The patient's operations in one batch, leaf order, with their anchors (headAfter is filled by the fold). */
export function operationsOf(batch: LedgerBatch, patient: number): AnchoredPprOperation[] {
  const ops: AnchoredPprOperation[] = [];
  batch.operations.forEach((operation, leafIndex) => {
    if (operation.patient !== patient) return;
    ops.push({
      operation,
      anchor: {
        batchId: batch.batchId,
        batchRoot: batch.batchRoot,
        batchSize: batch.operations.length,
        leafIndex,
        inclusionProof: batch.proofs[leafIndex],
        blockNumber: batch.blockNumber,
        blockHash: batch.blockHash,
        txHash: batch.txHash,
        headAfter: '',
      },
    });
  });
  return ops;
}
