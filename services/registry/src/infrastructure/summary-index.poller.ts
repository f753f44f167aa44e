import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PeriodicTask } from '@carechain/platform';
import { SummaryIndexer } from '../application/summary-indexer';

/** Poll intervals of the Summary index, from config. */
export interface SummaryPollSettings {
  readonly pollIntervalMs: number;
  readonly sweepIntervalMs: number;
}
export const SUMMARY_POLL_SETTINGS = Symbol('SUMMARY_POLL_SETTINGS');

/**
 * Drives the index: a step every `pollIntervalMs` (the ledger's logs are read while the node
 * still serves them, and what is read is persisted), and a sweep of every stored head against
 * the chain every `sweepIntervalMs`, which catches a Summary that drifted for any reason.
 */
@Injectable()
export class SummaryIndexPoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SummaryIndexPoller.name);
  private readonly step: PeriodicTask;
  private readonly sweep: PeriodicTask;

  constructor(
    private readonly indexer: SummaryIndexer,
    @Inject(SUMMARY_POLL_SETTINGS) settings: SummaryPollSettings,
  ) {
    this.step = new PeriodicTask(() => this.indexer.catchUp(), settings.pollIntervalMs, (e) => this.logger.warn(`index step failed: ${e.message}`));
    this.sweep = new PeriodicTask(() => this.indexer.sweep(), settings.sweepIntervalMs, (e) => this.logger.warn(`head sweep failed: ${e.message}`));
  }

  onApplicationBootstrap(): void {
    this.step.start();
    this.sweep.start();
    void this.step.runOnce();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.step.stop(), this.sweep.stop()]);
  }
}
