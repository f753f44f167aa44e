/**
 * @carechain/crypto — the cryptography Carechain's security rests on.
 * Each area lives in its own folder; see libs/crypto/README.md and docs/crypto.md.
 */
export * from './errors';
export * from './pairing';
export * from './abe';
export * from './aba';
export * from './envelope';
export * from './merkle';
export * from './keyword';
