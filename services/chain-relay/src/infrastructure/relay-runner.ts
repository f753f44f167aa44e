import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { KAFKA_ADMIN, KAFKA_CLIENT, PeriodicTask, SERVICE_CONFIG } from '@carechain/platform';
import type { Admin, Kafka } from 'kafkajs';
import { RelayEngine } from '../application/relay-engine';
import { LEDGER_GATEWAY, RELAY_STORE, type LedgerGateway, type RelayStore } from '../application/ports';
import type { RelayConfig } from '../config';
import { PprRequestedConsumer } from './ppr-requested.consumer';

/**
 * Starts the relay once the app is up: recover from the store and the chain, then consume
 * `ppr.requested` and tick the engine. Shutdown stops consuming first, then lets the tick in
 * progress finish.
 */
@Injectable()
export class RelayRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('RelayRunner');
  private readonly task: PeriodicTask;
  private readonly consumer: PprRequestedConsumer;

  constructor(
    private readonly engine: RelayEngine,
    @Inject(LEDGER_GATEWAY) chain: LedgerGateway,
    @Inject(RELAY_STORE) store: RelayStore,
    @Inject(KAFKA_CLIENT) kafka: Kafka,
    @Inject(KAFKA_ADMIN) admin: Admin,
    @Inject(SERVICE_CONFIG) config: RelayConfig,
  ) {
    this.task = new PeriodicTask(() => this.engine.tick(), config.RELAY_TICK_MS, (error) => this.logger.warn(`relay tick failed: ${error.message}`));
    this.consumer = new PprRequestedConsumer(kafka, admin, engine, chain, store, {
      groupId: config.RELAY_GROUP_ID,
      partitions: config.KAFKA_TOPIC_PARTITIONS,
      replicationFactor: config.KAFKA_REPLICATION_FACTOR,
      log: (level, message) => (level === 'error' ? this.logger.error(message) : level === 'warn' ? this.logger.warn(message) : this.logger.log(message)),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.engine.recover();
    this.task.start();
    await this.consumer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
    await this.task.stop();
    await this.engine.drained();
  }
}
