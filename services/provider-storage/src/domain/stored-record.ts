import { createHash } from 'node:crypto';

/**
 * A sealed record as a provider holds it. The provider never sees plaintext: `sealed` is the
 * signcrypted envelope {C1, C2, σ}. A record becomes visible (`committed`) only after its PPR
 * operation is anchored on chain.
 */
export interface StoredRecord {
  readonly recordId: string;
  readonly patient: string;
  readonly version: number;
  readonly sealed: Buffer;
  readonly pprId: string;
  readonly pprHash: string;
  readonly state: 'pending' | 'committed';
  readonly receivedAt: Date;
}

/**
 * The PPR id of a record version at a provider: SHA-256 over a domain tag and the fields that
 * identify it, so the same upload always maps to the same PPR (idempotent retries).
 */
export function pprIdFor(provider: string, recordId: string, version: number): string {
  return '0x' + createHash('sha256').update(`carechain/ppr-id/v1\0${provider.toLowerCase()}\0${recordId}\0${version}`).digest('hex');
}

/** The hash a PPR carries: SHA-256 of the exact sealed bytes it points to. */
export function pprHashOf(sealed: Buffer): string {
  return '0x' + createHash('sha256').update(sealed).digest('hex');
}
