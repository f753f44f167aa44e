import { isExpired, newChallenge } from './challenge';

describe('challenge', () => {
  it('expires exactly after its time to live', () => {
    const now = new Date('2026-11-28T10:00:00Z');
    const challenge = newChallenge('n', 'provider-a', now, 60);
    expect(challenge.expiresAt.toISOString()).toBe('2026-11-28T10:01:00.000Z');
    expect(isExpired(challenge, new Date('2026-11-28T10:00:59.999Z'))).toBe(false);
    expect(isExpired(challenge, new Date('2026-11-28T10:01:00Z'))).toBe(true);
  });
});
