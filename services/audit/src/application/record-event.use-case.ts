import { Inject, Injectable } from '@nestjs/common';
import type { AuditEntry } from '../domain/audit-entry';
import { AUDIT_LOG, type AuditLog } from './ports';

/** Files one event in the audit log, exactly once per event id. */
@Injectable()
export class RecordEventUseCase {
  constructor(@Inject(AUDIT_LOG) private readonly log: AuditLog) {}

  async execute(entry: AuditEntry): Promise<'recorded' | 'duplicate'> {
    return (await this.log.append(entry)) ? 'recorded' : 'duplicate';
  }
}
