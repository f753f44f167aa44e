import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { getInfrastructure } from '../src';

describe('the MongoDB-wire store', () => {
  it('persists a document with a unique index and reads it back by key', async () => {
    const infra = await getInfrastructure();
    const connection = await mongoose.createConnection(infra.mongo.url, { dbName: `testing_${randomUUID().slice(0, 8)}` }).asPromise();
    try {
      const records = connection.collection('records');
      await records.createIndex({ key: 1 }, { unique: true });
      await records.insertOne({ key: 'patient-1', value: 42 });
      await expect(records.insertOne({ key: 'patient-1', value: 43 })).rejects.toMatchObject({ code: 11000 });
      expect(await records.findOne({ key: 'patient-1' })).toMatchObject({ value: 42 });
      await connection.dropDatabase();
    } finally {
      await connection.close();
    }
  });
});
