import { context, propagation } from '@opentelemetry/api';
import { encodeEvent, type EventDefinition, type KafkaRecord } from '@carechain/contracts';
import type { z } from 'zod';
import type { Producer } from 'kafkajs';

export interface PublishOptions {
  /** Kafka key. Use the patient pseudonym wherever order per patient matters. */
  key?: string;
  subject?: string;
  /** CloudEvent id; pass a deterministic one to make a retried publish idempotent downstream. */
  id?: string;
  time?: Date;
}

/**
 * Publishes events defined in @carechain/contracts. Every event is validated before it is
 * sent, carries the current trace context, and each call resolves only once the broker has
 * acknowledged the write on all in-sync replicas (acks = -1) through an idempotent producer.
 */
export class EventPublisher {
  constructor(
    private readonly producer: Producer,
    private readonly source: string,
  ) {}

  async publish<D extends EventDefinition>(
    definition: D,
    data: z.input<D['schema']>,
    options: PublishOptions = {},
  ): Promise<{ id: string }> {
    const record = this.encode(definition, data, options);
    await this.producer.send({ topic: definition.topic, acks: -1, messages: [toMessage(record)] });
    return { id: record.headers['ce_id'] };
  }

  /** Publishes many events of one definition in a single produce request, in order. */
  async publishMany<D extends EventDefinition>(
    definition: D,
    items: { data: z.input<D['schema']>; options?: PublishOptions }[],
  ): Promise<{ ids: string[] }> {
    if (items.length === 0) return { ids: [] };
    const records = items.map((item) => this.encode(definition, item.data, item.options ?? {}));
    await this.producer.send({ topic: definition.topic, acks: -1, messages: records.map(toMessage) });
    return { ids: records.map((r) => r.headers['ce_id']) };
  }

  private encode<D extends EventDefinition>(definition: D, data: z.input<D['schema']>, options: PublishOptions) {
    const carrier: Record<string, string> = {};
    propagation.inject(context.active(), carrier);
    return encodeEvent(definition, data, {
      ...options,
      source: this.source,
      traceparent: carrier['traceparent'],
      tracestate: carrier['tracestate'],
    });
  }
}

function toMessage(record: KafkaRecord) {
  return { key: record.key, value: record.value, headers: record.headers };
}
