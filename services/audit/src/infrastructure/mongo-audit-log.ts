import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { AuditLog } from '../application/ports';
import type { AuditEntry } from '../domain/audit-entry';
import { AuditEntryDocument } from './audit-entry.schema';

const DUPLICATE_KEY = 11000;

/** The audit log in MongoDB: inserts only, a unique index on the event id. */
@Injectable()
export class MongoAuditLog implements AuditLog {
  constructor(@InjectModel(AuditEntryDocument.name) private readonly model: Model<AuditEntryDocument>) {}

  async append(entry: AuditEntry): Promise<boolean> {
    try {
      await this.model.create(entry);
      return true;
    } catch (error) {
      if ((error as { code?: number }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  async findByEventId(eventId: string): Promise<AuditEntry | undefined> {
    const doc = await this.model.findOne({ eventId }, { _id: 0 }).lean().exec();
    return doc ?? undefined;
  }

  async findBySubject(subject: string, limit: number, after?: Date): Promise<AuditEntry[]> {
    const filter = after ? { subject, recordedAt: { $gt: after } } : { subject };
    const docs = await this.model.find(filter, { _id: 0 }).sort({ recordedAt: 1 }).limit(limit).lean().exec();
    return docs;
  }
}
