import type { StorageConfig } from '../config';
import { anchorAt, testHash as hash } from '../domain/record.fixtures';
import { ApplyAnchorNoticeUseCase } from './apply-anchor-notice.use-case';
import { ApplyPprRefusalUseCase } from './apply-ppr-refusal.use-case';
import { GetRecordQuery } from './get-record.query';
import { InMemoryRecordStore, RecordingMetrics, RecordingPprRequests, RecordingRecordEvents } from './record-store.fake';
import { UploadRecordUseCase } from './upload-record.use-case';

const PROVIDER = '0x' + 'b'.repeat(40);
const config = { PROVIDER_ADDRESS: PROVIDER, MAX_RECORD_BYTES: 1024 } as StorageConfig;

function world() {
  const store = new InMemoryRecordStore();
  const requests = new RecordingPprRequests();
  const events = new RecordingRecordEvents();
  const metrics = new RecordingMetrics();
  return {
    store,
    requests,
    events,
    metrics,
    upload: new UploadRecordUseCase(store, requests, config),
    notices: new ApplyAnchorNoticeUseCase(store, events, metrics, config),
    refusals: new ApplyPprRefusalUseCase(store, events, metrics, config),
    get: new GetRecordQuery(store),
  };
}
const patient = '0x' + 'a'.repeat(40);
const sealed = (s: string) => Buffer.from(s);

describe('uploading versions', () => {
  it('asks version 1 to be added and version 2 to replace version 1', async () => {
    const w = world();
    const v1 = await w.upload.execute({ recordId: 'r1', patient, version: 1, sealed: sealed('one') });
    const v2 = await w.upload.execute({ recordId: 'r1', patient, version: 2, sealed: sealed('two') });
    expect(w.requests.sent).toEqual([
      { pprId: v1.pprId, operation: { kind: 'add' } },
      { pprId: v2.pprId, operation: { kind: 'modify', replacedPprId: v1.pprId } },
    ]);
  });

  it('refuses a version whose predecessor is not stored, with 409 CONFLICT, and stores nothing', async () => {
    const w = world();
    await w.upload.execute({ recordId: 'r1', patient, version: 1, sealed: sealed('one') });
    await expect(w.upload.execute({ recordId: 'r1', patient, version: 3, sealed: sealed('three') })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('no version 2'),
    });
    expect(w.store.docs).toHaveLength(1);
    expect(w.requests.sent).toHaveLength(1);
  });
});

describe('anchor notices', () => {
  it('commits a version once its PPR is anchored, publishes record.committed, and only then serves it as the latest', async () => {
    const w = world();
    const v1 = await w.upload.execute({ recordId: 'r1', patient, version: 1, sealed: sealed('one') });
    await expect(w.get.execute('r1')).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('no committed version') });

    await expect(w.notices.anchored({ pprId: v1.pprId, provider: PROVIDER.toUpperCase().replace('0X', '0x'), kind: 'add', pprHash: v1.pprHash, anchor: anchorAt(7) })).resolves.toBe(
      'commit',
    );
    expect(await w.get.execute('r1')).toMatchObject({ version: 1, state: 'committed', anchor: anchorAt(7) });
    expect(w.events.published.map((r) => [r.recordId, r.version, r.anchor?.blockNumber])).toEqual([['r1', 1, 7]]);

    // Version 2 is pending: the latest committed is still version 1.
    await w.upload.execute({ recordId: 'r1', patient, version: 2, sealed: sealed('two') });
    expect((await w.get.execute('r1')).version).toBe(1);
    expect((await w.get.execute('r1', 2)).state).toBe('pending');
    expect(w.metrics.seen).toEqual(['anchored:commit']);
  });

  it('republishes on a redelivery without changing the version', async () => {
    const w = world();
    const v1 = await w.upload.execute({ recordId: 'r1', patient, version: 1, sealed: sealed('one') });
    const notice = { pprId: v1.pprId, kind: 'add', pprHash: v1.pprHash, anchor: anchorAt(7) };
    await w.notices.anchored(notice);
    await expect(w.notices.anchored(notice)).resolves.toBe('already-committed');
    expect(w.events.published).toHaveLength(2);
    expect((await w.get.execute('r1')).anchor?.blockNumber).toBe(7);
  });

  it('skips another provider\'s PPR, a foreign hash and a policy change without touching anything', async () => {
    const w = world();
    const v1 = await w.upload.execute({ recordId: 'r1', patient, version: 1, sealed: sealed('one') });
    await expect(w.notices.anchored({ pprId: hash(77), kind: 'add', pprHash: hash(78), anchor: anchorAt(7) })).resolves.toBe('not-ours');
    // Named for another provider: skipped even though the pprId is one of ours (never looked up).
    const other = '0x' + 'c'.repeat(40);
    await expect(w.notices.anchored({ pprId: v1.pprId, provider: other, kind: 'add', pprHash: v1.pprHash, anchor: anchorAt(7) })).resolves.toBe('not-ours');
    await expect(w.notices.reorged({ pprId: v1.pprId, provider: other, kind: 'add', pprHash: v1.pprHash, previousBlockHash: hash(5) })).resolves.toBe('not-ours');
    await expect(w.notices.anchored({ pprId: v1.pprId, kind: 'add', pprHash: hash(78), anchor: anchorAt(7) })).resolves.toBe('hash-mismatch');
    await expect(w.notices.anchored({ pprId: v1.pprId, kind: 'policy', pprHash: hash(79), anchor: anchorAt(7) })).resolves.toBe('not-a-version-operation');
    expect((await w.get.execute('r1', 1)).state).toBe('pending');
    expect(w.events.published).toHaveLength(0);
  });

  it('hides a version again when a reorg withdraws its block, and commits it at the re-anchor', async () => {
    const w = world();
    const v1 = await w.upload.execute({ recordId: 'r1', patient, version: 1, sealed: sealed('one') });
    await w.notices.anchored({ pprId: v1.pprId, kind: 'add', pprHash: v1.pprHash, anchor: anchorAt(7) });
    await expect(w.notices.reorged({ pprId: v1.pprId, kind: 'add', pprHash: v1.pprHash, previousBlockHash: anchorAt(7).blockHash })).resolves.toBe('revert');
    expect((await w.get.execute('r1', 1)).state).toBe('pending');
    await expect(w.get.execute('r1')).rejects.toMatchObject({ code: 'NOT_FOUND' });

    await expect(w.notices.anchored({ pprId: v1.pprId, kind: 'add', pprHash: v1.pprHash, anchor: anchorAt(9) })).resolves.toBe('commit');
    expect(await w.get.execute('r1')).toMatchObject({ state: 'committed', anchor: { blockNumber: 9 } });
  });

  it('ignores an announcement of a withdrawn block that arrives after the reorg notice', async () => {
    const w = world();
    const v1 = await w.upload.execute({ recordId: 'r1', patient, version: 1, sealed: sealed('one') });
    await expect(w.notices.reorged({ pprId: v1.pprId, kind: 'add', pprHash: v1.pprHash, previousBlockHash: anchorAt(7).blockHash })).resolves.toBe('remember-revoked');
    await expect(w.notices.anchored({ pprId: v1.pprId, kind: 'add', pprHash: v1.pprHash, anchor: anchorAt(7) })).resolves.toBe('revoked-anchor');
    expect((await w.get.execute('r1', 1)).state).toBe('pending');
    expect(w.events.published).toHaveLength(0);
  });
});

