import { DeadLetterHeader, EventDecodingError, PprRequested, deadLetterTopic, decodeEvent } from '@carechain/contracts';
import type { Admin, Batch, Consumer, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { RelayEngine } from '../application/relay-engine';
import type { LedgerGateway } from '../application/ports';
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
 * persisted with one insertMany, and only then are the offsets resolved and committed.
 */
export class PprRequestedConsumer {
  private consumer: Consumer | undefined;
  private producer: Producer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly engine: RelayEngine,
    private readonly chain: LedgerGateway,
    private readonly options: PprRequestedConsumerOptions,
  ) {}

  async start(): Promise<void> {
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: [PprRequested.topic, deadLetterTopic(PprRequested.topic)].map((topic) => ({
        topic,
        numPartitions: this.options.partitions,
        replicationFactor: this.options.replicationFactor,
      })),
    });
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await this.producer.connect();
    this.consumer = this.kafka.consumer({ groupId: this.options.groupId, allowAutoTopicCreation: false, sessionTimeout: 30_000, heartbeatInterval: 3_000 });
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

  private async process(batch: Batch): Promise<void> {
    const valid: { message: KafkaMessage; data: ReturnType<typeof decodeEvent<typeof PprRequested>> }[] = [];
    for (const message of batch.messages) {
      try {
        valid.push({ message, data: decodeEvent(PprRequested, message) });
      } catch (error) {
        const code = error instanceof EventDecodingError ? error.failure : 'DECODE_FAILED';
        await this.deadLetter(batch, message, code, (error as Error).message);
      }
    }
    if (valid.length === 0) return;
    const indexes = await this.chain.resolveIndexes(
      valid.map((v) => v.data.data.patient),
      valid.map((v) => v.data.data.provider),
    );
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
    await this.engine.intake(ops);
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
