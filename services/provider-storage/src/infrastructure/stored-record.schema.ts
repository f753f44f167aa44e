import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { RecordAnchor, RecordFailure } from '../domain/stored-record';

/** One sealed record version; `pprRequested` is the outbox flag for its ppr.requested event. */
@Schema({ collection: 'records', versionKey: false })
export class StoredRecordDocument {
  /** `<recordId>#<version>`: unique, so a retried upload cannot create a second copy. */
  @Prop({ required: true, unique: true }) key!: string;
  @Prop({ required: true }) recordId!: string;
  @Prop({ required: true }) patient!: string;
  @Prop({ required: true }) version!: number;
  @Prop({ required: true }) sealed!: Buffer;
  /** Looked up for every relay announcement (each provider reads them all). */
  @Prop({ required: true, index: true }) pprId!: string;
  @Prop({ required: true }) pprHash!: string;
  @Prop({ required: true }) state!: string;
  @Prop({ required: true }) receivedAt!: Date;
  @Prop({ required: true }) pprRequested!: boolean;
  /** Where the PPR was anchored; set while committed. */
  @Prop({ type: MongooseSchema.Types.Mixed }) anchor?: RecordAnchor;
  /** Why the relay refused its PPR request; set while failed. */
  @Prop({ type: MongooseSchema.Types.Mixed }) failure?: RecordFailure;
  /** Blocks a reorg removed while this version was anchored in them (lower-case hashes). */
  @Prop({ type: [String], default: undefined }) revokedBlockHashes?: string[];
}

export const StoredRecordSchema = SchemaFactory.createForClass(StoredRecordDocument);
