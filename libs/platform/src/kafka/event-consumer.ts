import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import {
  DeadLetterHeader,
  EventDecodingError,
  deadLetterTopic,
  decodeEvent,
  type EventDefinition,
} from '@carechain/contracts';
import type { Consumer, EachMessagePayload, Kafka, Producer } from 'kafkajs';
import { NonRetryableEventError, type EventHandler } from './event-handler';

export interface EventConsumerOptions {
  groupId: string;
  /** Attempts per message before it is dead-lettered (validation failures are not retried). */
  attempts: number;
  /** First backoff; doubles per attempt, capped at 30 s. */
  backoffMs: number;
  log: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
}

/** What happened to one message; exposed for metrics and tests. */
export type ConsumeOutcome = 'handled' | 'dead-lettered';

const tracer = trace.getTracer('@carechain/platform/kafka');

/**
 * Runs a consumer group over the handlers' topics with at-least-once delivery:
 * - a message is decoded and validated against its contract; a defective one (a "poison
 *   message") goes to `<topic>.dlq` at once with the reason, and the consumer moves on;
 * - a handler failure is retried with exponential backoff (heartbeating meanwhile, so a slow
 *   retry does not trigger a rebalance), then dead-lettered with the last error;
 * - the offset is committed only after the handler succeeded or the dead-letter write was
 *   acknowledged, so nothing is lost: if the dead-letter write itself fails, the message is
 *   redelivered.
 */
export class EventConsumer {
  private consumer: Consumer | undefined;
  private readonly byTopic = new Map<string, { definition: EventDefinition; handlers: EventHandler[] }>();
  private stopping = false;
  onOutcome?: (outcome: ConsumeOutcome, topic: string) => void;

  constructor(
    private readonly kafka: Kafka,
    private readonly deadLetterProducer: Producer,
    handlers: readonly EventHandler[],
    private readonly options: EventConsumerOptions,
  ) {
    for (const handler of handlers) {
      for (const definition of handler.events) {
        const entry = this.byTopic.get(definition.topic) ?? { definition, handlers: [] };
        entry.handlers.push(handler);
        this.byTopic.set(definition.topic, entry);
      }
    }
  }

  /** Topics consumed, for provisioning (KafkaModule adds each one's dead-letter topic). */
  topics(): string[] {
    return [...this.byTopic.keys()];
  }

  async start(): Promise<void> {
    if (this.byTopic.size === 0) return;
    this.consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics(), fromBeginning: true });
    await this.consumer.run({ autoCommit: true, eachMessage: (payload) => this.process(payload) });
  }

  /** Stops fetching, lets the in-flight message finish, commits, and leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect();
  }

  private async process(payload: EachMessagePayload): Promise<void> {
    const { topic, partition, message, heartbeat } = payload;
    const entry = this.byTopic.get(topic);
    if (!entry) return;
    let event;
    try {
      event = decodeEvent(entry.definition, message);
    } catch (error) {
      const reason = error instanceof EventDecodingError ? error.failure : 'DECODE_FAILED';
      await this.deadLetter(payload, reason, (error as Error).message, 0);
      return;
    }

    const delivery = { topic, partition, offset: message.offset, key: message.key?.toString('utf8') };
    const parent = propagation.extract(context.active(), {
      traceparent: event.traceparent,
      tracestate: event.tracestate,
    });
    let lastError: unknown;
    let attempt = 0;
    for (attempt = 1; attempt <= this.options.attempts; attempt++) {
      try {
        await context.with(parent, () =>
          tracer.startActiveSpan(
            `${topic} process`,
            {
              kind: SpanKind.CONSUMER,
              attributes: {
                'messaging.system': 'kafka',
                'messaging.destination.name': topic,
                'messaging.kafka.destination.partition': partition,
                'messaging.kafka.message.offset': message.offset,
                'messaging.message.id': event.id,
                'messaging.consumer.group.name': this.options.groupId,
              },
            },
            async (span) => {
              try {
                for (const handler of entry.handlers) await handler.handle(event, entry.definition, delivery);
              } catch (error) {
                span.recordException(error as Error);
                span.setStatus({ code: SpanStatusCode.ERROR });
                throw error;
              } finally {
                span.end();
              }
            },
          ),
        );
        this.onOutcome?.('handled', topic);
        return;
      } catch (error) {
        lastError = error;
        if (error instanceof NonRetryableEventError || this.stopping) break;
        this.options.log('warn', 'event handler failed; retrying', {
          topic,
          partition,
          offset: message.offset,
          eventId: event.id,
          attempt,
          error: (error as Error).message,
        });
        if (attempt < this.options.attempts) {
          await sleep(Math.min(this.options.backoffMs * 2 ** (attempt - 1), 30_000));
          await heartbeat();
        }
      }
    }
    if (this.stopping && !(lastError instanceof NonRetryableEventError)) {
      // Shutting down mid-retry: leave the offset uncommitted so the next owner retries it.
      throw lastError;
    }
    const code = lastError instanceof NonRetryableEventError ? lastError.code : 'HANDLER_FAILED';
    await this.deadLetter(payload, code, (lastError as Error).message, Math.min(attempt, this.options.attempts));
  }

  private async deadLetter(payload: EachMessagePayload, code: string, reason: string, attempts: number) {
    const { topic, partition, message } = payload;
    const headers: Record<string, string | Buffer> = {};
    for (const [name, value] of Object.entries(message.headers ?? {})) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value[value.length - 1] : value;
    }
    Object.assign(headers, {
      [DeadLetterHeader.Code]: code,
      [DeadLetterHeader.Reason]: reason.slice(0, 2000),
      [DeadLetterHeader.OriginalTopic]: topic,
      [DeadLetterHeader.OriginalPartition]: String(partition),
      [DeadLetterHeader.OriginalOffset]: message.offset,
      [DeadLetterHeader.ConsumerGroup]: this.options.groupId,
      [DeadLetterHeader.Attempts]: String(attempts),
      [DeadLetterHeader.FailedAt]: new Date().toISOString(),
    });
    await this.deadLetterProducer.send({
      topic: deadLetterTopic(topic),
      acks: -1,
      messages: [{ key: message.key, value: message.value, headers }],
    });
    this.options.log('warn', 'message dead-lettered', { topic, partition, offset: message.offset, code, reason });
    this.onOutcome?.('dead-lettered', topic);
  }
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
