import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { IdentityRepository } from '../application/ports';
import type { Identity, IdentityRole } from '../domain/identity';
import { enrolmentKindOf } from '../domain/pseudonym-enrolment';
import { IdentityDocument } from './identity.schema';

const DUPLICATE_KEY = 11000;

/** Identities in MongoDB, keyed by a unique index on the address. */
@Injectable()
export class MongoIdentityRepository implements IdentityRepository {
  constructor(@InjectModel(IdentityDocument.name) private readonly model: Model<IdentityDocument>) {}

  async insertWithPendingEvent(identity: Identity, eventId: string): Promise<boolean> {
    try {
      const { chain, ...fields } = identity;
      await this.model.create({ ...fields, eventId, eventPublished: false, ...(chain ? { chainState: chain.state } : {}) });
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

  async pendingEnrolments(limit: number) {
    // Documents from before enrolment existed have no chainState; their role decides.
    const docs = await this.model
      .find({ role: { $in: ['patient', 'user'] }, chainState: { $ne: 'enrolled' } })
      .sort({ registeredAt: 1 })
      .limit(limit)
      .lean()
      .exec();
    return docs.map((doc) => ({ identity: toIdentity(doc), ...(doc.chainSentAtBlock !== undefined ? { sentAtBlock: doc.chainSentAtBlock } : {}) }));
  }

  async markEnrolled(entries: readonly { address: string; index: number }[]): Promise<void> {
    if (entries.length === 0) return;
    await this.model.bulkWrite(
      entries.map((e) => ({
        updateOne: { filter: { address: e.address }, update: { $set: { chainState: 'enrolled', chainIndex: e.index }, $unset: { chainSentAtBlock: '' } } },
      })),
      { ordered: false },
    );
  }

  async markEnrolmentSent(addresses: readonly string[], atBlock: number): Promise<void> {
    await this.model.updateMany({ address: { $in: [...addresses] } }, { $set: { chainSentAtBlock: atBlock } }).exec();
  }
}

function toIdentity(doc: IdentityDocument): Identity {
  const role = doc.role as IdentityRole;
  const identity = { address: doc.address, role, registeredAt: new Date(doc.registeredAt) };
  if (!enrolmentKindOf(role)) return identity;
  return {
    ...identity,
    chain: doc.chainState === 'enrolled' && doc.chainIndex !== undefined ? { state: 'enrolled', index: doc.chainIndex } : { state: 'pending' },
  };
}
