import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';

/**
 * One patient's Summary, the whole of it in one document: read by a unique key (patient index
 * or pseudonym) and replaced once per indexing step, because the local MongoDB-wire store is
 * slow on per-document updates and non-unique scans (docs/store.md).
 */
@Schema({ collection: 'patient_summaries', versionKey: false })
export class PatientSummaryDocument {
  @Prop({ required: true, unique: true })
  patientIndex!: number;

  @Prop({ required: true, unique: true })
  pseudonym!: string;

  @Prop({ required: true })
  head!: string;

  /** Optimistic-concurrency counter: a write names the version it read. */
  @Prop({ required: true })
  version!: number;

  @Prop({ required: true })
  operationCount!: number;

  /** AnchoredPprOperation[] in commit order (domain/patient-summary.ts). */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] })
  operations!: unknown[];

  /** LivePprLink[] derived from `operations`. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] })
  live!: unknown[];

  @Prop({ required: true })
  updatedAt!: Date;
}

export const PatientSummarySchema = SchemaFactory.createForClass(PatientSummaryDocument);

/** How far the Summary index has read one ledger; one document per ledger address. */
@Schema({ collection: 'summary_index_cursors', versionKey: false })
export class SummaryIndexCursorDocument {
  @Prop({ required: true, unique: true })
  ledgerAddress!: string;

  @Prop({ required: true })
  indexedThrough!: number;

  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] })
  recent!: unknown[];
}

export const SummaryIndexCursorSchema = SchemaFactory.createForClass(SummaryIndexCursorDocument);
