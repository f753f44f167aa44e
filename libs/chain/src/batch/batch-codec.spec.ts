import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { ChainError, ChainErrorCode } from '../errors';
import { batchByteLength, decodeBatch, encodeBatch, encodeLeafData, takeBatch } from './batch-codec';
import { GROUP_HEADER_BYTES, MalformedBatchReason, MAX_GROUP_OPERATIONS, OPERATION_BYTES } from './batch-layout';
import { BatchTree } from './batch-tree';
import { PprOperation, PprOperationKind } from './ppr-operation';

const hexOf = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((b) => `0x${Buffer.from(b).toString('hex')}`);
const index = fc.integer({ min: 1, max: 0xffffffff });

const operation: fc.Arbitrary<PprOperation> = fc
  .record({
    kind: fc.constantFrom(PprOperationKind.Add, PprOperationKind.Modify, PprOperationKind.Delete, PprOperationKind.Policy),
    pprId: hexOf(16),
    patient: fc.oneof(fc.integer({ min: 1, max: 5 }), index),
    provider: index,
    pprHash: hexOf(32),
    replaced: hexOf(16),
  })
  .map(({ replaced, ...op }) => (op.kind === PprOperationKind.Modify ? { ...op, replacedPprId: replaced } : op));

const operations = fc.array(operation, { minLength: 1, maxLength: 60 });

function expectChainError(fn: () => unknown, code: ChainErrorCode): ChainError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ChainError);
    expect((err as ChainError).code).toBe(code);
    return err as ChainError;
  }
  throw new Error('expected a ChainError');
}

describe('encodeBatch / decodeBatch', () => {
  it('round-trips any batch: decoding the bytes gives the operations in leaf order', () => {
    fc.assert(
      fc.property(operations, (ops) => {
        const encoded = encodeBatch(ops);
        expect(decodeBatch(encoded.data)).toEqual(encoded.operations);
        expect(decodeBatch(`0x${Buffer.from(encoded.data).toString('hex')}`)).toEqual(encoded.operations);
      }),
    );
  });

  it('keeps every operation, and each patient’s operations in their original order', () => {
    fc.assert(
      fc.property(operations, (ops) => {
        const { operations: ordered } = encodeBatch(ops);
        expect(ordered).toHaveLength(ops.length);
        for (const patient of new Set(ops.map((o) => o.patient))) {
          expect(ordered.filter((o) => o.patient === patient).map((o) => o.pprId)).toEqual(
            ops.filter((o) => o.patient === patient).map((o) => o.pprId),
          );
        }
      }),
    );
  });

  it('writes one group header per patient and exactly batchByteLength bytes', () => {
    fc.assert(
      fc.property(operations, (ops) => {
        const { data } = encodeBatch(ops);
        const patients = new Set(ops.map((o) => o.patient)).size;
        const modifies = ops.filter((o) => o.kind === PprOperationKind.Modify).length;
        expect(data.length).toBe(batchByteLength(ops));
        expect(data.length).toBe(patients * GROUP_HEADER_BYTES + ops.length * OPERATION_BYTES + modifies * 16);
      }),
    );
  });

  it('splits a patient with more than 65,535 operations into several groups', () => {
    const op: PprOperation = { kind: PprOperationKind.Add, pprId: `0x${'ab'.repeat(16)}`, patient: 7, provider: 1, pprHash: `0x${'cd'.repeat(32)}` };
    const ops = Array.from({ length: MAX_GROUP_OPERATIONS + 1 }, () => op);
    const { data } = encodeBatch(ops, Number.MAX_SAFE_INTEGER);
    expect(data.length).toBe(2 * GROUP_HEADER_BYTES + ops.length * OPERATION_BYTES);
    expect(decodeBatch(data)).toHaveLength(ops.length);
  });

  it('puts fields where the contract reads them', () => {
    const op: PprOperation = {
      kind: PprOperationKind.Modify,
      pprId: `0x${'11'.repeat(16)}`,
      patient: 0x01020304,
      provider: 0x0a0b0c0d,
      pprHash: `0x${'22'.repeat(32)}`,
      replacedPprId: `0x${'33'.repeat(16)}`,
    };
    const hex = Buffer.from(encodeBatch([op]).data).toString('hex');
    expect(hex).toBe(`01020304` + `0001` + `01` + '11'.repeat(16) + '0a0b0c0d' + '22'.repeat(32) + '33'.repeat(16));
    expect(Buffer.from(encodeLeafData(op)).toString('hex')).toBe(`01020304` + `01` + '11'.repeat(16) + '0a0b0c0d' + '22'.repeat(32) + '33'.repeat(16));
    expect(Buffer.from(encodeLeafData({ ...op, kind: PprOperationKind.Add, replacedPprId: undefined })).toString('hex')).toBe(
      `01020304` + `00` + '11'.repeat(16) + '0a0b0c0d' + '22'.repeat(32) + '00'.repeat(16),
    );
  });

  it.each<[string, Partial<PprOperation>]>([
    ['an unknown kind', { kind: 9 as PprOperationKind }],
    ['a short pprId', { pprId: '0x1234' }],
    ['a non-hex pprHash', { pprHash: `0x${'zz'.repeat(32)}` }],
    ['patient 0', { patient: 0 }],
    ['a fractional provider', { provider: 1.5 }],
    ['a provider beyond uint32', { provider: 2 ** 32 }],
    ['modify without replacedPprId', { kind: PprOperationKind.Modify }],
    ['replacedPprId on an add', { replacedPprId: `0x${'00'.repeat(16)}` }],
  ])('rejects %s with InvalidOperation', (_name, patch) => {
    const op: PprOperation = { kind: PprOperationKind.Add, pprId: `0x${'ab'.repeat(16)}`, patient: 1, provider: 1, pprHash: `0x${'cd'.repeat(32)}`, ...patch };
    expectChainError(() => encodeBatch([op]), ChainErrorCode.InvalidOperation);
  });

  it('rejects an empty batch and one over the byte limit', () => {
    expectChainError(() => encodeBatch([]), ChainErrorCode.InvalidOperation);
    const op: PprOperation = { kind: PprOperationKind.Add, pprId: `0x${'ab'.repeat(16)}`, patient: 1, provider: 1, pprHash: `0x${'cd'.repeat(32)}` };
    const err = expectChainError(() => encodeBatch([op, op], GROUP_HEADER_BYTES + OPERATION_BYTES), ChainErrorCode.BatchTooLarge);
    expect(err.details).toEqual({ size: GROUP_HEADER_BYTES + 2 * OPERATION_BYTES, maxBytes: GROUP_HEADER_BYTES + OPERATION_BYTES });
  });

  it('never throws anything but a ChainError(MalformedBatch) on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          const ops = decodeBatch(bytes);
          expect(encodeBatch(ops, Number.MAX_SAFE_INTEGER).data.length).toBeLessThanOrEqual(bytes.length);
        } catch (err) {
          expect(err).toBeInstanceOf(ChainError);
          expect((err as ChainError).code).toBe(ChainErrorCode.MalformedBatch);
        }
      }),
    );
  });

  it('reports the contract’s reason and offset for each layout violation', () => {
    const op: PprOperation = { kind: PprOperationKind.Modify, pprId: `0x${'ab'.repeat(16)}`, patient: 1, provider: 1, pprHash: `0x${'cd'.repeat(32)}`, replacedPprId: `0x${'ef'.repeat(16)}` };
    const good = encodeBatch([op]).data;
    const cases: [Uint8Array, number, number][] = [
      [new Uint8Array(0), MalformedBatchReason.Empty, 0],
      [good.slice(0, 4), MalformedBatchReason.GroupHeader, 0],
      [Uint8Array.from([0, 0, 0, 0, 0, 1, ...good.slice(6)]), MalformedBatchReason.Patient, 0],
      [Uint8Array.from([0, 0, 0, 1, 0, 0]), MalformedBatchReason.GroupSize, 0],
      [good.slice(0, 40), MalformedBatchReason.Operation, 0],
      [good.slice(0, 6 + 53 + 8), MalformedBatchReason.Operation, 0],
      [Uint8Array.from([...good, 0, 0, 0, 2, 0, 3, ...good.slice(6)]), MalformedBatchReason.Provider, 6 + 69 + 6 + 69],
      [Uint8Array.from([...good.slice(0, 6), 4, ...good.slice(7)]), MalformedBatchReason.Kind, 6],
      [Uint8Array.from([...good.slice(0, 23), 0, 0, 0, 0, ...good.slice(27)]), MalformedBatchReason.Provider, 6],
    ];
    for (const [bytes, reason, offset] of cases) {
      const err = expectChainError(() => decodeBatch(bytes), ChainErrorCode.MalformedBatch);
      expect(err.details).toEqual({ reason, offset });
    }
    expectChainError(() => decodeBatch('0xabc'), ChainErrorCode.MalformedBatch);
  });
});

