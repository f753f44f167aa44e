import { getBytes, keccak256, concat } from 'ethers';
import fc from 'fast-check';
import { operationLeafHash } from '../batch/batch-tree';
import { PprOperation, PprOperationKind } from '../batch/ppr-operation';
import { EMPTY_PATIENT_HEAD, extendPatientHead, foldPatientChain, materialiseSummary } from './patient-chain';

const id = (n: number) => `0x${n.toString(16).padStart(32, '0')}`;
const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
const op = (kind: PprOperationKind, ppr: number, extra: Partial<PprOperation> = {}): PprOperation => ({
  kind,
  pprId: id(ppr),
  patient: 1,
  provider: 2,
  pprHash: hash(ppr),
  ...extra,
});

describe('patient chain', () => {
  it('is keccak256(head ‖ leaf) folded from zero', () => {
    const ops = [op(PprOperationKind.Add, 1), op(PprOperationKind.Add, 2)];
    const h1 = getBytes(keccak256(concat([new Uint8Array(32), operationLeafHash(ops[0])])));
    const h2 = getBytes(keccak256(concat([h1, operationLeafHash(ops[1])])));
    expect(foldPatientChain(ops)).toEqual(h2);
    expect(foldPatientChain([])).toEqual(EMPTY_PATIENT_HEAD);
  });

  it('folds incrementally: a chain resumed from an intermediate head equals the whole fold', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 20 }), fc.nat(), (ids, cut) => {
        const ops = ids.map((n) => op(PprOperationKind.Add, n));
        const k = cut % (ops.length + 1);
        expect(foldPatientChain(ops.slice(k), foldPatientChain(ops.slice(0, k)))).toEqual(foldPatientChain(ops));
      }),
    );
  });

  it('depends on order: swapping two different operations changes the head', () => {
    const a = op(PprOperationKind.Add, 1);
    const b = op(PprOperationKind.Add, 2);
    expect(foldPatientChain([a, b])).not.toEqual(foldPatientChain([b, a]));
    expect(extendPatientHead(EMPTY_PATIENT_HEAD, operationLeafHash(a))).not.toEqual(EMPTY_PATIENT_HEAD);
  });
});

describe('materialiseSummary', () => {
  it('applies add, modify, policy and delete in order', () => {
    const summary = materialiseSummary([
      op(PprOperationKind.Add, 1),
      op(PprOperationKind.Add, 2),
      op(PprOperationKind.Policy, 1, { pprHash: hash(99) }),
      op(PprOperationKind.Modify, 3, { replacedPprId: id(1) }),
      op(PprOperationKind.Delete, 2),
      op(PprOperationKind.Delete, 42),
      op(PprOperationKind.Modify, 5, { replacedPprId: id(77) }),
    ]);
    expect([...summary.keys()]).toEqual([id(3)]);
    expect(summary.get(id(3))).toEqual({ pprId: id(3), provider: 2, pprHash: hash(3), policyHash: hash(99), history: [id(1)] });
  });
});
