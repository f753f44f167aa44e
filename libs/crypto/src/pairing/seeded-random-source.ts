import { createHash } from 'node:crypto';
import type { PairingRandomSource } from './scalar-field';

/**
 * A deterministic byte stream: SHA-256(seed ‖ counter) blocks. Only for tests, benchmarks
 * and cross-backend checks that need the same "randomness" on both backends; it is not a
 * CSPRNG for production keys.
 */
export function pairingSeededRandom(seed: string | Uint8Array): PairingRandomSource {
  const seedBytes = typeof seed === 'string' ? new TextEncoder().encode(seed) : seed;
  let counter = 0;
  let pool = new Uint8Array(0);
  return (length) => {
    while (pool.length < length) {
      const block = createHash('sha256').update(seedBytes).update(String(counter++)).digest();
      const next = new Uint8Array(pool.length + block.length);
      next.set(pool);
      next.set(block, pool.length);
      pool = next;
    }
    const out = pool.slice(0, length);
    pool = pool.slice(length);
    return out;
  };
}
