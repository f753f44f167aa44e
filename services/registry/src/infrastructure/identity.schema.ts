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

  /** Patients and users: 'pending' until enrolled in the on-chain Registrar (absent: a party, or a document from before). */
  @Prop({ index: true })
  chainState?: string;

  @Prop()
  chainIndex?: number;

  /** The block the last `registerPseudonyms` naming this address was sent at. */
  @Prop()
  chainSentAtBlock?: number;
}

export const IdentitySchema = SchemaFactory.createForClass(IdentityDocument);
