import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Collection, Connection } from 'mongoose';
import type { BatchRecord, RelayStore } from '../application/ports';
import type { RelayOperation } from '../domain/relay-operation';

const DUPLICATE_KEY = 11000;

type OperationDocument = RelayOperation & { _id: string; relay: string };
type BatchDocument = Omit<BatchRecord, 'id'> & { _id: string };

/**
 * The relay's state in MongoDB, shaped for the slow local MongoDB-wire servers: operations
 * are insert-only (one insertMany per Kafka batch, the pprId as `_id` so duplicates are
 * refused by the primary key), and each nonce is one batch document rewritten by `_id` on a
 * state change. Scans by relay happen only at startup.
 */
@Injectable()
export class MongoRelayStore implements RelayStore {
  private readonly operations: Collection<OperationDocument>;
  private readonly batches: Collection<BatchDocument>;

  constructor(@InjectConnection() connection: Connection) {
    this.operations = connection.collection<OperationDocument>('relay_operations');
    this.batches = connection.collection<BatchDocument>('relay_batches');
  }

  async insertOperations(ops: readonly RelayOperation[], relay: string): Promise<RelayOperation[]> {
    if (ops.length === 0) return [];
    const docs = ops.map((op) => ({ ...op, _id: op.pprId, relay }));
    const duplicates = new Set<number>();
    try {
      await this.operations.insertMany(docs, { ordered: false });
    } catch (error) {
      const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
      const list = (Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : []) as { index: number; code: number }[];
      if (list.length === 0 || list.some((e) => e.code !== DUPLICATE_KEY)) throw error;
      list.forEach((e) => duplicates.add(e.index));
    }
    return ops.filter((_, i) => !duplicates.has(i));
  }

  async loadOperations(relay: string): Promise<RelayOperation[]> {
    const docs = await this.operations.find({ relay }).toArray();
    return docs.map(({ _id, relay: _relay, ...op }) => op);
  }

  async saveBatch(batch: BatchRecord): Promise<void> {
    const { id, ...rest } = batch;
    await this.batches.replaceOne({ _id: id }, { ...rest, mined: rest.mined ?? null, announcedAt: rest.announcedAt ?? null } as never, { upsert: true });
  }

  async loadBatches(relay: string): Promise<BatchRecord[]> {
    const docs = await this.batches.find({ relay }).toArray();
    return docs.map(({ _id, ...rest }) => ({
      ...rest,
      id: _id,
      mined: rest.mined ?? undefined,
      announcedAt: rest.announcedAt ?? undefined,
    }));
  }
}
