import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { SERVICE_CONFIG } from '@carechain/platform';
import type { AuthConfig } from '../config';
import { newChallenge, type Challenge } from '../domain/challenge';
import { CHALLENGE_STORE, type ChallengeStore } from './ports';

/** Issues a 256-bit single-use nonce for an audience. */
@Injectable()
export class IssueChallengeUseCase {
  constructor(
    @Inject(CHALLENGE_STORE) private readonly store: ChallengeStore,
    @Inject(SERVICE_CONFIG) private readonly config: AuthConfig,
  ) {}

  async execute(audience: string, now = new Date()): Promise<Challenge> {
    const challenge = newChallenge(randomBytes(32).toString('base64url'), audience, now, this.config.CHALLENGE_TTL_SECONDS);
    await this.store.save(challenge);
    return challenge;
  }
}
