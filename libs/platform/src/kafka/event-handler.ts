import type { CloudEvent, EventDefinition } from '@carechain/contracts';

/**
 * A consumer of one or more event definitions. Handlers must be idempotent by event id:
 * delivery is at-least-once, and a retried batch may hand them an event again.
 */
export interface EventHandler {
  /** The events this handler subscribes to. */
  readonly events: readonly EventDefinition[];
  handle(event: CloudEvent<unknown>, definition: EventDefinition, delivery: EventDelivery): Promise<void>;
}

/** Where a consumed event was read from. */
export interface EventDelivery {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  /** The Kafka key as UTF-8, if any. */
  readonly key: string | undefined;
}

/**
 * Thrown by a handler when retrying cannot help (the event is valid but refers to something
 * that can never be processed). The message goes straight to the dead-letter topic.
 */
export class NonRetryableEventError extends Error {
  override readonly name = 'NonRetryableEventError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
