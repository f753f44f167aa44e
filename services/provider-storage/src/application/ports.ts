import type { StoredRecord } from '../domain/stored-record';

/** Sealed records, with the PPR request kept pending in the same document until sent. */
export interface RecordStore {
  /** Inserts a new version; false if that record version already exists. */
  insertPending(record: StoredRecord): Promise<boolean>;
  find(recordId: string, version?: number): Promise<StoredRecord | undefined>;
  markRequested(recordId: string, version: number): Promise<void>;
  unrequested(olderThan: Date, limit: number): Promise<StoredRecord[]>;
}

export interface PprRequests {
  request(record: StoredRecord, kind: 'add' | 'modify'): Promise<void>;
}

export const RECORD_STORE = Symbol('RECORD_STORE');
export const PPR_REQUESTS = Symbol('PPR_REQUESTS');
