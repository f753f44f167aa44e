import { createHash } from 'node:crypto';

/** Where a record version's PPR operation was anchored, as the relay announced it (k-confirmed). */
export interface RecordAnchor {
  readonly blockNumber: number;
  readonly blockHash: string;
  readonly txHash: string;
  readonly batchRoot: string;
  readonly leafIndex: number;
  readonly confirmations: number;
  readonly anchoredAt: Date;
}

/** Why a version's PPR operation was refused (the relay's dead-letter code and reason). */
export interface RecordFailure {
  readonly code: string;
  readonly reason: string;
  readonly failedAt: Date;
}

/**
 * A sealed record as a provider holds it. The provider never sees plaintext: `sealed` is the
 * signcrypted envelope {C1, C2, σ}. A record becomes visible (`committed`) only after its PPR
 * operation is anchored on chain, and goes back to `pending` if a reorg removes that anchor.
 */
export interface StoredRecord {
  readonly recordId: string;
  readonly patient: string;
  readonly version: number;
  readonly sealed: Buffer;
  readonly pprId: string;
  readonly pprHash: string;
  /** failed: the relay refused its PPR operation; a re-upload of the same bytes asks again. */
  readonly state: 'pending' | 'committed' | 'failed';
  readonly receivedAt: Date;
  /** Set while committed. */
  readonly anchor?: RecordAnchor;
  /** Set while failed. */
  readonly failure?: RecordFailure;
  /**
   * Blocks a reorg removed while this version was anchored in them. An announcement naming one
   * of them arrived late (the two topics are not ordered with each other) and is ignored.
   */
  readonly revokedBlockHashes?: readonly string[];
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

/** The ledger operation a record version asks for: version 1 adds a link, a later one replaces the previous version's. */
export type RecordPprRequest = { kind: 'add' } | { kind: 'modify'; replacedPprId: string };

/**
 * What a version's PPR request carries. pprIds are derived from provider, record and version,
 * so version v replaces exactly pprIdFor(provider, recordId, v − 1): the ledger's modify needs
 * the link it replaces, or the relay cannot anchor it.
 */
export function pprRequestFor(provider: string, record: Pick<StoredRecord, 'recordId' | 'version'>): RecordPprRequest {
  if (record.version === 1) return { kind: 'add' };
  return { kind: 'modify', replacedPprId: pprIdFor(provider, record.recordId, record.version - 1) };
}
