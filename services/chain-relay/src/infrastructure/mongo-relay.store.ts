import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Collection, Connection } from 'mongoose';
import type { BatchRecord, RelayStore } from '../application/ports';
import type { RelayOperation } from '../domain/relay-operation';

const DUPLICATE_KEY = 11000;

/** One Kafka batch's worth of operations, as persisted before its offsets are committed. */
interface IntakeDocument {
  _id: string;
  relay: string;
  receivedAt: number;
  operations: RelayOperation[];
}
type BatchDocument = Omit<BatchRecord, 'id'> & { _id: string };

/**
 * The relay's state in MongoDB, shaped for the slow local MongoDB-wire servers, which manage
 * about 1,000 inserted documents per second (docs/relay.md): each intake (one Kafka fetch
 * batch, up to a few thousand operations) is ONE insert-only document, and each nonce is one
 * batch document rewritten by `_id` on a state change. Nothing is updated per operation, and
 * the scans by relay happen only at startup. Duplicate pprIds are dropped by the engine, which
 * knows every pprId this relay has persisted.
 */
@Injectable()
export class MongoRelayStore implements RelayStore {
  private readonly intakes: Collection<IntakeDocument>;
  private readonly batches: Collection<BatchDocument>;

  constructor(@InjectConnection() connection: Connection) {
    this.intakes = connection.collection<IntakeDocument>('relay_intakes');
    this.batches = connection.collection<BatchDocument>('relay_batches');
  }

  async insertOperations(ops: readonly RelayOperation[], relay: string): Promise<RelayOperation[]> {
    if (ops.length === 0) return [];
    try {
      // The first pprId names the intake: a retry of an insert whose acknowledgement was lost
      // hits the same _id, which means it is already stored.
      await this.intakes.insertOne({ _id: `${relay}:${ops[0].pprId}`, relay, receivedAt: ops[0].receivedAt, operations: [...ops] });
    } catch (error) {
      if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
    }
    return [...ops];
  }

  async loadOperations(relay: string): Promise<RelayOperation[]> {
    const docs = await this.intakes.find({ relay }).sort({ receivedAt: 1 }).toArray();
    const seen = new Set<string>();
    const ops: RelayOperation[] = [];
    for (const op of docs.flatMap((d) => d.operations)) {
      if (seen.has(op.pprId)) continue;
      seen.add(op.pprId);
      ops.push(op);
    }
    return ops;
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
