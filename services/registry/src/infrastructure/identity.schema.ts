import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** One registered address; `eventId`/`eventPublished` form the outbox for identity.registered. */
@Schema({ collection: 'identities', versionKey: false })
export class IdentityDocument {
  @Prop({ required: true, unique: true })
  address!: string;

  @Prop({ required: true })
  role!: string;

  @Prop({ required: true })
  registeredAt!: Date;

  @Prop({ required: true })
  eventId!: string;

  @Prop({ required: true })
  eventPublished!: boolean;
}

export const IdentitySchema = SchemaFactory.createForClass(IdentityDocument);
