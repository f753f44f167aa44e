import { Module, type DynamicModule } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
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
import { PPR_REQUESTS, RECORD_STORE } from './application/ports';
import { UploadRecordUseCase } from './application/upload-record.use-case';
import type { StorageConfig } from './config';
import { KafkaPprRequests } from './infrastructure/kafka-ppr-requests';
import { MongoRecordStore } from './infrastructure/mongo-record.store';
import { PprOutboxSweeper } from './infrastructure/ppr-outbox.sweeper';
import { StoredRecordDocument, StoredRecordSchema } from './infrastructure/stored-record.schema';

@Module({})
export class AppModule {
  static forRoot(config: StorageConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceConfigModule.forRoot(config),
        LoggingModule.forRoot({ service: 'provider-storage', level: config.LOG_LEVEL }),
        MongoModule.forRoot(config),
        MongooseModule.forFeature([{ name: StoredRecordDocument.name, schema: StoredRecordSchema }]),
        KafkaModule.forRoot({
          config,
          service: 'provider-storage',
          produces: [PprRequested, RecordCommitted, RecordFailed],
        }),
        HealthModule.forRoot([KAFKA_PROBE, MONGO_PROBE]),
      ],
      controllers: [RecordsController],
      providers: [
        UploadRecordUseCase,
        GetRecordQuery,
        PprOutboxSweeper,
        { provide: RECORD_STORE, useClass: MongoRecordStore },
        { provide: PPR_REQUESTS, useClass: KafkaPprRequests },
      ],
    };
  }
}
