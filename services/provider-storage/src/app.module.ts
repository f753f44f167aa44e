import { Module, type DynamicModule } from '@nestjs/common';
import { PprRequested, RecordCommitted, RecordFailed } from '@carechain/contracts';
import {
  HealthModule,
  KAFKA_PROBE,
  KafkaModule,
  LoggingModule,
  MONGO_PROBE,
  MongoModule,
  ServiceConfigModule,
} from '@carechain/platform';
import { RecordsController } from './api/records.controller';
import { GetRecordQuery } from './application/get-record.query';
import { PPR_REQUESTS } from './application/ports';
import { UploadRecordUseCase } from './application/upload-record.use-case';
import { providerGroupId, type StorageConfig } from './config';
import { KafkaPprRequests } from './infrastructure/kafka-ppr-requests';
import { PprAnchorEventsHandler } from './infrastructure/ppr-anchor-events.handler';
import { PprOutboxSweeper } from './infrastructure/ppr-outbox.sweeper';
import { PprRefusalsConsumer } from './infrastructure/ppr-refusals.consumer';
import { RecordsModule } from './records.module';

@Module({})
export class AppModule {
  static forRoot(config: StorageConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceConfigModule.forRoot(config),
        LoggingModule.forRoot({ service: 'provider-storage', level: config.LOG_LEVEL }),
        MongoModule.forRoot(config),
        RecordsModule,
        KafkaModule.forRoot({
          config,
          service: 'provider-storage',
          produces: [PprRequested, RecordCommitted, RecordFailed],
          handlers: [PprAnchorEventsHandler],
          imports: [RecordsModule],
          // Every provider reads every announcement (they do not name the provider), so each has
          // its own group; a shared one would split the partitions among providers.
          groupId: providerGroupId(config.PROVIDER_ADDRESS, 'anchors'),
        }),
        HealthModule.forRoot([KAFKA_PROBE, MONGO_PROBE]),
      ],
      controllers: [RecordsController],
      providers: [
        UploadRecordUseCase,
        GetRecordQuery,
        PprOutboxSweeper,
        PprRefusalsConsumer,
        { provide: PPR_REQUESTS, useClass: KafkaPprRequests },
      ],
    };
  }
}
