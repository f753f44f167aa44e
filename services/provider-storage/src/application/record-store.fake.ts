import type { RecordAnchor, RecordFailure, RecordPprRequest, StoredRecord } from '../domain/stored-record';
import type { AnchorNoticeMetrics, PprRequests, RecordEvents, RecordStore } from './ports';

/** In-memory RecordStore for unit tests only; the Mongo store is exercised in the e2e tests. */
export class InMemoryRecordStore implements RecordStore {
  readonly docs: (StoredRecord & { pprRequested: boolean })[] = [];

  async insertPending(record: StoredRecord): Promise<boolean> {
    if (this.docs.some((d) => d.recordId === record.recordId && d.version === record.version)) return false;
    this.docs.push({ ...record, pprRequested: false });
    return true;
  }

  async find(recordId: string, version?: number, state?: StoredRecord['state']): Promise<StoredRecord | undefined> {
    return this.docs
      .filter((d) => d.recordId === recordId && (version === undefined || d.version === version) && (state === undefined || d.state === state))
      .sort((a, b) => b.version - a.version)[0];
  }

  async findByPprId(pprId: string): Promise<StoredRecord | undefined> {
    return this.docs.find((d) => d.pprId === pprId);
  }

  async markRequested(recordId: string, version: number): Promise<void> {
    this.replace((d) => d.recordId === recordId && d.version === version, (d) => ({ ...d, pprRequested: true }));
  }

  async unrequested(): Promise<StoredRecord[]> {
    return this.docs.filter((d) => !d.pprRequested);
  }

  async commit(pprId: string, anchor: RecordAnchor): Promise<boolean> {
    return this.replace(
      (d) => d.pprId === pprId && !(d.revokedBlockHashes ?? []).includes(anchor.blockHash),
      ({ failure: _gone, ...d }) => ({ ...d, state: 'committed', anchor }),
    );
  }

  async markFailed(pprId: string, failure: RecordFailure): Promise<boolean> {
    return this.replace((d) => d.pprId === pprId && d.state === 'pending', (d) => ({ ...d, state: 'failed', failure }));
  }

  async retryFailed(recordId: string, version: number): Promise<boolean> {
    return this.replace(
      (d) => d.recordId === recordId && d.version === version && d.state === 'failed',
      ({ failure: _gone, ...d }) => ({ ...d, state: 'pending', pprRequested: false }),
    );
  }

  async revokeAnchor(pprId: string, blockHash: string): Promise<void> {
    this.replace((d) => d.pprId === pprId, (d) => ({ ...d, revokedBlockHashes: [...new Set([...(d.revokedBlockHashes ?? []), blockHash])] }));
    this.replace(
      (d) => d.pprId === pprId && d.state === 'committed' && d.anchor?.blockHash === blockHash,
      ({ anchor: _gone, ...d }) => ({ ...d, state: 'pending' }),
    );
  }

  private replace(match: (d: StoredRecord) => boolean, change: (d: StoredRecord & { pprRequested: boolean }) => StoredRecord & { pprRequested: boolean }): boolean {
    const i = this.docs.findIndex(match);
    if (i < 0) return false;
    this.docs[i] = change(this.docs[i]);
    return true;
  }
}

export class RecordingPprRequests implements PprRequests {
  readonly sent: { pprId: string; operation: RecordPprRequest }[] = [];
  async request(record: StoredRecord, operation: RecordPprRequest): Promise<void> {
    this.sent.push({ pprId: record.pprId, operation });
  }
}

export class RecordingRecordEvents implements RecordEvents {
  readonly published: StoredRecord[] = [];
  readonly failures: StoredRecord[] = [];
  async committed(record: StoredRecord): Promise<void> {
    this.published.push(record);
  }
  async failed(record: StoredRecord, failure: RecordFailure): Promise<void> {
    this.failures.push({ ...record, failure });
  }
}

export class RecordingMetrics implements AnchorNoticeMetrics {
  readonly seen: string[] = [];
  notice(event: string, outcome: string): void {
    this.seen.push(`${event}:${outcome}`);
  }
}
