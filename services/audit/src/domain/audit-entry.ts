/**
 * One platform event as the audit log keeps it: the CloudEvent context, the validated data,
 * and where it was read from. Entries are never changed or removed.
 */
export interface AuditEntry {
  readonly eventId: string;
  readonly topic: string;
  readonly type: string;
  readonly source: string;
  /** Who or what the event is about; the trail is queried by it. */
  readonly subject: string;
  readonly time: Date;
  readonly data: Record<string, unknown>;
  readonly partition: number;
  readonly offset: string;
  readonly recordedAt: Date;
}

/**
 * The subject an event is filed under: its CloudEvents subject when set, else the patient or
 * address it names, else the Kafka key. Events about a patient are thereby always findable
 * by that patient's pseudonym.
 */
export function auditSubject(
  ceSubject: string | undefined,
  data: Record<string, unknown>,
  key: string | undefined,
): string {
  for (const candidate of [ceSubject, data['patient'], data['address'], key]) {
    if (typeof candidate === 'string' && candidate.length > 0) return candidate.toLowerCase();
  }
  return '(none)';
}
