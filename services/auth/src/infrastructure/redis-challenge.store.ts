import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode } from '@carechain/contracts';
import { DomainError, REDIS } from '@carechain/platform';
import type Redis from 'ioredis';
import type { ChallengeStore } from '../application/ports';
import type { Challenge } from '../domain/challenge';

const KEY = (nonce: string) => `auth:challenge:${nonce}`;

/**
 * Challenges in Redis with a TTL equal to their lifetime; GETDEL makes taking one atomic, so
 * two concurrent verifications cannot both consume the same nonce.
 */
@Injectable()
export class RedisChallengeStore implements ChallengeStore {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async save(challenge: Challenge): Promise<void> {
    const ttlMs = challenge.expiresAt.getTime() - challenge.issuedAt.getTime();
    await this.guard(this.redis.set(KEY(challenge.nonce), JSON.stringify(challenge), 'PX', ttlMs, 'NX'));
  }

  async take(nonce: string): Promise<Challenge | undefined> {
    return parse(await this.guard(this.redis.getdel(KEY(nonce))));
  }

  async peek(nonce: string): Promise<Challenge | undefined> {
    return parse(await this.guard(this.redis.get(KEY(nonce))));
  }

  /** Redis unavailable is the caller's 503, not a 500. */
  private async guard<T>(op: Promise<T>): Promise<T> {
    try {
      return await op;
    } catch (error) {
      throw new DomainError(ErrorCode.DependencyUnavailable, `redis: ${(error as Error).message}`);
    }
  }
}

function parse(raw: string | null): Challenge | undefined {
  if (!raw) return undefined;
  const v = JSON.parse(raw) as { nonce: string; audience: string; issuedAt: string; expiresAt: string };
  return { nonce: v.nonce, audience: v.audience, issuedAt: new Date(v.issuedAt), expiresAt: new Date(v.expiresAt) };
}
