import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** One sealed record version; `pprRequested` is the outbox flag for its ppr.requested event. */
@Schema({ collection: 'records', versionKey: false })
export class StoredRecordDocument {
  /** `<recordId>#<version>`: unique, so a retried upload cannot create a second copy. */
  @Prop({ required: true, unique: true }) key!: string;
  @Prop({ required: true }) recordId!: string;
  @Prop({ required: true }) patient!: string;
  @Prop({ required: true }) version!: number;
  @Prop({ required: true }) sealed!: Buffer;
  @Prop({ required: true }) pprId!: string;
  @Prop({ required: true }) pprHash!: string;
  @Prop({ required: true }) state!: string;
  @Prop({ required: true }) receivedAt!: Date;
  @Prop({ required: true }) pprRequested!: boolean;
}

export const StoredRecordSchema = SchemaFactory.createForClass(StoredRecordDocument);
