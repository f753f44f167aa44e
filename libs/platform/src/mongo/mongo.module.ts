import { Inject, Injectable, Logger, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { MongooseModule, getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { MongoConfig } from '../config/config-schemas';
import { withTimeout, type DependencyProbe } from '../health/dependency-probe';

export const MONGO_PROBE = Symbol('MONGO_PROBE');

/**
 * Builds every registered model's collection and indexes before the service serves or consumes.
 * Mongoose starts the builds when a model is compiled but does not wait for them, and the
 * local MongoDB-wire server fails a write that races an index build on a new collection
 * ("Unknown error: null"); a unique index that is not there yet would also let a duplicate in.
 * Module init hooks all run before any application-bootstrap hook (Kafka consumers) and before
 * the HTTP server listens.
 */
@Injectable()
export class MongoIndexBuilder implements OnModuleInit {
  private readonly logger = new Logger('Mongo');

  constructor(@Inject(getConnectionToken()) private readonly connection: Connection) {}

  async onModuleInit(): Promise<void> {
    const models = Object.values(this.connection.models);
    await Promise.all(models.map((m) => m.init()));
    if (models.length > 0) this.logger.log(`collections and indexes ready: ${models.map((m) => m.collection.collectionName).join(', ')}`);
  }
}

/**
 * MongoDB through mongoose 8 (driver 6), which speaks to a real MongoDB 7 and to the local
 * MongoDB-wire stand-ins alike (docs/store.md). Commands are not buffered while disconnected:
 * a request fails fast with a clear error instead of hanging, and readiness says why.
 * The code uses no transactions, sessions or change streams, which the stand-ins lack.
 */
@Module({})
export class MongoModule {
  static forRoot(config: MongoConfig): DynamicModule {
    return {
      module: MongoModule,
      global: true,
      imports: [
        MongooseModule.forRoot(config.MONGO_URL, {
          serverSelectionTimeoutMS: 5_000,
          bufferCommands: false,
          autoIndex: true,
        }),
      ],
      providers: [
        MongoIndexBuilder,
        {
          provide: MONGO_PROBE,
          inject: [getConnectionToken()],
          useFactory: (connection: Connection): DependencyProbe => ({
            name: 'mongo',
            async check() {
              const db = connection.db;
              if (!db) throw new Error('mongo connection has no database');
              await withTimeout(db.command({ ping: 1 }), 3_000, 'mongo ping');
              return { database: db.databaseName };
            },
          }),
        },
      ],
      exports: [MongooseModule, MONGO_PROBE],
    };
  }
}
