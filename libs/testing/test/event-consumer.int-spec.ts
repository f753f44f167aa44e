/**
 * The platform's EventConsumer on the real broker: a handler that fails is retried with
 * doubling backoff; one that keeps failing is dead-lettered to `<topic>.dlq` with the code and
 * reason in its headers, and the consumer goes on with the next event on the same partition
 * and commits past the dead-lettered one.
 *
 * Lives in libs/testing because the Nx boundaries let the testing lib import platform, not the
 * other way round.
 */
import { randomBytes } from 'node:crypto';
import {
  DeadLetterHeader,
  deadLetterTopic,
  defineEvent,
  encodeEvent,
  type CloudEvent,
  type EventDefinition,
} from '@carechain/contracts';
import { EventConsumer, NonRetryableEventError, type EventHandler } from '@carechain/platform';
import { Kafka, logLevel, type Admin, type Consumer, type Producer } from 'kafkajs';
import { z } from 'zod';
import { getInfrastructure } from '../src';

const ATTEMPTS = 3;
const BACKOFF_MS = 100;
const KEY = 'patient-under-test';

/** A throwaway event on its own topic, so no other test's messages are read. */
function throwawayEvent(): EventDefinition {
  const suffix = [...randomBytes(10)].map((b) => String.fromCharCode(97 + (b % 26))).join('');
  const topic = `testing.consumer-${suffix}.v1`;
  return defineEvent({
    topic,
    type: `org.carechain.${topic}`,
    key: 'patient-pseudonym',
    description: 'Test-only event for the consumer retry and dead-letter tests.',
    schema: z.object({ step: z.string() }),
  });
}

/** What a handler was asked to do, per step: fail this many times first ('always': never succeed). */
type Script = Record<string, { failures: number | 'always' | 'non-retryable' }>;

class ScriptedHandler implements EventHandler {
  readonly calls: { step: string; at: number }[] = [];
  readonly succeeded: string[] = [];

  constructor(
    readonly events: readonly EventDefinition[],
    private readonly script: Script,
  ) {}

  async handle(event: CloudEvent<unknown>): Promise<void> {
    const { step } = event.data as { step: string };
    this.calls.push({ step, at: Date.now() });
    const failures = this.script[step]?.failures ?? 0;
    const callsSoFar = this.calls.filter((c) => c.step === step).length;
    if (failures === 'non-retryable') throw new NonRetryableEventError('STEP_UNKNOWN', `step ${step} can never be processed`);
    if (failures === 'always' || callsSoFar <= failures) throw new Error(`step ${step} failed on call ${callsSoFar}`);
    this.succeeded.push(step);
  }
}

interface DeadLetter {
  key: string | undefined;
  value: string;
  headers: Record<string, string>;
}

