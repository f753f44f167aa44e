import { Module, type DynamicModule } from '@nestjs/common';
import { MongooseModule, getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import type { MongoConfig } from '../config/config-schemas';
import { withTimeout, type DependencyProbe } from '../health/dependency-probe';

export const MONGO_PROBE = Symbol('MONGO_PROBE');

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
