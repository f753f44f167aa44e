import type { z } from 'zod';

/**
 * One Kafka topic and the single event type it carries, defined once and imported by both
 * producer and consumer. The version is part of the topic name: a breaking change is a new
 * definition (`...v2`), and consumers read both during a migration.
 */
export interface EventDefinition<S extends z.ZodType = z.ZodType> {
  /** Kafka topic, `<domain>.<event>.v<N>`. */
  readonly topic: string;
  /** CloudEvents `type`: `org.carechain.<domain>.<event>.v<N>`. */
  readonly type: string;
  /** Schema of the event's data, validated on send and on receipt. */
  readonly schema: S;
  /** What the Kafka key is; documents the ordering guarantee. */
  readonly key: 'patient-pseudonym' | 'subject' | 'attribute' | 'none';
  /** One line on what fact the event states. */
  readonly description: string;
}

export type EventData<D extends EventDefinition> = z.infer<D['schema']>;

export function defineEvent<S extends z.ZodType>(definition: EventDefinition<S>): EventDefinition<S> {
  const match = /^([a-z-]+)\.([a-z-]+)\.v(\d+)$/.exec(definition.topic);
  if (!match) throw new Error(`topic ${definition.topic} is not <domain>.<event>.v<N>`);
  if (definition.type !== `org.carechain.${definition.topic}`) {
    throw new Error(`event type ${definition.type} must be org.carechain.${definition.topic}`);
  }
  return Object.freeze(definition);
}

/** The dead-letter topic for a topic: `<topic>.dlq`. */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}
