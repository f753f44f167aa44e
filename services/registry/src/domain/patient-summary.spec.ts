import { foldPatientChain, materialiseSummary, PprOperationKind, type PprOperation } from '@carechain/chain';
import fc from 'fast-check';
import {
  appendTransaction,
  emptyPatientSummary,
  isPseudonym,
  liveLinks,
  summaryFromOperations,
  type AnchoredPprOperation,
  type PatientSummary,
} from './patient-summary';

const PATIENT = 7;
const PSEUDONYM = '0x00000000000000000000000000000000000000aA';
const hex = (n: number, bytes: number) => `0x${n.toString(16).padStart(bytes * 2, '0')}`;
const toHex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;

/** Operations over a small id pool, so replaces, deletes and policy swaps hit live links. */
const operationArb: fc.Arbitrary<PprOperation> = fc
  .record({
    kind: fc.constantFrom(PprOperationKind.Add, PprOperationKind.Modify, PprOperationKind.Delete, PprOperationKind.Policy),
    id: fc.integer({ min: 1, max: 8 }),
    replaced: fc.integer({ min: 1, max: 8 }),
    provider: fc.integer({ min: 1, max: 3 }),
    hash: fc.integer({ min: 1, max: 1_000_000 }),
  })
  .map(({ kind, id, replaced, provider, hash }) => ({
    kind,
    pprId: hex(id, 16),
    patient: PATIENT,
    provider,
    pprHash: hex(hash, 32),
    ...(kind === PprOperationKind.Modify ? { replacedPprId: hex(replaced, 16) } : {}),
  }));

/** Anchors each operation in its own position so a test can map an anchor back to its operation. */
function anchored(ops: readonly PprOperation[], txOf: (i: number) => string = (i) => hex(i + 1, 32)): AnchoredPprOperation[] {
  return ops.map((operation, i) => ({
    operation,
    anchor: {
      batchId: String(i + 1),
      batchRoot: hex(i + 1, 32),
      batchSize: ops.length,
      leafIndex: i,
      inclusionProof: [],
      blockNumber: 100 + i,
      blockHash: hex(1000 + i, 32),
      txHash: txOf(i),
      headAfter: hex(0, 32),
    },
  }));
}

/** Appends `ops` as transactions of the given sizes, with the logged head the chain would report. */
function appendAll(ops: AnchoredPprOperation[], sizes: number[]): PatientSummary {
  let summary = emptyPatientSummary(PATIENT, PSEUDONYM);
  let i = 0;
  let tx = 0;
  for (const size of sizes) {
    if (i >= ops.length) break;
    const slice = ops.slice(i, i + size).map((o) => ({ ...o, anchor: { ...o.anchor, txHash: hex(tx + 1, 32) } }));
    const logged = toHex(foldPatientChain(ops.slice(0, i + slice.length).map((o) => o.operation)));
    const outcome = appendTransaction(summary, hex(tx + 1, 32), slice, logged);
    if (outcome.kind !== 'applied') throw new Error(`unexpected ${outcome.kind}`);
    summary = outcome.summary;
    i += slice.length;
    tx++;
  }
  return summary;
}

