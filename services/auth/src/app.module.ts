import { Module, type DynamicModule } from '@nestjs/common';
import { AccessDenied, AccessGranted } from '@carechain/contracts';
import {
  HealthModule,
  KAFKA_PROBE,
  KafkaModule,
  LoggingModule,
  REDIS_PROBE,
  RedisModule,
  ServiceConfigModule,
} from '@carechain/platform';
import { ChallengesController } from './api/challenges.controller';
import { GetChallengeQuery } from './application/get-challenge.query';
import { IssueChallengeUseCase } from './application/issue-challenge.use-case';
import { CHALLENGE_STORE } from './application/ports';
import type { AuthConfig } from './config';
import { RedisChallengeStore } from './infrastructure/redis-challenge.store';

@Module({})
export class AppModule {
  static forRoot(config: AuthConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceConfigModule.forRoot(config),
        LoggingModule.forRoot({ service: 'auth', level: config.LOG_LEVEL }),
        RedisModule.forRoot(config),
        KafkaModule.forRoot({ config, service: 'auth', produces: [AccessGranted, AccessDenied] }),
        HealthModule.forRoot([KAFKA_PROBE, REDIS_PROBE]),
      ],
      controllers: [ChallengesController],
      providers: [IssueChallengeUseCase, GetChallengeQuery, { provide: CHALLENGE_STORE, useClass: RedisChallengeStore }],
    };
  }
}
