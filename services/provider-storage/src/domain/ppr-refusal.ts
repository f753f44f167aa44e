import type { StoredRecord } from './stored-record';

/**
 * What the relay refusing a version's PPR request (its dead-letter record) does to the version.
 * - fail: a pending version becomes failed, and `record.failed` tells the patient why;
 * - already-failed: a redelivery; the event is published again under the same id;
 * - stale: the version is committed (a refusal of an earlier request, e.g. before a retry that
 *   succeeded), so it changes nothing.
 */
export type RefusalVerdict = 'fail' | 'already-failed' | 'stale';

export function decideRefusal(record: Pick<StoredRecord, 'state'>): RefusalVerdict {
  if (record.state === 'pending') return 'fail';
  if (record.state === 'failed') return 'already-failed';
  return 'stale';
}

/**
 * Whether an upload of a version that exists asks again for a refused one: only the same bytes
 * (same PPR hash) for the same patient, of a failed version. Anything else is a conflict, as for
 * any existing version.
 */
export function isRetryOfFailed(existing: Pick<StoredRecord, 'state' | 'pprHash' | 'patient'>, upload: Pick<StoredRecord, 'pprHash' | 'patient'>): boolean {
  return existing.state === 'failed' && existing.pprHash === upload.pprHash && existing.patient === upload.patient;
}