describe('relay refusals', () => {
  const refusal = (pprId: string, at = '2026-11-28T10:00:00Z') => ({ pprId, code: 'UNKNOWN_PATIENT', reason: 'not a registered pseudonym', failedAt: new Date(at) });

  it('fails a pending version with the relay\'s code, publishes record.failed, and takes the same bytes again as a retry', async () => {
    const w = world();
    const v1 = await w.upload.execute({ recordId: 'r1', patient, version: 1, sealed: sealed('one') });
    await expect(w.refusals.execute(refusal(v1.pprId))).resolves.toBe('fail');
    expect(await w.get.execute('r1', 1)).toMatchObject({ state: 'failed', failure: { code: 'UNKNOWN_PATIENT' } });
    expect(w.events.failures.map((r) => [r.recordId, r.failure?.code])).toEqual([['r1', 'UNKNOWN_PATIENT']]);
    // A redelivery republishes (same failure, same event id downstream) and changes nothing.
    await expect(w.refusals.execute(refusal(v1.pprId))).resolves.toBe('already-failed');
    expect(w.events.failures).toHaveLength(2);

    // Other bytes or another patient for that version are still a conflict.
    await expect(w.upload.execute({ recordId: 'r1', patient, version: 1, sealed: sealed('other') })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(w.upload.execute({ recordId: 'r1', patient: '0x' + 'c'.repeat(40), version: 1, sealed: sealed('one') })).rejects.toMatchObject({ code: 'CONFLICT' });
    // The same bytes ask again: pending, the request re-sent, and the anchor then commits it.
    const retried = await w.upload.execute({ recordId: 'r1', patient, version: 1, sealed: sealed('one') });
    expect(retried).toMatchObject({ state: 'pending', pprId: v1.pprId });
    expect(retried).not.toHaveProperty('failure');
    expect(w.requests.sent.map((r) => r.pprId)).toEqual([v1.pprId, v1.pprId]);
    await expect(w.notices.anchored({ pprId: v1.pprId, kind: 'add', pprHash: v1.pprHash, anchor: anchorAt(7) })).resolves.toBe('commit');
    expect(await w.get.execute('r1')).toMatchObject({ state: 'committed' });
    expect(w.metrics.seen).toEqual(['refused:fail', 'refused:already-failed', 'anchored:commit']);
  });

  it('ignores a refusal of a version already committed, and of another provider\'s PPR', async () => {
    const w = world();
    const v1 = await w.upload.execute({ recordId: 'r1', patient, version: 1, sealed: sealed('one') });
    await w.notices.anchored({ pprId: v1.pprId, kind: 'add', pprHash: v1.pprHash, anchor: anchorAt(7) });
    await expect(w.refusals.execute(refusal(v1.pprId))).resolves.toBe('stale');
    await expect(w.refusals.execute(refusal(hash(77)))).resolves.toBe('not-ours');
    expect((await w.get.execute('r1')).state).toBe('committed');
    expect(w.events.failures).toHaveLength(0);
  });
});
