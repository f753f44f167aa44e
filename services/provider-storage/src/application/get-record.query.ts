import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode } from '@carechain/contracts';
import { DomainError } from '@carechain/platform';
import type { StoredRecord } from '../domain/stored-record';
import { RECORD_STORE, type RecordStore } from './ports';

/** Reads a record version (latest when no version is given). */
@Injectable()
export class GetRecordQuery {
  constructor(@Inject(RECORD_STORE) private readonly records: RecordStore) {}

  async execute(recordId: string, version?: number): Promise<StoredRecord> {
    const record = await this.records.find(recordId, version);
    if (!record) throw new DomainError(ErrorCode.NotFound, `record ${recordId} not found`);
    return record;
  }
}
