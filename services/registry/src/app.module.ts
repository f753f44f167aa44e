import { Module, type DynamicModule } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { IdentityRegistered } from '@carechain/contracts';
import type { JsonRpcProvider } from 'ethers';
import {
  CHAIN_PROBE,
  CHAIN_PROVIDER,
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
import { EnrolPseudonymsUseCase } from './application/enrol-pseudonyms.use-case';
import {
  ENROLMENT_METRICS,
  ENROLMENT_SETTINGS,
  IDENTITY_EVENTS,
  IDENTITY_REPOSITORY,
  REGISTRAR_ENROLLER,
  SIGNATURE_RECOVERY,
  type EnrolmentSettings,
} from './application/ports';
import { RegisterIdentityUseCase } from './application/register-identity.use-case';
import { enrolmentConfig, summaryIndexConfig, type EnrolmentConfig, type RegistryConfig } from './config';
import { EthersRegistrarEnroller } from './infrastructure/ethers-registrar-enroller';
import { EthersSignatureRecovery } from './infrastructure/ethers-signature-recovery';
import { IdentityOutboxSweeper } from './infrastructure/identity-outbox.sweeper';
import { IdentityDocument, IdentitySchema } from './infrastructure/identity.schema';
import { KafkaIdentityEvents } from './infrastructure/kafka-identity-events';
import { MongoIdentityRepository } from './infrastructure/mongo-identity.repository';
import { OtelEnrolmentMetrics } from './infrastructure/otel-enrolment.metrics';
import { ENROLMENT_POLL_INTERVAL_MS, PseudonymEnrolmentPoller } from './infrastructure/pseudonym-enrolment.poller';
import { PprAnchorEventsHandler } from './infrastructure/ppr-anchor-events.handler';
import { SummaryModule } from './summary.module';

@Module({})
export class AppModule {
  static forRoot(config: RegistryConfig): DynamicModule {
    // The Summary index runs only when the ledger is configured (see config.ts).
    const summary = summaryIndexConfig(config);
    const summaryModule = summary ? SummaryModule.forRoot(summary) : undefined;
    // On-chain enrolment of patients and users runs only when its account is configured.
    const enrolment = enrolmentConfig(config);
    const chain = summary?.chain ?? enrolment?.chain;
    return {
      module: AppModule,
      imports: [
        ServiceConfigModule.forRoot(config),
        LoggingModule.forRoot({ service: 'registry', level: config.LOG_LEVEL }),
        MongoModule.forRoot(config),
        MongooseModule.forFeature([{ name: IdentityDocument.name, schema: IdentitySchema }]),
        ...(chain ? [ChainModule.forRoot(chain)] : []),
        ...(summaryModule ? [summaryModule] : []),
        KafkaModule.forRoot({
          config,
          service: 'registry',
          produces: [IdentityRegistered],
          ...(summaryModule ? { handlers: [PprAnchorEventsHandler], imports: [summaryModule] } : {}),
        }),
        HealthModule.forRoot(chain ? [KAFKA_PROBE, MONGO_PROBE, CHAIN_PROBE] : [KAFKA_PROBE, MONGO_PROBE]),
      ],
      controllers: [IdentitiesController],
      providers: [
        RegisterIdentityUseCase,
        GetIdentityQuery,
        IdentityOutboxSweeper,
        { provide: IDENTITY_REPOSITORY, useClass: MongoIdentityRepository },
        { provide: SIGNATURE_RECOVERY, useClass: EthersSignatureRecovery },
        { provide: IDENTITY_EVENTS, useClass: KafkaIdentityEvents },
        ...(enrolment ? enrolmentProviders(enrolment) : []),
      ],
    };
  }
}

/** The enrolment step and its poller, over the global ChainModule's provider. */
function enrolmentProviders(enrolment: EnrolmentConfig) {
  return [
    {
      provide: REGISTRAR_ENROLLER,
      inject: [CHAIN_PROVIDER],
      useFactory: (provider: JsonRpcProvider) => new EthersRegistrarEnroller(provider, enrolment.enrollerPrivateKey, enrolment.registrarAddress),
    },
    { provide: ENROLMENT_METRICS, useFactory: () => new OtelEnrolmentMetrics() },
    {
      provide: ENROLMENT_SETTINGS,
      useValue: {
        confirmations: enrolment.confirmations,
        maxPerTx: enrolment.maxPerTx,
        resendAfterBlocks: enrolment.resendAfterBlocks,
        batch: 4 * enrolment.maxPerTx,
      } satisfies EnrolmentSettings,
    },
    { provide: ENROLMENT_POLL_INTERVAL_MS, useValue: enrolment.pollIntervalMs },
    EnrolPseudonymsUseCase,
    PseudonymEnrolmentPoller,
  ];
}