describe('takeBatch', () => {
  it('takes the longest prefix that fits, and what it takes encodes within the limit', () => {
    fc.assert(
      fc.property(operations, fc.integer({ min: 59, max: 2000 }), (ops, maxBytes) => {
        const { batch, rest } = takeBatch(ops, maxBytes);
        expect([...batch, ...rest]).toEqual(ops);
        if (batch.length > 0) expect(batchByteLength(batch)).toBeLessThanOrEqual(maxBytes);
        if (rest.length > 0) expect(batchByteLength([...batch, rest[0]])).toBeGreaterThan(maxBytes);
      }),
    );
  });
});

describe('BatchTree', () => {
  // The ledger's algorithm, transcribed: pair neighbours bottom-up, carry an odd last node.
  const sha = (...parts: Uint8Array[]) => {
    const h = createHash('sha256');
    parts.forEach((p) => h.update(p));
    return new Uint8Array(h.digest());
  };
  const contractRoot = (leaves: Uint8Array[]): Uint8Array => {
    let level: Uint8Array[] = leaves.map((l) => sha(Uint8Array.of(0), l));
    while (level.length > 1) {
      const next: Uint8Array[] = [];
      for (let i = 0; i + 1 < level.length; i += 2) next.push(sha(Uint8Array.of(1), level[i], level[i + 1]));
      if (level.length % 2 === 1) next.push(level[level.length - 1]);
      level = next;
    }
    return level[0];
  };

  it('has the root the contract computes (bottom-up) for every size, equal to the RFC 6962 recursive MTH', () => {
    fc.assert(
      fc.property(fc.array(operation, { minLength: 1, maxLength: 70 }), (ops) => {
        const { operations: ordered } = encodeBatch(ops);
        const tree = new BatchTree(ordered);
        expect(Buffer.from(tree.root)).toEqual(Buffer.from(contractRoot(ordered.map(encodeLeafData))));
      }),
      { numRuns: 60 },
    );
  });
});
