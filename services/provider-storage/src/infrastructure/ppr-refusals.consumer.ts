import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DeadLetterHeader, deadLetterTopic, decodeEvent, PprRequested } from '@carechain/contracts';
import { KAFKA_ADMIN, KAFKA_CLIENT, provisionTopics, SERVICE_CONFIG } from '@carechain/platform';
import type { Admin, Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { ApplyPprRefusalUseCase } from '../application/apply-ppr-refusal.use-case';
import { providerGroupId, type StorageConfig } from '../config';

const REFUSALS_TOPIC = deadLetterTopic(PprRequested.topic);

/**
 * Reads the relay's dead-lettered `ppr.requested` (`ppr.requested.v1.dlq`) for this provider's
 * own requests, so a refused version fails visibly instead of staying pending. A dead-letter
 * record is the original message plus `x-dlq-*` headers, so it is read raw here: the platform
 * consumer would validate it as an event and dead-letter the dead letters. A record that does
 * not decode as a `ppr.requested` cannot be one of ours (this service only sends valid ones)
 * and is skipped, as are other providers' requests. Own consumer group per provider, like the
 * anchor notices.
 */
@Injectable()
export class PprRefusalsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(PprRefusalsConsumer.name);
  private consumer?: Consumer;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    @Inject(KAFKA_ADMIN) private readonly admin: Admin,
    @Inject(SERVICE_CONFIG) private readonly config: StorageConfig,
    private readonly refusals: ApplyPprRefusalUseCase,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // The relay provisions the topic too; whichever starts first creates it.
    await provisionTopics(
      this.admin,
      [REFUSALS_TOPIC],
      { numPartitions: this.config.KAFKA_TOPIC_PARTITIONS, replicationFactor: this.config.KAFKA_REPLICATION_FACTOR },
      (message) => this.logger.warn(message),
    );
    this.consumer = this.kafka.consumer({ groupId: providerGroupId(this.config.PROVIDER_ADDRESS, 'refusals'), allowAutoTopicCreation: false });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: REFUSALS_TOPIC, fromBeginning: true });
    // eachMessage commits an offset only after the handler resolved; a throw retries the message.
    await this.consumer.run({ eachMessage: ({ message }) => this.handle(message) });
  }

  /** Before the producer closes: the message in hand finishes, and its record.failed is sent. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.disconnect();
  }

  private async handle(message: KafkaMessage): Promise<void> {
    let request;
    try {
      request = decodeEvent(PprRequested, message).data;
    } catch {
      return;
    }
    if (request.provider !== this.config.PROVIDER_ADDRESS.toLowerCase()) return;
    const header = (name: string) => message.headers?.[name]?.toString() ?? '';
    const failedAt = new Date(header(DeadLetterHeader.FailedAt));
    await this.refusals.execute({
      pprId: request.pprId,
      code: header(DeadLetterHeader.Code) || 'REFUSED',
      reason: header(DeadLetterHeader.Reason),
      failedAt: Number.isNaN(failedAt.getTime()) ? new Date(Number(message.timestamp)) : failedAt,
    });
  }
}
