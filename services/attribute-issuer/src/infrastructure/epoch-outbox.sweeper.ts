import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PeriodicTask } from '@carechain/platform';
import { EPOCH_EVENTS, EPOCH_REPOSITORY, type EpochEvents, type EpochRepository } from '../application/ports';

/** Publishes rotations whose event was written but never confirmed sent. */
@Injectable()
export class EpochOutboxSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EpochOutboxSweeper.name);
  private readonly task = new PeriodicTask(() => this.sweep(), 5_000, (e) =>
    this.logger.warn(`outbox sweep stopped: ${e.message}`),
  );

  constructor(
    @Inject(EPOCH_REPOSITORY) private readonly epochs: EpochRepository,
    @Inject(EPOCH_EVENTS) private readonly events: EpochEvents,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  async sweep(): Promise<number> {
    const pending = await this.epochs.pending(new Date(Date.now() - 5_000), 100);
    for (const { epoch, reason } of pending) {
      await this.events.rotated(epoch, reason);
      await this.epochs.markPublished(epoch.attribute, epoch.epoch);
    }
    return pending.length;
  }
}
