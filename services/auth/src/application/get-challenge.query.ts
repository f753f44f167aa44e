import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode } from '@carechain/contracts';
import { DomainError } from '@carechain/platform';
import type { Challenge } from '../domain/challenge';
import { CHALLENGE_STORE, type ChallengeStore } from './ports';

/** Reads an outstanding challenge (for clients and for the proof verifier). */
@Injectable()
export class GetChallengeQuery {
  constructor(@Inject(CHALLENGE_STORE) private readonly store: ChallengeStore) {}

  async execute(nonce: string): Promise<Challenge> {
    const challenge = await this.store.peek(nonce);
    if (!challenge) throw new DomainError(ErrorCode.ChallengeExpired, 'unknown, used or expired challenge');
    return challenge;
  }
}
