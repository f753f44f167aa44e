import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PeriodicTask, SERVICE_CONFIG } from '@carechain/platform';
import { PPR_REQUESTS, RECORD_STORE, type PprRequests, type RecordStore } from '../application/ports';
import type { StorageConfig } from '../config';
import { pprRequestFor } from '../domain/stored-record';

/** Sends PPR requests that were stored but never confirmed sent. */
@Injectable()
export class PprOutboxSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PprOutboxSweeper.name);
  private readonly task = new PeriodicTask(() => this.sweep(), 5_000, (e) =>
    this.logger.warn(`outbox sweep stopped: ${e.message}`),
  );

  constructor(
    @Inject(RECORD_STORE) private readonly records: RecordStore,
    @Inject(PPR_REQUESTS) private readonly pprs: PprRequests,
    @Inject(SERVICE_CONFIG) private readonly config: StorageConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  async sweep(): Promise<number> {
    const pending = await this.records.unrequested(new Date(Date.now() - 5_000), 100);
    for (const record of pending) {
      await this.pprs.request(record, pprRequestFor(this.config.PROVIDER_ADDRESS, record));
      await this.records.markRequested(record.recordId, record.version);
    }
    return pending.length;
  }
}
