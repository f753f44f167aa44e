import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PeriodicTask } from '@carechain/platform';
import {
  IDENTITY_EVENTS,
  IDENTITY_REPOSITORY,
  type IdentityEvents,
  type IdentityRepository,
} from '../application/ports';

/**
 * Publishes identity events that were written but never confirmed sent (the broker was down,
 * or the process died between the insert and the send). Same event id, so consumers
 * deduplicate a repeat.
 */
@Injectable()
export class IdentityOutboxSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdentityOutboxSweeper.name);
  private readonly task = new PeriodicTask(() => this.sweep(), 5_000, (e) =>
    this.logger.warn(`outbox sweep stopped: ${e.message}`),
  );

  constructor(
    @Inject(IDENTITY_REPOSITORY) private readonly identities: IdentityRepository,
    @Inject(IDENTITY_EVENTS) private readonly events: IdentityEvents,
  ) {}

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  async sweep(): Promise<number> {
    const pending = await this.identities.pendingEvents(new Date(Date.now() - 5_000), 100);
    for (const { identity, eventId } of pending) {
      await this.events.registered(identity, eventId);
      await this.identities.markEventPublished(identity.address);
    }
    return pending.length;
  }
}
