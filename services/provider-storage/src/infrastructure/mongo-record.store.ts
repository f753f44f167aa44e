import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { RecordStore } from '../application/ports';
import type { StoredRecord } from '../domain/stored-record';
import { StoredRecordDocument } from './stored-record.schema';

const versionKey = (recordId: string, version: number) => `${recordId}#${version}`;

/** Sealed records in MongoDB, one document per version, looked up by a unique key. */
@Injectable()
export class MongoRecordStore implements RecordStore {
  constructor(@InjectModel(StoredRecordDocument.name) private readonly model: Model<StoredRecordDocument>) {}

  async insertPending(record: StoredRecord): Promise<boolean> {
    try {
      await this.model.create({ ...record, key: versionKey(record.recordId, record.version), pprRequested: false });
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === 11000) return false;
      throw error;
    }
  }

  async find(recordId: string, version?: number): Promise<StoredRecord | undefined> {
    const doc =
      version === undefined
        ? await this.model.findOne({ recordId }).sort({ version: -1 }).lean().exec()
        : await this.model.findOne({ key: versionKey(recordId, version) }).lean().exec();
    return doc ? toRecord(doc) : undefined;
  }

  async markRequested(recordId: string, version: number): Promise<void> {
    await this.model.updateOne({ key: versionKey(recordId, version) }, { $set: { pprRequested: true } }).exec();
  }

  async unrequested(olderThan: Date, limit: number): Promise<StoredRecord[]> {
    const docs = await this.model.find({ pprRequested: false, receivedAt: { $lt: olderThan } }).limit(limit).lean().exec();
    return docs.map(toRecord);
  }
}

/** Lean documents hold the bytes as a BSON Binary; callers get a Buffer. */
function toRecord(doc: Omit<StoredRecordDocument, 'sealed'> & { sealed: unknown }): StoredRecord {
  const sealed = doc.sealed as Buffer | { buffer: Uint8Array };
  return {
    recordId: doc.recordId,
    patient: doc.patient,
    version: doc.version,
    sealed: Buffer.isBuffer(sealed) ? sealed : Buffer.from(sealed.buffer),
    pprId: doc.pprId,
    pprHash: doc.pprHash,
    state: doc.state as StoredRecord['state'],
    receivedAt: new Date(doc.receivedAt),
  };
}
