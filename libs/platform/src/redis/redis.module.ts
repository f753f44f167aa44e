import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import type { RedisConfig } from '../config/config-schemas';
import { withTimeout, type DependencyProbe } from '../health/dependency-probe';

export const REDIS = Symbol('REDIS');
export const REDIS_PROBE = Symbol('REDIS_PROBE');

@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/**
 * ioredis, configured to fail fast while Redis is away (no offline queue, one retry per
 * request) and to reconnect on its own with capped backoff, so readiness turns 503 while
 * Redis is down and back to 200 once it returns, without a restart.
 */
@Module({})
export class RedisModule {
  static forRoot(config: RedisConfig): DynamicModule {
    return {
      module: RedisModule,
      global: true,
      providers: [
        {
          provide: REDIS,
          useFactory: () =>
            new Redis(config.REDIS_URL, {
              maxRetriesPerRequest: 1,
              enableOfflineQueue: false,
              connectTimeout: 3_000,
              retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 2_000),
            }),
        },
        {
          provide: REDIS_PROBE,
          inject: [REDIS],
          useFactory: (redis: Redis): DependencyProbe => ({
            name: 'redis',
            async check() {
              const pong = await withTimeout(redis.ping(), 2_000, 'redis ping');
              if (pong !== 'PONG') throw new Error(`redis answered ${String(pong)}`);
            },
          }),
        },
        RedisLifecycle,
      ],
      exports: [REDIS, REDIS_PROBE],
    };
  }
}
