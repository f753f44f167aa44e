import { getInfrastructure } from '@carechain/testing';
import mongoose from 'mongoose';
import { randomUUID } from 'node:crypto';
import { anchorAt as anchorAtLeaf, testHash as hash } from '../src/domain/record.fixtures';
import type { StoredRecord } from '../src/domain/stored-record';
import { MongoRecordStore } from '../src/infrastructure/mongo-record.store';
import { StoredRecordDocument, StoredRecordSchema } from '../src/infrastructure/stored-record.schema';

// The record store's anchor transitions against the real MongoDB-wire server: the conditional
// writes a reorg relies on (revoked blocks, revert only from the withdrawn block) hold there,
// not only in the unit tests' in-memory store.
describe('MongoRecordStore anchor transitions', () => {
  let connection: mongoose.Connection;
  let store: MongoRecordStore;
  const anchorAt = (block: number) => anchorAtLeaf(block, 1);
  const record = (recordId: string, version: number, pprId: string): StoredRecord => ({
    recordId,
    patient: '0x' + 'a'.repeat(40),
    version,
    sealed: Buffer.from(`${recordId}@${version}`),
    pprId,
    pprHash: hash(5),
    state: 'pending',
    receivedAt: new Date('2026-11-28T09:00:00Z'),
  });

  beforeAll(async () => {
    const infra = await getInfrastructure();
    connection = await mongoose.createConnection(infra.mongo.url, { dbName: `records_${randomUUID().slice(0, 8)}` }).asPromise();
    const model = connection.model(StoredRecordDocument.name, StoredRecordSchema);
    // Index builds first, as at a service's boot: mongo-java-server fails an insert racing one.
    await model.init();
    store = new MongoRecordStore(model);
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('commits, serves the newest committed version, and reverts only from the withdrawn block', async () => {
    await store.insertPending(record('r1', 1, hash(11)));
    await store.insertPending(record('r1', 2, hash(12)));
    expect(await store.find('r1', undefined, 'committed')).toBeUndefined();

    expect(await store.commit(hash(11), anchorAt(7))).toBe(true);
    expect(await store.findByPprId(hash(11))).toMatchObject({ state: 'committed', anchor: anchorAt(7) });
    expect((await store.find('r1', undefined, 'committed'))?.version).toBe(1);
    expect((await store.find('r1'))?.version).toBe(2);

    // A reorg notice about another block only remembers it.
    await store.revokeAnchor(hash(11), anchorAt(6).blockHash);
    expect(await store.findByPprId(hash(11))).toMatchObject({ state: 'committed', revokedBlockHashes: [anchorAt(6).blockHash] });
    // The withdrawn block: back to pending, anchor gone, and that block can never be committed to again.
    await store.revokeAnchor(hash(11), anchorAt(7).blockHash);
    const reverted = await store.findByPprId(hash(11));
    expect(reverted?.state).toBe('pending');
    expect(reverted?.anchor).toBeUndefined();
    expect(await store.commit(hash(11), anchorAt(7))).toBe(false);
    expect((await store.findByPprId(hash(11)))?.state).toBe('pending');
    // The re-anchor on the winning fork commits it again.
    expect(await store.commit(hash(11), anchorAt(9))).toBe(true);
    expect(await store.findByPprId(hash(11))).toMatchObject({ state: 'committed', anchor: { blockNumber: 9 } });
  });

  it('fails only a pending version, and a retry of a failed one makes it pending with its request due again', async () => {
    await store.insertPending(record('r2', 1, hash(21)));
    await store.markRequested('r2', 1);
    const failure = { code: 'UNKNOWN_PATIENT', reason: 'not registered', failedAt: new Date('2026-11-28T11:00:00Z') };
    expect(await store.markFailed(hash(21), failure)).toBe(true);
    expect(await store.findByPprId(hash(21))).toMatchObject({ state: 'failed', failure });
    expect(await store.markFailed(hash(21), failure)).toBe(false);

    expect(await store.retryFailed('r2', 1)).toBe(true);
    const retried = await store.findByPprId(hash(21));
    expect(retried?.state).toBe('pending');
    expect(retried?.failure).toBeUndefined();
    // The outbox sees it again, so a crash before the re-request cannot strand it.
    expect((await store.unrequested(new Date(Date.now() + 60_000), 10)).map((r) => r.pprId)).toContain(hash(21));
    expect(await store.retryFailed('r2', 1)).toBe(false);
    expect(await store.commit(hash(21), anchorAt(30))).toBe(true);
    expect(await store.markFailed(hash(21), failure)).toBe(false);
  });

  it('finds nothing for an unknown pprId and commits nothing', async () => {
    expect(await store.findByPprId(hash(99))).toBeUndefined();
    expect(await store.commit(hash(99), anchorAt(7))).toBe(false);
  });
});
