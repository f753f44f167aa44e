import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { PprAnchored, PprReorged } from '@carechain/contracts';
import {
  CHAIN_PROBE,
  CHAIN_PROVIDER,
  ChainModule,
  EventPublisher,
  HealthModule,
  KAFKA_PROBE,
  KafkaModule,
  LoggingModule,
  MONGO_PROBE,
  MongoModule,
  ServiceConfigModule,
} from '@carechain/platform';
import type { JsonRpcProvider } from 'ethers';
import { RelayController } from './api/relay.controller';
import { GetRelayStatusQuery } from './application/get-relay-status.query';
import {
  ANCHOR_PUBLISHER,
  CHAIN_VIEW,
  LEDGER_GATEWAY,
  RELAY_METRICS,
  RELAY_STORE,
  type AnchorPublisher,
  type LedgerGateway,
  type RelayMetrics,
  type RelayStore,
} from './application/ports';
import { RelayEngine } from './application/relay-engine';
import type { RelayConfig } from './config';
import { EthersChainView } from './infrastructure/ethers-chain-view';
import { EthersLedgerGateway } from './infrastructure/ethers-ledger.gateway';
import { KafkaAnchorPublisher } from './infrastructure/kafka-anchor.publisher';
import { MongoRelayStore } from './infrastructure/mongo-relay.store';
import { OtelRelayMetrics } from './infrastructure/otel-relay.metrics';
import { RelayRunner } from './infrastructure/relay-runner';

@Module({})
export class AppModule {
  static forRoot(config: RelayConfig): DynamicModule {
    const logger = new Logger('RelayEngine');
    return {
      module: AppModule,
      imports: [
        ServiceConfigModule.forRoot(config),
        LoggingModule.forRoot({ service: 'chain-relay', level: config.LOG_LEVEL }),
        MongoModule.forRoot(config),
        ChainModule.forRoot(config),
        KafkaModule.forRoot({ config, service: 'chain-relay', produces: [PprAnchored, PprReorged] }),
        HealthModule.forRoot([KAFKA_PROBE, MONGO_PROBE, CHAIN_PROBE]),
      ],
      controllers: [RelayController],
      providers: [
        GetRelayStatusQuery,
        { provide: CHAIN_VIEW, useClass: EthersChainView },
        { provide: RELAY_STORE, useClass: MongoRelayStore },
        {
          provide: LEDGER_GATEWAY,
          inject: [CHAIN_PROVIDER],
          useFactory: (provider: JsonRpcProvider) =>
            new EthersLedgerGateway(provider, config.RELAY_PRIVATE_KEY, config.CHAIN_ID, { ledger: config.PPR_LEDGER_ADDRESS, registrar: config.REGISTRAR_ADDRESS }),
        },
        {
          provide: ANCHOR_PUBLISHER,
          inject: [EventPublisher],
          // The chain id the gateway signs with (EIP-155: the node refuses a transaction for
          // another chain) and the ledger it calls, so the origin named is the one anchored to.
          useFactory: (events: EventPublisher) => new KafkaAnchorPublisher(events, { chainId: config.CHAIN_ID, ledger: config.PPR_LEDGER_ADDRESS }),
        },
        { provide: RELAY_METRICS, useFactory: () => new OtelRelayMetrics() },
        {
          provide: RelayEngine,
          inject: [RELAY_STORE, LEDGER_GATEWAY, ANCHOR_PUBLISHER, RELAY_METRICS],
          useFactory: (store: RelayStore, chain: LedgerGateway, publisher: AnchorPublisher, metrics: RelayMetrics) =>
            new RelayEngine(
              store,
              chain,
              publisher,
              metrics,
              {
                confirmations: config.RELAY_CONFIRMATIONS,
                maxBatchBytes: config.RELAY_MAX_BATCH_BYTES,
                lingerMs: config.RELAY_LINGER_MS,
                stuckAfterBlocks: config.RELAY_STUCK_AFTER_BLOCKS,
                reorgWatchBlocks: config.RELAY_REORG_WATCH_BLOCKS,
                dedupeWindow: config.RELAY_DEDUPE_WINDOW,
              },
              (level, message) => (level === 'error' ? logger.error(message) : level === 'warn' ? logger.warn(message) : logger.log(message)),
            ),
        },
        RelayRunner,
      ],
    };
  }
}
