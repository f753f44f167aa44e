import type { RecordAnchor, RecordFailure, RecordPprRequest, StoredRecord } from '../domain/stored-record';

/** Sealed records, with the PPR request kept pending in the same document until sent. */
export interface RecordStore {
  /** Inserts a new version; false if that record version already exists. */
  insertPending(record: StoredRecord): Promise<boolean>;
  /** A version, or the newest version in `state` when no version is given. */
  find(recordId: string, version?: number, state?: StoredRecord['state']): Promise<StoredRecord | undefined>;
  /** The version whose PPR has this id (pprIds are unique per provider, record and version). */
  findByPprId(pprId: string): Promise<StoredRecord | undefined>;
  markRequested(recordId: string, version: number): Promise<void>;
  unrequested(olderThan: Date, limit: number): Promise<StoredRecord[]>;
  /** Marks the version committed at `anchor`, unless that block was revoked meanwhile; false if it was. */
  commit(pprId: string, anchor: RecordAnchor): Promise<boolean>;
  /** Back to pending if still committed at `blockHash`; the block is remembered as revoked either way. */
  revokeAnchor(pprId: string, blockHash: string): Promise<void>;
  /** Pending → failed with its failure; false if the version was not pending. */
  markFailed(pprId: string, failure: RecordFailure): Promise<boolean>;
  /** Failed → pending, with its PPR request due again (the outbox); false if it was not failed. */
  retryFailed(recordId: string, version: number): Promise<boolean>;
}

export interface PprRequests {
  request(record: StoredRecord, operation: RecordPprRequest): Promise<void>;
}

/** record.committed.v1 for a version whose PPR is anchored. */
export interface RecordEvents {
  committed(record: StoredRecord, provider: string): Promise<void>;
  /** record.failed.v1 for a version whose PPR request the relay refused. */
  failed(record: StoredRecord, failure: RecordFailure, provider: string): Promise<void>;
}

/** Counts what anchor notices did, for operators (`provider_storage_anchor_notices_total`). */
export interface AnchorNoticeMetrics {
  notice(event: 'anchored' | 'reorged' | 'refused', outcome: string): void;
}

export const RECORD_STORE = Symbol('RECORD_STORE');
export const PPR_REQUESTS = Symbol('PPR_REQUESTS');
export const RECORD_EVENTS = Symbol('RECORD_EVENTS');
export const ANCHOR_NOTICE_METRICS = Symbol('ANCHOR_NOTICE_METRICS');
