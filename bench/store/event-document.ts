import { randomBytes, randomUUID } from 'node:crypto';

/** Average number of events that share one patient, at every collection size. */
export const EVENTS_PER_PATIENT = 50;

const EVENT_TYPES = ['record.shared.v1', 'record.revoked.v1', 'ppr.requested.v1', 'ppr.anchored.v1', 'key.rotated.v1'];

/**
 * One document of the benchmark's event log, shaped like the records the services will store:
 * a unique `eventId` (UUID), a non-unique `patient` pseudonym, a type, a time and a payload of
 * about 300 bytes of base64 (as an encrypted envelope would be).
 */
export interface EventDocument {
  eventId: string;
  patient: string;
  type: string;
  time: Date;
  payload: string;
}

/**
 * The patient pseudonym of the `index`-th document of the event log. Consecutive runs of
 * EVENTS_PER_PATIENT documents share a patient, so a query by patient returns the same number
 * of documents at 1k and at 100k, and its time shows whether the non-unique index is used rather
 * than how large the answer is.
 */
export function patientOf(index: number): string {
  return `patient-${Math.floor(index / EVENTS_PER_PATIENT).toString().padStart(6, '0')}`;
}

/** Builds documents `from` .. `from + count - 1` of the event log. */
export function eventDocuments(from: number, count: number): EventDocument[] {
  const epoch = Date.UTC(2025, 0, 1);
  return Array.from({ length: count }, (_, k) => {
    const index = from + k;
    return {
      eventId: randomUUID(),
      patient: patientOf(index),
      type: EVENT_TYPES[index % EVENT_TYPES.length],
      time: new Date(epoch + index * 1000),
      // 225 random bytes are 300 base64 characters.
      payload: randomBytes(225).toString('base64'),
    };
  });
}
