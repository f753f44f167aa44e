import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { RecordStore } from '../application/ports';
import type { RecordAnchor, RecordFailure, StoredRecord } from '../domain/stored-record';
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

  async find(recordId: string, version?: number, state?: StoredRecord['state']): Promise<StoredRecord | undefined> {
    const doc =
      version === undefined
        ? await this.model.findOne({ recordId, ...(state ? { state } : {}) }).sort({ version: -1 }).lean().exec()
        : await this.model.findOne({ key: versionKey(recordId, version), ...(state ? { state } : {}) }).lean().exec();
    return doc ? toRecord(doc) : undefined;
  }

  async findByPprId(pprId: string): Promise<StoredRecord | undefined> {
    const doc = await this.model.findOne({ pprId: pprId.toLowerCase() }).lean().exec();
    return doc ? toRecord(doc) : undefined;
  }

  async commit(pprId: string, anchor: RecordAnchor): Promise<boolean> {
    const blockHash = anchor.blockHash.toLowerCase();
    // One conditional write: a reorg notice processed meanwhile has put the block on the revoked list.
    const result = await this.model
      .updateOne({ pprId: pprId.toLowerCase(), revokedBlockHashes: { $ne: blockHash } }, { $set: { state: 'committed', anchor: { ...anchor, blockHash } }, $unset: { failure: '' } })
      .exec();
    return result.matchedCount > 0;
  }

  async markFailed(pprId: string, failure: RecordFailure): Promise<boolean> {
    const result = await this.model.updateOne({ pprId: pprId.toLowerCase(), state: 'pending' }, { $set: { state: 'failed', failure } }).exec();
    return result.matchedCount > 0;
  }

  async retryFailed(recordId: string, version: number): Promise<boolean> {
    const result = await this.model
      .updateOne({ key: versionKey(recordId, version), state: 'failed' }, { $set: { state: 'pending', pprRequested: false }, $unset: { failure: '' } })
      .exec();
    return result.matchedCount > 0;
  }

  async revokeAnchor(pprId: string, blockHash: string): Promise<void> {
    const hash = blockHash.toLowerCase();
    // Revoke first, then revert: a commit racing with this one can then never land on the block.
    await this.model.updateOne({ pprId: pprId.toLowerCase() }, { $addToSet: { revokedBlockHashes: hash } }).exec();
    await this.model
      .updateOne({ pprId: pprId.toLowerCase(), state: 'committed', 'anchor.blockHash': hash }, { $set: { state: 'pending' }, $unset: { anchor: '' } })
      .exec();
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
    ...(doc.anchor ? { anchor: { ...doc.anchor, anchoredAt: new Date(doc.anchor.anchoredAt) } } : {}),
    ...(doc.failure ? { failure: { ...doc.failure, failedAt: new Date(doc.failure.failedAt) } } : {}),
    ...(doc.revokedBlockHashes?.length ? { revokedBlockHashes: doc.revokedBlockHashes } : {}),
  };
}
