import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode } from '@carechain/contracts';
import { DomainError } from '@carechain/platform';
import type { AuditEntry } from '../domain/audit-entry';
import { AUDIT_LOG, type AuditLog } from './ports';

/** Reads the trail: one event by id, or a subject's events in order. */
@Injectable()
export class QueryTrailQuery {
  constructor(@Inject(AUDIT_LOG) private readonly log: AuditLog) {}

  async byEventId(eventId: string): Promise<AuditEntry> {
    const entry = await this.log.findByEventId(eventId);
    if (!entry) throw new DomainError(ErrorCode.NotFound, `no audit entry for event ${eventId}`);
    return entry;
  }

  bySubject(subject: string, limit: number, after?: Date): Promise<AuditEntry[]> {
    return this.log.findBySubject(subject.toLowerCase(), limit, after);
  }
}