describe('patient Summary', () => {
  it('starts empty at the zero head', () => {
    const s = emptyPatientSummary(PATIENT, PSEUDONYM);
    expect(s.head).toBe(`0x${'00'.repeat(32)}`);
    expect(s.pseudonym).toBe(PSEUDONYM.toLowerCase());
    expect(s.live).toEqual([]);
  });

  it('appending transactions in any split folds to the ledger head and equals a rebuild', () => {
    fc.assert(
      fc.property(fc.array(operationArb, { minLength: 1, maxLength: 40 }), fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 40, maxLength: 40 }), (ops, sizes) => {
        const all = anchored(ops);
        const summary = appendAll(all, sizes);
        expect(summary.head).toBe(toHex(foldPatientChain(ops)));
        expect(summary.operations.map((o) => o.operation)).toEqual(ops);
        const rebuilt = summaryFromOperations(summary, summary.operations);
        expect(rebuilt).toEqual(summary);
        // Every headAfter is the fold of the prefix ending at that operation.
        summary.operations.forEach((o, i) => expect(o.anchor.headAfter).toBe(toHex(foldPatientChain(ops.slice(0, i + 1)))));
      }),
      { numRuns: 150 },
    );
  });

  it('live links are exactly materialiseSummary, each anchored by the operation that gave it its state', () => {
    fc.assert(
      fc.property(fc.array(operationArb, { maxLength: 60 }), (ops) => {
        const all = anchored(ops);
        const links = liveLinks(all);
        const expected = materialiseSummary(ops);
        expect(new Set(links.map((l) => l.pprId))).toEqual(new Set(expected.keys()));
        for (const link of links) {
          const { linkedBy: _l, policyBy: _p, ...content } = link;
          expect(content).toEqual(expected.get(link.pprId));
          const linking = ops[link.linkedBy.leafIndex];
          expect(linking.pprId).toBe(link.pprId);
          expect([PprOperationKind.Add, PprOperationKind.Modify]).toContain(linking.kind);
          expect(linking.pprHash).toBe(link.pprHash);
          if (link.policyHash === undefined) expect(link.policyBy).toBeUndefined();
          else {
            const policy = ops[link.policyBy!.leafIndex];
            expect(policy.kind).toBe(PprOperationKind.Policy);
            expect(policy.pprHash).toBe(link.policyHash);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('links across providers: add, modify replaces with history, policy swaps, delete unlinks', () => {
    const id = (n: number) => hex(n, 16);
    const ops: PprOperation[] = [
      { kind: PprOperationKind.Add, pprId: id(1), patient: PATIENT, provider: 1, pprHash: hex(11, 32) },
      { kind: PprOperationKind.Add, pprId: id(2), patient: PATIENT, provider: 2, pprHash: hex(12, 32) },
      { kind: PprOperationKind.Add, pprId: id(3), patient: PATIENT, provider: 3, pprHash: hex(13, 32) },
      { kind: PprOperationKind.Policy, pprId: id(1), patient: PATIENT, provider: 1, pprHash: hex(99, 32) },
      { kind: PprOperationKind.Modify, pprId: id(4), patient: PATIENT, provider: 1, pprHash: hex(14, 32), replacedPprId: id(1) },
      { kind: PprOperationKind.Delete, pprId: id(2), patient: PATIENT, provider: 2, pprHash: hex(0, 32) },
    ];
    const summary = summaryFromOperations({ patientIndex: PATIENT, pseudonym: PSEUDONYM, version: 0 }, anchored(ops));
    expect(summary.live.map((l) => [l.pprId, l.provider, l.history, l.policyHash])).toEqual([
      [id(3), 3, [], undefined],
      [id(4), 1, [id(1)], hex(99, 32)],
    ]);
    expect(summary.live[1].linkedBy.leafIndex).toBe(4);
    expect(summary.live[1].policyBy?.leafIndex).toBe(3);
  });

  it('recognises a transaction it already holds, whatever the delivery order', () => {
    const all = anchored([{ kind: PprOperationKind.Add, pprId: hex(1, 16), patient: PATIENT, provider: 1, pprHash: hex(5, 32) }]);
    const summary = appendAll(all, [1]);
    const again = appendTransaction(summary, hex(1, 32).toUpperCase().replace('0X', '0x'), all, summary.head);
    expect(again.kind).toBe('duplicate');
  });

  it('reports divergence when the fold misses the logged head (a missed operation or a fork)', () => {
    const ops: PprOperation[] = [
      { kind: PprOperationKind.Add, pprId: hex(1, 16), patient: PATIENT, provider: 1, pprHash: hex(5, 32) },
      { kind: PprOperationKind.Add, pprId: hex(2, 16), patient: PATIENT, provider: 1, pprHash: hex(6, 32) },
    ];
    const all = anchored(ops);
    // The chain logged the head after both operations, but only the second reached us.
    const outcome = appendTransaction(emptyPatientSummary(PATIENT, PSEUDONYM), hex(9, 32), [all[1]], toHex(foldPatientChain(ops)));
    expect(outcome.kind).toBe('diverged');
  });

  it('refuses an operation of another patient', () => {
    const all = anchored([{ kind: PprOperationKind.Add, pprId: hex(1, 16), patient: PATIENT + 1, provider: 1, pprHash: hex(5, 32) }]);
    expect(() => appendTransaction(emptyPatientSummary(PATIENT, PSEUDONYM), hex(1, 32), all, hex(0, 32))).toThrow(RangeError);
  });

  it('accepts only 20-byte hex pseudonyms', () => {
    expect(isPseudonym(PSEUDONYM)).toBe(true);
    for (const bad of ['', '0x', 'abc', `0x${'g'.repeat(40)}`, `0x${'a'.repeat(39)}`, `0x${'a'.repeat(41)}`, `${'a'.repeat(42)}`]) {
      expect(isPseudonym(bad)).toBe(false);
    }
  });
});
