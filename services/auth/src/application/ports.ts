import type { Challenge } from '../domain/challenge';

/** Outstanding challenges; each can be taken exactly once. */
export interface ChallengeStore {
  save(challenge: Challenge): Promise<void>;
  /** Atomically removes and returns the challenge, or undefined if unknown, used or expired. */
  take(nonce: string): Promise<Challenge | undefined>;
  /** Reads without consuming. */
  peek(nonce: string): Promise<Challenge | undefined>;
}

export const CHALLENGE_STORE = Symbol('CHALLENGE_STORE');
