import { Module, type DynamicModule } from '@nestjs/common';
import { PprAnchored, PprReorged } from '@carechain/contracts';
import {
  CHAIN_PROBE,
  ChainModule,
  HealthModule,
  KAFKA_PROBE,
  KafkaModule,
  LoggingModule,
  MONGO_PROBE,
  MongoModule,
  ServiceConfigModule,
} from '@carechain/platform';
import { RelayController } from './api/relay.controller';
import { GetRelayStatusQuery } from './application/get-relay-status.query';
import { CHAIN_VIEW } from './application/ports';
import type { RelayConfig } from './config';
import { EthersChainView } from './infrastructure/ethers-chain-view';

@Module({})
export class AppModule {
  static forRoot(config: RelayConfig): DynamicModule {
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
      providers: [GetRelayStatusQuery, { provide: CHAIN_VIEW, useClass: EthersChainView }],
    };
  }
}
