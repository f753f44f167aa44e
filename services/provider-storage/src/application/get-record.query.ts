import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode } from '@carechain/contracts';
import { DomainError } from '@carechain/platform';
import type { StoredRecord } from '../domain/stored-record';
import { RECORD_STORE, type RecordStore } from './ports';

/**
 * Reads a record version. Without a version: the newest committed one, since a version is
 * visible only once its PPR is anchored. With a version: that version in whatever state, so an
 * uploader can follow it (the controller leaves out the sealed bytes while it is pending).
 */
@Injectable()
export class GetRecordQuery {
  constructor(@Inject(RECORD_STORE) private readonly records: RecordStore) {}

  async execute(recordId: string, version?: number): Promise<StoredRecord> {
    const record = await this.records.find(recordId, version, version === undefined ? 'committed' : undefined);
    if (record) return record;
    if (version === undefined && (await this.records.find(recordId))) {
      throw new DomainError(ErrorCode.NotFound, `record ${recordId} has no committed version yet: its PPR is not anchored`);
    }
    throw new DomainError(ErrorCode.NotFound, `record ${recordId}${version === undefined ? '' : ` version ${version}`} not found`);
  }
}
