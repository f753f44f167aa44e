import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { SummaryVersionConflict, type SummaryIndexCursor, type SummaryStore } from '../application/summary-ports';
import type { AnchoredPprOperation, LivePprLink, PatientSummary } from '../domain/patient-summary';
import { PatientSummaryDocument, SummaryIndexCursorDocument } from './patient-summary.schema';

const DUPLICATE_KEY = 11000;

/**
 * Summaries in MongoDB: every read by a unique key, every step's writes in one bulkWrite of
 * version-guarded replaces (an upsert for a patient's first Summary).
 */
@Injectable()
export class MongoSummaryStore implements SummaryStore {
  constructor(
    @InjectModel(PatientSummaryDocument.name) private readonly summaries: Model<PatientSummaryDocument>,
    @InjectModel(SummaryIndexCursorDocument.name) private readonly cursors: Model<SummaryIndexCursorDocument>,
  ) {}

  async findByPatientIndexes(indexes: readonly number[]): Promise<Map<number, PatientSummary>> {
    const found = new Map<number, PatientSummary>();
    if (indexes.length === 0) return found;
    const docs = await this.summaries.find({ patientIndex: { $in: [...indexes] } }).lean().exec();
    for (const doc of docs) found.set(doc.patientIndex, toSummary(doc));
    return found;
  }

  async findByPseudonym(pseudonym: string): Promise<PatientSummary | undefined> {
    const doc = await this.summaries.findOne({ pseudonym: pseudonym.toLowerCase() }).lean().exec();
    return doc ? toSummary(doc) : undefined;
  }

  async save(summaries: readonly PatientSummary[]): Promise<void> {
    if (summaries.length === 0) return;
    const now = new Date();
    try {
      const result = await this.summaries.bulkWrite(
        summaries.map((s) => ({
          replaceOne: {
            filter: { patientIndex: s.patientIndex, version: s.version },
            replacement: {
              patientIndex: s.patientIndex,
              pseudonym: s.pseudonym,
              head: s.head,
              version: s.version + 1,
              operationCount: s.operations.length,
              operations: s.operations as unknown[],
              live: s.live as unknown[],
              updatedAt: now,
            },
            upsert: s.version === 0,
          },
        })),
        { ordered: true },
      );
      if (result.matchedCount + result.upsertedCount !== summaries.length) {
        throw new SummaryVersionConflict(`${summaries.length - result.matchedCount - result.upsertedCount} Summaries changed since they were read`);
      }
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) throw new SummaryVersionConflict('a Summary was created concurrently');
      throw error;
    }
  }

  async page(afterIndex: number, limit: number): Promise<PatientSummary[]> {
    const docs = await this.summaries.find({ patientIndex: { $gt: afterIndex } }).sort({ patientIndex: 1 }).limit(limit).lean().exec();
    return docs.map(toSummary);
  }

  async cursor(ledgerAddress: string): Promise<SummaryIndexCursor | undefined> {
    const doc = await this.cursors.findOne({ ledgerAddress: ledgerAddress.toLowerCase() }).lean().exec();
    if (!doc) return undefined;
    return { ledgerAddress: doc.ledgerAddress, indexedThrough: doc.indexedThrough, recent: doc.recent as unknown as SummaryIndexCursor['recent'] };
  }

  async saveCursor(cursor: SummaryIndexCursor): Promise<void> {
    const ledgerAddress = cursor.ledgerAddress.toLowerCase();
    await this.cursors
      .replaceOne({ ledgerAddress }, { ledgerAddress, indexedThrough: cursor.indexedThrough, recent: [...cursor.recent] }, { upsert: true })
      .exec();
  }
}

function toSummary(doc: PatientSummaryDocument): PatientSummary {
  return {
    patientIndex: doc.patientIndex,
    pseudonym: doc.pseudonym,
    head: doc.head,
    version: doc.version,
    operations: doc.operations as AnchoredPprOperation[],
    live: doc.live as LivePprLink[],
  };
}
