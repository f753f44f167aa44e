import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';

/** An audit entry; `eventId` is unique so a redelivered event is recorded once. */
@Schema({ collection: 'audit_entries', versionKey: false })
export class AuditEntryDocument {
  @Prop({ required: true, unique: true }) eventId!: string;
  @Prop({ required: true }) topic!: string;
  @Prop({ required: true }) type!: string;
  @Prop({ required: true }) source!: string;
  @Prop({ required: true, index: true }) subject!: string;
  @Prop({ required: true }) time!: Date;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) data!: Record<string, unknown>;
  @Prop({ required: true }) partition!: number;
  @Prop({ required: true }) offset!: string;
  @Prop({ required: true }) recordedAt!: Date;
}

export const AuditEntrySchema = SchemaFactory.createForClass(AuditEntryDocument);
