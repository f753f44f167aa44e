/**
 * Every failure in @carechain/crypto is a CryptoError with a stable, machine-readable code.
 * Malformed input never crashes the caller with a TypeError or a WASM trap: it is caught at
 * the boundary and reported as one of these codes, which services map to 4xx responses.
 */
export const CryptoErrorCode = {
  /** Bytes, JSON or a string that does not decode to the expected structure. */
  MalformedInput: 'CRYPTO_MALFORMED_INPUT',
  /** A point that is not on the curve or not in the prime-order subgroup. */
  InvalidPoint: 'CRYPTO_INVALID_POINT',
  /** A policy string that does not parse, or names an unknown authority. */
  InvalidPolicy: 'CRYPTO_INVALID_POLICY',
  /** The presented attribute keys do not satisfy the ciphertext's policy. */
  PolicyNotSatisfied: 'CRYPTO_POLICY_NOT_SATISFIED',
  /** A key or ciphertext component belongs to an epoch other than the one required. */
  StaleEpoch: 'CRYPTO_STALE_EPOCH',
  /** A credential presented after its expiry. */
  CredentialExpired: 'CRYPTO_CREDENTIAL_EXPIRED',
  /** Authenticated decryption failed: the ciphertext or its associated data was altered. */
  DecryptionFailed: 'CRYPTO_DECRYPTION_FAILED',
  /** A signature does not verify, or verifies to an address that is not allowed. */
  InvalidSignature: 'CRYPTO_INVALID_SIGNATURE',
  /** A zero-knowledge proof or credential does not verify. */
  InvalidProof: 'CRYPTO_INVALID_PROOF',
  /** A Merkle inclusion or consistency proof does not verify. */
  InvalidMerkleProof: 'CRYPTO_INVALID_MERKLE_PROOF',
  /** A versioned encoding carries a version this build does not understand. */
  UnsupportedVersion: 'CRYPTO_UNSUPPORTED_VERSION',
  /** A pairing backend could not be loaded. */
  BackendUnavailable: 'CRYPTO_BACKEND_UNAVAILABLE',
} as const;
export type CryptoErrorCode = (typeof CryptoErrorCode)[keyof typeof CryptoErrorCode];

export class CryptoError extends Error {
  override readonly name = 'CryptoError';
  constructor(
    readonly code: CryptoErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
