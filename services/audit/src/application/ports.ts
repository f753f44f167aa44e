import type { AuditEntry } from '../domain/audit-entry';

/** The append-only store of audit entries. */
export interface AuditLog {
  /** Appends the entry; returns false (and changes nothing) if its event id is already there. */
  append(entry: AuditEntry): Promise<boolean>;
  findByEventId(eventId: string): Promise<AuditEntry | undefined>;
  /** Entries for a subject, oldest first, after an optional cursor. */
  findBySubject(subject: string, limit: number, after?: Date): Promise<AuditEntry[]>;
}

export const AUDIT_LOG = Symbol('AUDIT_LOG');
