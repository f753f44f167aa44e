/**
 * A verifier challenge: a random nonce that an attribute-based proof must be bound to, for
 * one audience, usable once, before it expires. Binding proofs to a fresh single-use nonce is
 * what makes a recorded proof worthless to replay.
 */
export interface Challenge {
  readonly nonce: string;
  readonly audience: string;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
}

export function newChallenge(nonce: string, audience: string, now: Date, ttlSeconds: number): Challenge {
  return { nonce, audience, issuedAt: now, expiresAt: new Date(now.getTime() + ttlSeconds * 1000) };
}

export function isExpired(challenge: Challenge, now: Date): boolean {
  return now.getTime() >= challenge.expiresAt.getTime();
}
