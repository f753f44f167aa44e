import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { mongo, type Collection, type Connection } from 'mongoose';
import type { BatchAttempt, BatchRecord, IntakeResult, IntakeSource, RelayStore } from '../application/ports';
import { operationId, type RelayOperation, type RequestedKind } from '../domain/relay-operation';

const DUPLICATE_KEY = 11000;

/** One operation as a JSON tuple inside an intake document (see `IntakeDocument.ops`). */
type OperationTuple = [pprId: string, kind: RequestedKind, patient: string, patientIndex: number, provider: string, providerIndex: number, pprHash: string, replacedPprId: string | null, eventId: string];

/**
 * One Kafka fetch batch's worth of operations, as persisted before its offsets are committed.
 * `ops` is a JSON string of tuples, not an array of sub-documents: the local MongoDB-wire server
 * takes about 130–2,700 ms to store 2,000 sub-documents and 13–120 ms for the same as one string
 * (measured here under load; docs/relay.md). Documents written before this layout carry
 * `operations` instead, and are still read.
 */
interface IntakeDocument {
  _id: string;
  relay: string;
  receivedAt: number;
  count: number;
  ops?: string;
  operations?: RelayOperation[];
  source?: IntakeSource;
}
/**
 * A nonce as stored. Its big fields are packed: each attempt's signed transaction as bytes (not
 * 0x-hex) and every pprId list as one comma-joined string (not an array of ~2,200 strings), which
 * shrinks the document by about a third and spares the server ~2,200 array elements per write; a
 * batch document is rewritten on each state change. Documents written before this layout (hex,
 * arrays) still load, and so do those from before operation ids, whose lists were `pprIds`
 * (for the add and modify operations they held, the pprId is the operation id).
 */
interface StoredIds {
  opIds?: string | string[];
  pprIds?: string | string[];
}
type StoredAttempt = Omit<BatchAttempt, 'raw' | 'opIds'> & { raw: mongo.Binary | string } & StoredIds;
type BatchDocument = Omit<BatchRecord, 'id' | 'attempts' | 'opIds' | 'mined' | 'announcedAt'> & StoredIds & {
  _id: string;
  attempts: StoredAttempt[];
  mined: BatchRecord['mined'] | null;
  announcedAt: number | null;
};

const joinIds = (ids: readonly string[]) => ids.join(',');
const splitIds = (ids: string | string[]): string[] => (Array.isArray(ids) ? ids : ids === '' ? [] : ids.split(','));
/** A stored id list, from either field name (see BatchDocument). */
const storedIds = (doc: StoredIds): string[] => splitIds(doc.opIds ?? doc.pprIds ?? '');
const rawBytes = (raw: string) => new mongo.Binary(Buffer.from(raw.startsWith('0x') ? raw.slice(2) : raw, 'hex'));
const rawHex = (raw: mongo.Binary | string) => (typeof raw === 'string' ? raw : `0x${Buffer.from(raw.buffer).toString('hex')}`);
interface MarkDocument {
  _id: string;
  next: number;
}

const toTuple = (op: RelayOperation): OperationTuple => [
  op.pprId,
  op.kind,
  op.patient,
  op.patientIndex,
  op.provider,
  op.providerIndex,
  op.pprHash,
  op.replacedPprId ?? null,
  op.eventId,
];

const fromTuple = ([pprId, kind, patient, patientIndex, provider, providerIndex, pprHash, replacedPprId, eventId]: OperationTuple, receivedAt: number): RelayOperation => ({
  pprId,
  kind,
  patient,
  patientIndex,
  provider,
  providerIndex,
  pprHash,
  ...(replacedPprId ? { replacedPprId } : {}),
  eventId,
  receivedAt,
});

const sourceKey = (group: string, topic: string, partition: number) => `${group}:${topic}:${partition}`;

/**
 * The relay's state in MongoDB, shaped for the slow local MongoDB-wire servers (docs/relay.md):
 * each intake (one Kafka fetch batch, up to a few thousand operations) is ONE insert-only
 * document whose `_id` is its source (consumer group, topic, partition, first offset), and each
 * nonce is one batch document rewritten by `_id` on a state change. Nothing is written per
 * operation. The unique `_id` is what stops a redelivered range from being stored twice, by this
 * instance after a restart or by another instance that took the partition over.
 */
