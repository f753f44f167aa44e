import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ApplyAnchorNoticeUseCase } from './application/apply-anchor-notice.use-case';
import { ApplyPprRefusalUseCase } from './application/apply-ppr-refusal.use-case';
import { ANCHOR_NOTICE_METRICS, RECORD_EVENTS, RECORD_STORE } from './application/ports';
import { KafkaRecordEvents } from './infrastructure/kafka-record.events';
import { MongoRecordStore } from './infrastructure/mongo-record.store';
import { OtelAnchorNoticeMetrics } from './infrastructure/otel-anchor-notice.metrics';
import { StoredRecordDocument, StoredRecordSchema } from './infrastructure/stored-record.schema';

/**
 * The record store and the anchor-notice use case, in a module of their own because both the
 * HTTP side and the Kafka handler (instantiated inside KafkaModule) need the same instances.
 * EventPublisher comes from the global KafkaModule.
 */
@Module({
  imports: [MongooseModule.forFeature([{ name: StoredRecordDocument.name, schema: StoredRecordSchema }])],
  providers: [
    ApplyAnchorNoticeUseCase,
    ApplyPprRefusalUseCase,
    { provide: RECORD_STORE, useClass: MongoRecordStore },
    { provide: RECORD_EVENTS, useClass: KafkaRecordEvents },
    { provide: ANCHOR_NOTICE_METRICS, useClass: OtelAnchorNoticeMetrics },
  ],
  exports: [ApplyAnchorNoticeUseCase, ApplyPprRefusalUseCase, RECORD_STORE],
})
export class RecordsModule {}
