import { DeadLetterHeader, EventDecodingError, PprRequested, deadLetterTopic, decodeEvent } from '@carechain/contracts';
import type { Admin, Batch, Consumer, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { provisionTopics } from '@carechain/platform';
import type { RelayEngine } from '../application/relay-engine';
import type { LedgerGateway, RelayStore } from '../application/ports';
import type { RelayOperation } from '../domain/relay-operation';

export interface PprRequestedConsumerOptions {
  groupId: string;
  partitions: number;
  replicationFactor: number;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

/**
 * Consumes `ppr.requested` a Kafka batch at a time (the platform's per-message consumer
 * would cost one store round trip per operation): each fetched batch is decoded and
 * validated, defective records and operations naming an unregistered patient or provider go
 * to `ppr.requested.v1.dlq` with the same headers the platform consumer writes, the rest is
 * persisted as one intake document named by the batch's partition and first offset, and only
 * then are the offsets resolved and committed.
 *
 * Redeliveries: committed offsets always fall on intake boundaries, so a consumer that starts
 * from a committed offset either stores a new intake or hits one stored before from the same
 * offset (by this instance before a crash, or by the instance that held the partition). Then it
 * skips that intake's range and records the partition's mark, so a later start from inside the
 * skipped range skips the rest of it too. A defective record in a redelivered range may be
 * dead-lettered a second time (the dead-letter topic is at-least-once).
 */
export class PprRequestedConsumer {
  private consumer: Consumer | undefined;
  private producer: Producer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly engine: RelayEngine,
    private readonly chain: LedgerGateway,
    private readonly store: RelayStore,
    private readonly options: PprRequestedConsumerOptions,
  ) {}

  async start(): Promise<void> {
    await provisionTopics(
      this.admin,
      [PprRequested.topic, deadLetterTopic(PprRequested.topic)],
      { numPartitions: this.options.partitions, replicationFactor: this.options.replicationFactor },
      (message) => this.options.log('warn', message),
    );
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await this.producer.connect();
    // Each fetch batch costs one store write whatever its size, so let the broker gather up to
    // 256 KB (about 400 requests) for at most 200 ms rather than answer with the first few.
    this.consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      minBytes: 256 * 1024,
      maxWaitTimeInMs: 200,
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [PprRequested.topic], fromBeginning: true });
    await this.consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary }) => {
        await this.process(batch);
        resolveOffset(batch.lastOffset());
        await commitOffsetsIfNecessary();
        await heartbeat();
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
  }

  /** Intake timings, logged every 10 s at info: where the consumer's time goes. */
  private stats = { batches: 0, records: 0, decodeMs: 0, indexMs: 0, storeMs: 0, since: Date.now() };

  /** Per partition: the next offset not yet stored, as far as this instance knows. */
  private readonly marks = new Map<number, number>();

  private async process(batch: Batch): Promise<void> {
    const { partition, topic } = batch;
    const group = this.options.groupId;
    let mark = this.marks.get(partition) ?? (await this.store.partitionMark(group, topic, partition)) ?? 0;
    let messages = batch.messages.filter((m) => Number(m.offset) >= mark);
    while (messages.length > 0) {
      const ops = await this.validate(batch, messages);
      const source = { group, topic, partition, firstOffset: Number(messages[0].offset), lastOffset: Number(messages[messages.length - 1].offset) };
      const stored = Date.now();
      const result = await this.engine.intake(ops, source);
      this.stats.storeMs += Date.now() - stored;
      if (result.coveredThrough === undefined) {
        mark = source.lastOffset + 1;
        break;
      }
      mark = result.coveredThrough + 1;
      this.options.log('warn', `${topic}[${partition}] offsets ${source.firstOffset}..${result.coveredThrough} were stored before (a redelivery): skipped`);
      await this.store.savePartitionMark(group, topic, partition, mark);
      messages = messages.filter((m) => Number(m.offset) >= mark);
    }
    this.marks.set(partition, Math.max(mark, this.marks.get(partition) ?? 0));
    const s = this.stats;
    if (Date.now() - s.since >= 10_000) {
      this.options.log('info', `intake: ${s.records} records in ${s.batches} fetch batches; decode ${s.decodeMs} ms, indexes ${s.indexMs} ms, store ${s.storeMs} ms`);
      this.stats = { batches: 0, records: 0, decodeMs: 0, indexMs: 0, storeMs: 0, since: Date.now() };
    }
  }

  /** Decodes and validates records; dead-letters the defective ones; returns the operations. */
  private async validate(batch: Batch, messages: readonly KafkaMessage[]): Promise<RelayOperation[]> {
    const t0 = Date.now();
    const valid: { message: KafkaMessage; data: ReturnType<typeof decodeEvent<typeof PprRequested>> }[] = [];
    for (const message of messages) {
      try {
        valid.push({ message, data: decodeEvent(PprRequested, message) });
      } catch (error) {
        const code = error instanceof EventDecodingError ? error.failure : 'DECODE_FAILED';
        await this.deadLetter(batch, message, code, (error as Error).message);
      }
    }
    if (valid.length === 0) return [];
    const t1 = Date.now();
    const indexes = await this.chain.resolveIndexes(
      valid.map((v) => v.data.data.patient),
      valid.map((v) => v.data.data.provider),
    );
    const t2 = Date.now();
    const ops: RelayOperation[] = [];
    const receivedAt = Date.now();
    for (const { message, data: event } of valid) {
      const d = event.data;
      const patientIndex = indexes.get(`patient:${d.patient}`) ?? 0;
      const providerIndex = indexes.get(`provider:${d.provider}`) ?? 0;
      if (message.key?.toString('utf8').toLowerCase() !== d.patient) {
        await this.deadLetter(batch, message, 'WRONG_KEY', `key must be the patient pseudonym ${d.patient}`);
      } else if (patientIndex === 0) {
        await this.deadLetter(batch, message, 'UNKNOWN_PATIENT', `patient ${d.patient} is not a registered pseudonym`);
      } else if (providerIndex === 0) {
        await this.deadLetter(batch, message, 'UNKNOWN_PROVIDER', `provider ${d.provider} is not a registered party`);
      } else if ((d.kind === 'modify') !== (d.replacedPprId !== undefined)) {
        await this.deadLetter(batch, message, 'INVALID_DATA', 'replacedPprId is required for modify and refused otherwise');
      } else {
        ops.push({
          pprId: d.pprId,
          kind: d.kind,
          patient: d.patient,
          patientIndex,
          provider: d.provider,
          providerIndex,
          pprHash: d.pprHash,
          ...(d.replacedPprId ? { replacedPprId: d.replacedPprId } : {}),
          eventId: event.id,
          receivedAt,
        });
      }
    }
    const s = this.stats;
    s.batches++;
    s.records += messages.length;
    s.decodeMs += t1 - t0;
    s.indexMs += t2 - t1;
    return ops;
  }

  private async deadLetter(batch: Batch, message: KafkaMessage, code: string, reason: string): Promise<void> {
    const headers: Record<string, string | Buffer> = {};
    for (const [name, value] of Object.entries(message.headers ?? {})) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value[value.length - 1] : value;
    }
    Object.assign(headers, {
      [DeadLetterHeader.Code]: code,
      [DeadLetterHeader.Reason]: reason.slice(0, 2000),
      [DeadLetterHeader.OriginalTopic]: batch.topic,
      [DeadLetterHeader.OriginalPartition]: String(batch.partition),
      [DeadLetterHeader.OriginalOffset]: message.offset,
      [DeadLetterHeader.ConsumerGroup]: this.options.groupId,
      [DeadLetterHeader.Attempts]: '0',
      [DeadLetterHeader.FailedAt]: new Date().toISOString(),
    });
    await this.producer!.send({ topic: deadLetterTopic(batch.topic), acks: -1, messages: [{ key: message.key, value: message.value, headers }] });
    this.options.log('warn', `ppr.requested dead-lettered (${code}): ${reason}`);
  }
}
