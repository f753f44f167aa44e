import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
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
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(IDENTITY_REPOSITORY) private readonly identities: IdentityRepository,
    @Inject(IDENTITY_EVENTS) private readonly events: IdentityEvents,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.sweep()
        .then(() => undefined)
        .finally(() => (this.running = undefined));
    }, 5_000);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async sweep(): Promise<number> {
    let published = 0;
    try {
      const pending = await this.identities.pendingEvents(new Date(Date.now() - 5_000), 100);
      for (const { identity, eventId } of pending) {
        await this.events.registered(identity, eventId);
        await this.identities.markEventPublished(identity.address);
        published++;
      }
    } catch (error) {
      this.logger.warn(`outbox sweep stopped: ${(error as Error).message}`);
    }
    return published;
  }
}
