import { Inject, Injectable, Logger } from '@nestjs/common';
import { ErrorCode } from '@carechain/contracts';
import { DomainError, SERVICE_CONFIG } from '@carechain/platform';
import type { StorageConfig } from '../config';
import { isRetryOfFailed } from '../domain/ppr-refusal';
import { pprHashOf, pprIdFor, pprRequestFor, type StoredRecord } from '../domain/stored-record';
import { PPR_REQUESTS, RECORD_STORE, type PprRequests, type RecordStore } from './ports';

export interface UploadRecordCommand {
  recordId: string;
  patient: string;
  version: number;
  sealed: Buffer;
}

/**
 * Accepts a sealed record version and asks for its PPR to be anchored (EHR add or modify,
 * steps 2–3 of the flow). The record stays pending, invisible to readers, until the anchor
 * arrives (ApplyAnchorNoticeUseCase); the PPR request is kept in the record's document until
 * the broker acknowledged it. Version v > 1 modifies version v − 1's link, so that version must
 * exist here: a gap would name a link the ledger has never seen. Uploading the same bytes of a
 * version the relay refused (state failed) asks again; any other existing version is a conflict.
 */
@Injectable()
export class UploadRecordUseCase {
  private readonly logger = new Logger(UploadRecordUseCase.name);

  constructor(
    @Inject(RECORD_STORE) private readonly records: RecordStore,
    @Inject(PPR_REQUESTS) private readonly pprs: PprRequests,
    @Inject(SERVICE_CONFIG) private readonly config: StorageConfig,
  ) {}

  async execute(command: UploadRecordCommand, now = new Date()): Promise<StoredRecord> {
    if (command.sealed.length > this.config.MAX_RECORD_BYTES) {
      throw new DomainError(ErrorCode.PayloadTooLarge, `sealed record exceeds ${this.config.MAX_RECORD_BYTES} bytes`);
    }
    if (command.version > 1 && !(await this.records.find(command.recordId, command.version - 1))) {
      throw new DomainError(
        ErrorCode.Conflict,
        `record ${command.recordId} has no version ${command.version - 1}; version ${command.version} would replace it`,
      );
    }
    let record: StoredRecord = {
      ...command,
      patient: command.patient.toLowerCase(),
      pprId: pprIdFor(this.config.PROVIDER_ADDRESS, command.recordId, command.version),
      pprHash: pprHashOf(command.sealed),
      state: 'pending',
      receivedAt: now,
    };
    if (!(await this.records.insertPending(record))) {
      const existing = await this.records.find(record.recordId, record.version);
      if (!existing || !isRetryOfFailed(existing, record) || !(await this.records.retryFailed(record.recordId, record.version))) {
        throw new DomainError(ErrorCode.Conflict, `record ${command.recordId} version ${command.version} already exists`);
      }
      // The same bytes of a version the relay refused: ask again, from the stored version.
      const { failure: _refused, ...kept } = existing;
      record = { ...kept, state: 'pending' };
    }
    try {
      await this.pprs.request(record, pprRequestFor(this.config.PROVIDER_ADDRESS, record));
      await this.records.markRequested(record.recordId, record.version);
    } catch (error) {
      this.logger.warn(`ppr request for ${record.recordId}@${record.version} left in the outbox: ${(error as Error).message}`);
    }
    return record;
  }
}
