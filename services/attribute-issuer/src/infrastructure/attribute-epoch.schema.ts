import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** One attribute's epoch; `pendingEvent`/`pendingReason` are the outbox for its rotation event. */
@Schema({ collection: 'attribute_epochs', versionKey: false })
export class AttributeEpochDocument {
  @Prop({ required: true, unique: true }) attribute!: string;
  @Prop({ required: true }) epoch!: number;
  @Prop({ required: true }) rotatedAt!: Date;
  @Prop({ required: true }) pendingEvent!: boolean;
  @Prop({ required: true }) pendingReason!: string;
}

export const AttributeEpochSchema = SchemaFactory.createForClass(AttributeEpochDocument);
