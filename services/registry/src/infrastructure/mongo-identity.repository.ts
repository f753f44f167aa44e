import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { IdentityRepository } from '../application/ports';
import type { Identity, IdentityRole } from '../domain/identity';
import { IdentityDocument } from './identity.schema';

const DUPLICATE_KEY = 11000;

/** Identities in MongoDB, keyed by a unique index on the address. */
@Injectable()
export class MongoIdentityRepository implements IdentityRepository {
  constructor(@InjectModel(IdentityDocument.name) private readonly model: Model<IdentityDocument>) {}

  async insertWithPendingEvent(identity: Identity, eventId: string): Promise<boolean> {
    try {
      await this.model.create({ ...identity, eventId, eventPublished: false });
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  async findByAddress(address: string): Promise<Identity | undefined> {
    const doc = await this.model.findOne({ address }).lean().exec();
    return doc ? toIdentity(doc) : undefined;
  }

  async markEventPublished(address: string): Promise<void> {
    await this.model.updateOne({ address }, { $set: { eventPublished: true } }).exec();
  }

  async pendingEvents(olderThan: Date, limit: number) {
    const docs = await this.model
      .find({ eventPublished: false, registeredAt: { $lt: olderThan } })
      .sort({ registeredAt: 1 })
      .limit(limit)
      .lean()
      .exec();
    return docs.map((doc) => ({ identity: toIdentity(doc), eventId: doc.eventId }));
  }
}

function toIdentity(doc: IdentityDocument): Identity {
  return { address: doc.address, role: doc.role as IdentityRole, registeredAt: new Date(doc.registeredAt) };
}
