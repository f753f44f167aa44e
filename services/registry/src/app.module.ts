import { Module, type DynamicModule } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { IdentityRegistered } from '@carechain/contracts';
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
import { IdentitiesController } from './api/identities.controller';
import { GetIdentityQuery } from './application/get-identity.query';
import { IDENTITY_EVENTS, IDENTITY_REPOSITORY, SIGNATURE_RECOVERY } from './application/ports';
import { RegisterIdentityUseCase } from './application/register-identity.use-case';
import { summaryIndexConfig, type RegistryConfig } from './config';
import { EthersSignatureRecovery } from './infrastructure/ethers-signature-recovery';
import { IdentityOutboxSweeper } from './infrastructure/identity-outbox.sweeper';
import { IdentityDocument, IdentitySchema } from './infrastructure/identity.schema';
import { KafkaIdentityEvents } from './infrastructure/kafka-identity-events';
import { MongoIdentityRepository } from './infrastructure/mongo-identity.repository';
import { PprAnchorEventsHandler } from './infrastructure/ppr-anchor-events.handler';
import { SummaryModule } from './summary.module';

@Module({})
export class AppModule {
  static forRoot(config: RegistryConfig): DynamicModule {
    // The Summary index runs only when the ledger is configured (see config.ts).
    const summary = summaryIndexConfig(config);
    const summaryModule = summary ? SummaryModule.forRoot(summary) : undefined;
    return {
      module: AppModule,
      imports: [
        ServiceConfigModule.forRoot(config),
        LoggingModule.forRoot({ service: 'registry', level: config.LOG_LEVEL }),
        MongoModule.forRoot(config),
        MongooseModule.forFeature([{ name: IdentityDocument.name, schema: IdentitySchema }]),
        ...(summary && summaryModule ? [ChainModule.forRoot(summary.chain), summaryModule] : []),
        KafkaModule.forRoot({
          config,
          service: 'registry',
          produces: [IdentityRegistered],
          ...(summaryModule ? { handlers: [PprAnchorEventsHandler], imports: [summaryModule] } : {}),
        }),
        HealthModule.forRoot(summary ? [KAFKA_PROBE, MONGO_PROBE, CHAIN_PROBE] : [KAFKA_PROBE, MONGO_PROBE]),
      ],
      controllers: [IdentitiesController],
      providers: [
        RegisterIdentityUseCase,
        GetIdentityQuery,
        IdentityOutboxSweeper,
        { provide: IDENTITY_REPOSITORY, useClass: MongoIdentityRepository },
        { provide: SIGNATURE_RECOVERY, useClass: EthersSignatureRecovery },
        { provide: IDENTITY_EVENTS, useClass: KafkaIdentityEvents },
      ],
    };
  }
}
