/**
 * The port between the signcryption envelope and multi-authority ABE.
 *
 * The envelope encrypts a record under a fresh 32-byte data key K (C1) and asks a
 * DataKeyWrapper to protect K under an access policy (C2). Keeping K independent of the ABE
 * ciphertext is what lets a policy change or an epoch rotation re-wrap K without touching C1.
 */
export interface DataKeyWrapper {
  /** Encrypts the 32-byte data key under `policy`; returns C2 in its versioned canonical encoding. */
  wrap(dataKey: Uint8Array, policy: string): Promise<Uint8Array>;
}

/** Recovers K from C2 with the attribute keys the unwrapper holds. */
export interface DataKeyUnwrapper {
  /** Returns the 32-byte data key, or throws a CryptoError (PolicyNotSatisfied, StaleEpoch, MalformedInput, ...). */
  unwrap(c2: Uint8Array): Promise<Uint8Array>;
}
