import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { EpochRepository } from '../application/ports';
import { INITIAL_EPOCH, type AttributeEpoch, type RotationReason } from '../domain/attribute-epoch';
import { AttributeEpochDocument } from './attribute-epoch.schema';

/** Epochs in MongoDB; a rotation is one atomic `$inc` upsert on the attribute's document. */
@Injectable()
export class MongoEpochRepository implements EpochRepository {
  constructor(@InjectModel(AttributeEpochDocument.name) private readonly model: Model<AttributeEpochDocument>) {}

  async rotate(attribute: string, reason: RotationReason, at: Date): Promise<AttributeEpoch> {
    const existing = await this.model.findOneAndUpdate(
      { attribute },
      { $inc: { epoch: 1 }, $set: { rotatedAt: at, pendingEvent: true, pendingReason: reason } },
      { new: true },
    );
    if (existing) return toEpoch(existing);
    try {
      const created = await this.model.create({
        attribute,
        epoch: INITIAL_EPOCH + 1,
        rotatedAt: at,
        pendingEvent: true,
        pendingReason: reason,
      });
      return toEpoch(created);
    } catch (error) {
      // A concurrent first rotation created the document; rotate again on top of it.
      if ((error as { code?: number }).code === 11000) return this.rotate(attribute, reason, at);
      throw error;
    }
  }

  async current(attribute: string): Promise<AttributeEpoch | undefined> {
    const doc = await this.model.findOne({ attribute }).lean().exec();
    return doc ? toEpoch(doc) : undefined;
  }

  async markPublished(attribute: string, epoch: number): Promise<void> {
    await this.model.updateOne({ attribute, epoch }, { $set: { pendingEvent: false } }).exec();
  }

  async pending(olderThan: Date, limit: number) {
    const docs = await this.model.find({ pendingEvent: true, rotatedAt: { $lt: olderThan } }).limit(limit).lean().exec();
    return docs.map((doc) => ({ epoch: toEpoch(doc), reason: doc.pendingReason as RotationReason }));
  }
}

function toEpoch(doc: AttributeEpochDocument): AttributeEpoch {
  return { attribute: doc.attribute, epoch: doc.epoch, rotatedAt: new Date(doc.rotatedAt) };
}