describe('EventConsumer on the real broker', () => {
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  const cleanup: (() => Promise<unknown>)[] = [];
  const createdTopics: string[] = [];

  beforeAll(async () => {
    const infra = await getInfrastructure();
    kafka = new Kafka({ clientId: 'testing-event-consumer', brokers: infra.kafka.brokers, logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await producer.connect();
  });

  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
  });

  // Topics go last: a kafkajs client keeps every topic it has written to in its metadata
  // requests, so deleting one under a live producer fails that producer's next send.
  afterAll(async () => {
    await producer?.disconnect();
    if (createdTopics.length > 0) await admin?.deleteTopics({ topics: createdTopics }).catch(() => undefined);
    await admin?.disconnect();
  });

  /** Creates the topic and its dead-letter topic, as KafkaModule provisions them. */
  async function provision(definition: EventDefinition): Promise<void> {
    const topics = [definition.topic, deadLetterTopic(definition.topic)];
    await admin.createTopics({ waitForLeaders: true, topics: topics.map((topic) => ({ topic, numPartitions: 3 })) });
    createdTopics.push(...topics);
    // The create call can return before the broker serves the new partitions (KRaft metadata
    // propagates asynchronously); wait as KafkaModule does, from metadata.
    await eventually(async () => {
      const metadata = await admin.fetchTopicMetadata({ topics }).catch(() => undefined);
      const ready = metadata?.topics.every((t) => t.partitions.length === 3 && t.partitions.every((p) => p.leader >= 0));
      return ready ? true : undefined;
    });
  }

  /** Publishes one event per step, all with one key, so they share a partition in this order. */
  async function publish(definition: EventDefinition, steps: string[]): Promise<Map<string, { id: string; offset: string; partition: number }>> {
    const sent = new Map<string, { id: string; offset: string; partition: number }>();
    for (const step of steps) {
      const record = encodeEvent(definition, { step }, { source: 'carechain://testing', key: KEY });
      const [meta] = await producer.send({ topic: definition.topic, acks: -1, messages: [record] });
      sent.set(step, { id: record.headers['ce_id'], offset: meta.baseOffset!, partition: meta.partition });
    }
    return sent;
  }

  function startConsumer(definition: EventDefinition, handler: EventHandler, groupId: string) {
    const warnings: string[] = [];
    const outcomes: string[] = [];
    const deadLetterProducer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    const consumer = new EventConsumer(kafka, deadLetterProducer, [handler], {
      groupId,
      attempts: ATTEMPTS,
      backoffMs: BACKOFF_MS,
      log: (_level, message) => warnings.push(message),
    });
    consumer.onOutcome = (outcome) => outcomes.push(outcome);
    cleanup.push(() => deadLetterProducer.disconnect());
    cleanup.push(() => consumer.stop());
    return {
      consumer,
      warnings,
      outcomes,
      start: async () => {
        await deadLetterProducer.connect();
        await consumer.start();
      },
    };
  }

  async function readDeadLetters(definition: EventDefinition): Promise<{ consumer: Consumer; received: DeadLetter[] }> {
    const received: DeadLetter[] = [];
    const consumer = kafka.consumer({ groupId: `testing-dlq-reader-${randomBytes(4).toString('hex')}` });
    cleanup.push(() => consumer.disconnect());
    await consumer.connect();
    await consumer.subscribe({ topic: deadLetterTopic(definition.topic), fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        received.push({ key: message.key?.toString(), value: message.value?.toString() ?? '', headers });
      },
    });
    return { consumer, received };
  }

  it('retries a handler that fails twice and processes the event once, without dead-lettering it', async () => {
    const definition = throwawayEvent();
    await provision(definition);
    const handler = new ScriptedHandler([definition], { flaky: { failures: 2 } });
    const sent = await publish(definition, ['flaky', 'after']);
    const groupId = `testing-retry-${randomBytes(4).toString('hex')}`;
    const run = startConsumer(definition, handler, groupId);
    await run.start();

    await eventually(() => (handler.succeeded.includes('after') ? true : undefined));

    const flakyCalls = handler.calls.filter((c) => c.step === 'flaky');
    expect(flakyCalls).toHaveLength(3);
    expect(handler.succeeded).toEqual(['flaky', 'after']);
    // Backoff doubles: at least 100 ms before the second attempt, 200 ms before the third.
    expect(flakyCalls[1].at - flakyCalls[0].at).toBeGreaterThanOrEqual(BACKOFF_MS - 5);
    expect(flakyCalls[2].at - flakyCalls[1].at).toBeGreaterThanOrEqual(2 * BACKOFF_MS - 5);
    expect(run.outcomes).toEqual(['handled', 'handled']);
    expect(run.warnings.filter((w) => w === 'event handler failed; retrying')).toHaveLength(2);
    expect(run.warnings).not.toContain('message dead-lettered');

    // Nothing reached the dead-letter topic: its end offsets are all zero.
    const dlqOffsets = await admin.fetchTopicOffsets(deadLetterTopic(definition.topic));
    expect(dlqOffsets.map((p) => p.high)).toEqual(['0', '0', '0']);

    const last = sent.get('after')!;
    await expectCommitted(groupId, definition.topic, last.partition, BigInt(last.offset) + 1n);
  });

  it('dead-letters an event whose handler always fails, with code and reason, then consumes the next event on the partition and commits past both', async () => {
    const definition = throwawayEvent();
    await provision(definition);
    const handler = new ScriptedHandler([definition], { doomed: { failures: 'always' }, unknown: { failures: 'non-retryable' } });
    const sent = await publish(definition, ['doomed', 'unknown', 'next']);
    const partitions = new Set([...sent.values()].map((s) => s.partition));
    expect(partitions.size).toBe(1);
    const dlq = await readDeadLetters(definition);
    const groupId = `testing-dlq-${randomBytes(4).toString('hex')}`;
    const run = startConsumer(definition, handler, groupId);
    await run.start();

    await eventually(() => (handler.succeeded.includes('next') ? true : undefined));
    await eventually(() => (dlq.received.length >= 2 ? true : undefined));

    // The failing handler ran the configured number of times, the non-retryable one once.
    expect(handler.calls.filter((c) => c.step === 'doomed')).toHaveLength(ATTEMPTS);
    expect(handler.calls.filter((c) => c.step === 'unknown')).toHaveLength(1);
    expect(handler.succeeded).toEqual(['next']);
    expect(run.outcomes).toEqual(['dead-lettered', 'dead-lettered', 'handled']);

    const doomed = sent.get('doomed')!;
    const [first, second] = dlq.received;
    expect(first.key).toBe(KEY);
    expect(JSON.parse(first.value)).toEqual({ step: 'doomed' });
    expect(first.headers).toMatchObject({
      ce_id: doomed.id,
      [DeadLetterHeader.Code]: 'HANDLER_FAILED',
      [DeadLetterHeader.Reason]: `step doomed failed on call ${ATTEMPTS}`,
      [DeadLetterHeader.OriginalTopic]: definition.topic,
      [DeadLetterHeader.OriginalPartition]: String(doomed.partition),
      [DeadLetterHeader.OriginalOffset]: doomed.offset,
      [DeadLetterHeader.ConsumerGroup]: groupId,
      [DeadLetterHeader.Attempts]: String(ATTEMPTS),
    });
    expect(Date.parse(first.headers[DeadLetterHeader.FailedAt])).not.toBeNaN();

    expect(second.headers).toMatchObject({
      ce_id: sent.get('unknown')!.id,
      [DeadLetterHeader.Code]: 'STEP_UNKNOWN',
      [DeadLetterHeader.Reason]: 'step unknown can never be processed',
      [DeadLetterHeader.Attempts]: '1',
    });

    // The consumer is still running and its group committed past every message.
    const next = sent.get('next')!;
    await expectCommitted(groupId, definition.topic, next.partition, BigInt(next.offset) + 1n);
    const [late] = (await publish(definition, ['late'])).values();
    await eventually(() => (handler.succeeded.includes('late') ? true : undefined));
    await expectCommitted(groupId, definition.topic, late.partition, BigInt(late.offset) + 1n);
    expect(handler.calls.filter((c) => c.step === 'doomed')).toHaveLength(ATTEMPTS);
  });

  async function expectCommitted(groupId: string, topic: string, partition: number, offset: bigint): Promise<void> {
    const committed = await eventually(async () => {
      const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const value = entry.partitions.find((p) => p.partition === partition)?.offset;
      return value !== undefined && BigInt(value) >= offset ? value : undefined;
    });
    expect(BigInt(committed)).toBe(offset);
  }
});

/** Polls `probe` until it returns a value (bounded). */
async function eventually<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
