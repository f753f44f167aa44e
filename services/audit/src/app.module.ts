import { Module, type DynamicModule } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import {
  HealthModule,
  KAFKA_PROBE,
  KafkaModule,
  LoggingModule,
  MONGO_PROBE,
  MongoModule,
  ServiceConfigModule,
} from '@carechain/platform';
import { AuditController } from './api/audit.controller';
import { AUDIT_LOG } from './application/ports';
import { QueryTrailQuery } from './application/query-trail.query';
import { RecordEventUseCase } from './application/record-event.use-case';
import type { AuditConfig } from './config';
import { AllEventsHandler } from './infrastructure/all-events.handler';
import { AuditEntryDocument, AuditEntrySchema } from './infrastructure/audit-entry.schema';
import { MongoAuditLog } from './infrastructure/mongo-audit-log';

const auditStore = MongooseModule.forFeature([{ name: AuditEntryDocument.name, schema: AuditEntrySchema }]);

/** The use cases the Kafka handler needs, in a module the Kafka module can import. */
@Module({
  imports: [auditStore],
  providers: [RecordEventUseCase, QueryTrailQuery, { provide: AUDIT_LOG, useClass: MongoAuditLog }],
  exports: [RecordEventUseCase, QueryTrailQuery],
})
class AuditLogModule {}

@Module({})
export class AppModule {
  static forRoot(config: AuditConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceConfigModule.forRoot(config),
        LoggingModule.forRoot({ service: 'audit', level: config.LOG_LEVEL }),
        MongoModule.forRoot(config),
        AuditLogModule,
        KafkaModule.forRoot({
          config,
          service: 'audit',
          produces: [],
          handlers: [AllEventsHandler],
          imports: [AuditLogModule],
        }),
        HealthModule.forRoot([KAFKA_PROBE, MONGO_PROBE]),
      ],
      controllers: [AuditController],
    };
  }
}