@Injectable()
export class MongoRelayStore implements RelayStore {
  private readonly intakes: Collection<IntakeDocument>;
  private readonly batches: Collection<BatchDocument>;
  private readonly marks: Collection<MarkDocument>;

  constructor(@InjectConnection() connection: Connection) {
    this.intakes = connection.collection<IntakeDocument>('relay_intakes');
    this.batches = connection.collection<BatchDocument>('relay_batches');
    this.marks = connection.collection<MarkDocument>('relay_partition_marks');
  }

  async insertIntake(relay: string, ops: readonly RelayOperation[], source?: IntakeSource): Promise<IntakeResult> {
    if (!source && ops.length === 0) return { stored: true };
    // Without a source (tests, tools) the first operation id names the intake: a retry of an insert
    // whose acknowledgement was lost hits the same _id, which means it is already stored.
    const _id = source ? `${sourceKey(source.group, source.topic, source.partition)}:${source.firstOffset}` : `${relay}:${operationId(ops[0])}`;
    const receivedAt = ops[0]?.receivedAt ?? Date.now();
    try {
      await this.intakes.insertOne({ _id, relay, receivedAt, count: ops.length, ops: JSON.stringify(ops.map(toTuple)), ...(source ? { source } : {}) });
      return { stored: true };
    } catch (error) {
      if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
    }
    if (!source) return { stored: true };
    const existing = await this.intakes.findOne({ _id }, { projection: { source: 1 } });
    return { stored: false, lastOffset: existing?.source?.lastOffset ?? source.lastOffset };
  }

  async loadOperations(relay: string): Promise<RelayOperation[]> {
    const docs = await this.intakes.find({ relay }).sort({ receivedAt: 1 }).toArray();
    const seen = new Set<string>();
    const ops: RelayOperation[] = [];
    for (const doc of docs) {
      const list = doc.ops !== undefined ? (JSON.parse(doc.ops) as OperationTuple[]).map((t) => fromTuple(t, doc.receivedAt)) : (doc.operations ?? []);
      for (const op of list) {
        const id = operationId(op);
        if (seen.has(id)) continue;
        seen.add(id);
        ops.push(op);
      }
    }
    return ops;
  }

  async partitionMark(group: string, topic: string, partition: number): Promise<number | undefined> {
    return (await this.marks.findOne({ _id: sourceKey(group, topic, partition) }))?.next;
  }

  async savePartitionMark(group: string, topic: string, partition: number, next: number): Promise<void> {
    await this.marks.updateOne({ _id: sourceKey(group, topic, partition) }, { $max: { next } }, { upsert: true });
  }

  async saveBatch(batch: BatchRecord): Promise<void> {
    const { id, attempts, opIds, mined, announcedAt, ...rest } = batch;
    const doc: Omit<BatchDocument, '_id'> = {
      ...rest,
      attempts: attempts.map((a) => ({ ...a, raw: rawBytes(a.raw), opIds: joinIds(a.opIds) })),
      opIds: joinIds(opIds),
      mined: mined ?? null,
      announcedAt: announcedAt ?? null,
    };
    await this.batches.replaceOne({ _id: id }, doc, { upsert: true });
  }

  async loadBatches(relay: string): Promise<BatchRecord[]> {
    const docs = await this.batches.find({ relay }).toArray();
    return docs.map(({ _id, attempts, opIds, pprIds, mined, announcedAt, ...rest }) => ({
      ...rest,
      id: _id,
      attempts: attempts.map(({ opIds: ids, pprIds: legacy, ...a }) => ({ ...a, raw: rawHex(a.raw), opIds: storedIds({ opIds: ids, pprIds: legacy }) })),
      opIds: storedIds({ opIds, pprIds }),
      mined: mined ?? undefined,
      announcedAt: announcedAt ?? undefined,
    }));
  }
}
