import { getInfrastructure } from '@carechain/testing';
import mongoose from 'mongoose';
import { randomUUID } from 'node:crypto';
import { MongoRelayStore } from '../src/infrastructure/mongo-relay.store';

// The store against the real MongoDB-wire server: what it writes loads back, and so do batch
// documents from before operation ids, whose id lists were stored as `pprIds`.
describe('MongoRelayStore batch documents', () => {
  let connection: mongoose.Connection;
  let store: MongoRelayStore;
  const relay = '0x' + '11'.repeat(20);
  const id = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;

  beforeAll(async () => {
    const infra = await getInfrastructure();
    connection = await mongoose.createConnection(infra.mongo.url, { dbName: `relay_store_${randomUUID().slice(0, 8)}` }).asPromise();
    store = new MongoRelayStore(connection);
  });
  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('loads the operation ids of a batch it saved and of one saved before the rename', async () => {
    const attempt = { txHash: id(9), raw: '0x02f8', opIds: [id(1), `${id(2)}:delete`], root: id(8), maxFeePerGas: '2', maxPriorityFeePerGas: '1', guardBlock: 5, sentAtBlock: 5, sentAt: 1 };
    await store.saveBatch({ id: `${relay}:1`, relay, nonce: 1, state: 'sent', attempts: [attempt], opIds: attempt.opIds });
    const { opIds: _ids, ...legacyAttempt } = attempt;
    await connection.collection('relay_batches').insertOne({
      _id: `${relay}:0` as never,
      relay,
      nonce: 0,
      state: 'final',
      attempts: [{ ...legacyAttempt, pprIds: `${id(3)},${id(4)}` }],
      pprIds: `${id(3)},${id(4)}`,
      mined: null,
      announcedAt: null,
    });

    const loaded = new Map((await store.loadBatches(relay)).map((b) => [b.nonce, b]));
    expect(loaded.get(1)).toMatchObject({ opIds: [id(1), `${id(2)}:delete`], attempts: [{ opIds: [id(1), `${id(2)}:delete`], raw: '0x02f8' }] });
    expect(loaded.get(0)).toMatchObject({ opIds: [id(3), id(4)], attempts: [{ opIds: [id(3), id(4)] }] });
    expect(loaded.get(0)!.attempts[0]).not.toHaveProperty('pprIds');
  });
});
