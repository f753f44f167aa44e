import { Injectable, Logger } from '@nestjs/common';
import { ALL_EVENTS, type CloudEvent, type EventDefinition } from '@carechain/contracts';
import type { EventDelivery, EventHandler } from '@carechain/platform';
import { RecordEventUseCase } from '../application/record-event.use-case';
import { auditSubject } from '../domain/audit-entry';

/** Subscribes the audit log to every topic in the contracts and files each event once. */
@Injectable()
export class AllEventsHandler implements EventHandler {
  readonly events = ALL_EVENTS;
  private readonly logger = new Logger(AllEventsHandler.name);

  constructor(private readonly record: RecordEventUseCase) {}

  async handle(event: CloudEvent<unknown>, definition: EventDefinition, delivery: EventDelivery): Promise<void> {
    const data = (event.data ?? {}) as Record<string, unknown>;
    const outcome = await this.record.execute({
      eventId: event.id,
      topic: definition.topic,
      type: event.type,
      source: event.source,
      subject: auditSubject(event.subject, data, delivery.key),
      time: new Date(event.time),
      data,
      partition: delivery.partition,
      offset: delivery.offset,
      recordedAt: new Date(),
    });
    if (outcome === 'duplicate') this.logger.debug(`event ${event.id} already recorded`);
  }
}
