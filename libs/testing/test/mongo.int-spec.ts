import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getConnectionToken, MongooseModule } from '@nestjs/mongoose';
import { MongoModule } from '@carechain/platform';
import { randomUUID } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import { getInfrastructure } from '../src';
import { withDatabase } from '../src/services';

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

describe('MongoModule at boot', () => {
  // A model with a unique index, as the services register them through MongooseModule.forFeature.
  const schema = new mongoose.Schema({ key: { type: String, required: true, unique: true }, at: { type: Date, index: true } });

  @Module({ imports: [MongooseModule.forFeature([{ name: 'BootProbe', schema }])] })
  class ProbeFeatureModule {}

  it('has every registered model\'s collection and indexes built before the application serves', async () => {
    const infra = await getInfrastructure();
    const database = `boot_${randomUUID().slice(0, 8)}`;
    const url = withDatabase(infra.mongo.url, database);
    const app = await NestFactory.createApplicationContext(
      { module: class BootProbeApp {}, imports: [MongoModule.forRoot({ MONGO_URL: url }), ProbeFeatureModule] } as never,
      { logger: ['error'], abortOnError: false },
    );
    try {
      const connection = app.get<Connection>(getConnectionToken());
      // Straight after init, with no wait: the unique index exists and holds.
      const indexes = await connection.db!.collection('bootprobes').indexes();
      expect(indexes.map((i) => Object.keys(i.key).join(',')).sort()).toEqual(['_id', 'at', 'key']);
      await connection.db!.collection('bootprobes').insertOne({ key: 'k1' });
      await expect(connection.db!.collection('bootprobes').insertOne({ key: 'k1' })).rejects.toMatchObject({ code: 11000 });
      await connection.dropDatabase();
    } finally {
      await app.close();
    }
  });
});
