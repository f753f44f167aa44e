import { Module, type DynamicModule } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AttributeEpochRotated, AttributeIssued } from '@carechain/contracts';
import {
  HealthModule,
  KAFKA_PROBE,
  KafkaModule,
  LoggingModule,
  MONGO_PROBE,
  MongoModule,
  ServiceConfigModule,
} from '@carechain/platform';
import { AttributesController } from './api/attributes.controller';
import { GetEpochQuery } from './application/get-epoch.query';
import { EPOCH_EVENTS, EPOCH_REPOSITORY } from './application/ports';
import { RotateEpochUseCase } from './application/rotate-epoch.use-case';
import type { IssuerConfig } from './config';
import { AttributeEpochDocument, AttributeEpochSchema } from './infrastructure/attribute-epoch.schema';
import { EpochOutboxSweeper } from './infrastructure/epoch-outbox.sweeper';
import { KafkaEpochEvents } from './infrastructure/kafka-epoch-events';
import { MongoEpochRepository } from './infrastructure/mongo-epoch.repository';

@Module({})
export class AppModule {
  static forRoot(config: IssuerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceConfigModule.forRoot(config),
        LoggingModule.forRoot({ service: `attribute-issuer-${config.ISSUER_ID}`, level: config.LOG_LEVEL }),
        MongoModule.forRoot(config),
        MongooseModule.forFeature([{ name: AttributeEpochDocument.name, schema: AttributeEpochSchema }]),
        KafkaModule.forRoot({
          config,
          service: `attribute-issuer-${config.ISSUER_ID}`,
          produces: [AttributeEpochRotated, AttributeIssued],
        }),
        HealthModule.forRoot([KAFKA_PROBE, MONGO_PROBE]),
      ],
      controllers: [AttributesController],
      providers: [
        RotateEpochUseCase,
        GetEpochQuery,
        EpochOutboxSweeper,
        { provide: EPOCH_REPOSITORY, useClass: MongoEpochRepository },
        { provide: EPOCH_EVENTS, useClass: KafkaEpochEvents },
      ],
    };
  }
}
