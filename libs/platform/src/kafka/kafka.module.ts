import {
  Inject,
  Injectable,
  Logger,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type ModuleMetadata,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
  type Type,
} from '@nestjs/common';
import { deadLetterTopic, type EventDefinition } from '@carechain/contracts';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import type { KafkaConfig } from '../config/config-schemas';
import { EventConsumer } from './event-consumer';
import type { EventHandler } from './event-handler';
import { EventPublisher } from './event-publisher';
import { KAFKA_PROBE, kafkaProbe } from './kafka-probe';
import { provisionTopics } from './topic-provisioning';

export const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');
export const KAFKA_ADMIN = Symbol('KAFKA_ADMIN');
export const KAFKA_PRODUCER = Symbol('KAFKA_PRODUCER');
export const EVENT_CONSUMER = Symbol('EVENT_CONSUMER');
const KAFKA_OPTIONS = Symbol('KAFKA_OPTIONS');

export interface KafkaModuleOptions {
  config: KafkaConfig;
  /** Service name: the client id, the CloudEvents source and the default consumer group. */
  service: string;
  /** Events this service publishes; their topics are provisioned at boot. */
  produces: readonly EventDefinition[];
  /** Handler classes; each is instantiated by Nest, with dependencies from `imports`. */
  handlers?: Type<EventHandler>[];
  imports?: ModuleMetadata['imports'];
  groupId?: string;
}

/** Routes kafkajs' own logs into the service's pino logger at the right level. */
function kafkaLogCreator() {
  const logger = new Logger('kafkajs');
  return () =>
    ({ level, log }: { level: logLevel; log: { message: string } & Record<string, unknown> }) => {
      const { message, ...fields } = log;
      const line = `${message} ${JSON.stringify(fields)}`;
      if (level === logLevel.ERROR) logger.error(line);
      else if (level === logLevel.WARN) logger.warn(line);
      else logger.debug(line);
    };
}

@Injectable()
class KafkaLifecycle implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Kafka');

  constructor(
    @Inject(KAFKA_OPTIONS) private readonly options: KafkaModuleOptions,
    @Inject(KAFKA_ADMIN) private readonly admin: Admin,
    @Inject(KAFKA_PRODUCER) private readonly producer: Producer,
    @Inject(EVENT_CONSUMER) private readonly consumer: EventConsumer,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.admin.connect();
    await this.producer.connect();
    await this.provisionTopics();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start();
  }

  /** Drain first: stop consuming (the in-flight message finishes and its offset commits). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
  }

  /** Then flush: every send was awaited, so disconnecting the producer loses nothing. */
  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
    await this.admin.disconnect();
  }

  /** Creates the topics this service writes and reads, plus a dead-letter topic per consumed one. */
  private async provisionTopics(): Promise<void> {
    const consumed = this.consumer.topics();
    const names = [...new Set([...this.options.produces.map((e) => e.topic), ...consumed, ...consumed.map(deadLetterTopic)])];
    if (names.length === 0) return;
    await provisionTopics(
      this.admin,
      names,
      { numPartitions: this.options.config.KAFKA_TOPIC_PARTITIONS, replicationFactor: this.options.config.KAFKA_REPLICATION_FACTOR },
      (message) => this.logger.warn(message),
    );
    this.logger.log(`topics ready: ${names.join(', ')}`);
  }
}

/**
 * Kafka for a service: an idempotent producer behind EventPublisher, a consumer group over
 * the given handlers with retry and dead-lettering, and topic provisioning at boot.
 */
@Module({})
export class KafkaModule {
  static forRoot(options: KafkaModuleOptions): DynamicModule {
    const handlers = options.handlers ?? [];
    return {
      module: KafkaModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        { provide: KAFKA_OPTIONS, useValue: options },
        {
          provide: KAFKA_CLIENT,
          useFactory: () =>
            new Kafka({
              clientId: options.config.KAFKA_CLIENT_ID ?? options.service,
              brokers: options.config.KAFKA_BROKERS,
              logLevel: logLevel.WARN,
              logCreator: kafkaLogCreator,
              retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5_000 },
            }),
        },
        { provide: KAFKA_ADMIN, useFactory: (kafka: Kafka) => kafka.admin(), inject: [KAFKA_CLIENT] },
        {
          provide: KAFKA_PRODUCER,
          useFactory: (kafka: Kafka) =>
            kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false }),
          inject: [KAFKA_CLIENT],
        },
        {
          provide: EventPublisher,
          useFactory: (producer: Producer) => new EventPublisher(producer, `carechain://${options.service}`),
          inject: [KAFKA_PRODUCER],
        },
        ...handlers,
        {
          provide: EVENT_CONSUMER,
          useFactory: (kafka: Kafka, producer: Producer, ...instances: EventHandler[]) => {
            const logger = new Logger('EventConsumer');
            return new EventConsumer(kafka, producer, instances, {
              groupId: options.groupId ?? options.service,
              attempts: options.config.KAFKA_HANDLER_ATTEMPTS,
              backoffMs: options.config.KAFKA_RETRY_BACKOFF_MS,
              log: (level, message, fields) => {
                const line = fields ? `${message} ${JSON.stringify(fields)}` : message;
                if (level === 'error') logger.error(line);
                else if (level === 'warn') logger.warn(line);
                else logger.log(line);
              },
            });
          },
          inject: [KAFKA_CLIENT, KAFKA_PRODUCER, ...handlers],
        },
        { provide: KAFKA_PROBE, useFactory: kafkaProbe, inject: [KAFKA_ADMIN] },
        KafkaLifecycle,
      ],
      exports: [EventPublisher, KAFKA_CLIENT, KAFKA_ADMIN, EVENT_CONSUMER, KAFKA_PROBE],
    };
  }
}
