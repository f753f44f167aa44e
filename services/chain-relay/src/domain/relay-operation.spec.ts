import { PprOperationKind } from '@carechain/chain';
import { relayOperation } from './relay-domain.fixtures';
import { ledgerPprId, operationId, toLedgerOperation } from './relay-operation';

describe('toLedgerOperation', () => {
  it('maps kinds to the ledger byte and 32-byte ids to their first 16 bytes', () => {
    const op = relayOperation(4, 'modify');
    const ledger = toLedgerOperation(op);
    expect(ledger.kind).toBe(PprOperationKind.Modify);
    expect(ledger.pprId).toBe(op.pprId.slice(0, 34));
    expect(ledger.replacedPprId).toBe(op.replacedPprId!.slice(0, 34));
    expect(ledger.patient).toBe(4);
    expect(toLedgerOperation(relayOperation(1, 'policy')).kind).toBe(PprOperationKind.Policy);
    expect(toLedgerOperation(relayOperation(1, 'delete')).replacedPprId).toBeUndefined();
  });

  it('refuses ids that are not 32 bytes of lower-case hex, and a modify without its replaced id', () => {
    expect(() => ledgerPprId('0x1234')).toThrow(RangeError);
    expect(() => ledgerPprId(`0x${'AB'.repeat(32)}`)).toThrow(RangeError);
    expect(() => toLedgerOperation({ ...relayOperation(1, 'modify'), replacedPprId: undefined })).toThrow(RangeError);
  });
});

describe('operationId', () => {
  it('is the pprId for add and modify, and tells a delete and each policy change of that pprId apart, within 91 characters', () => {
    const add = relayOperation(1);
    const policyA = { ...add, kind: 'policy' as const, pprHash: `0x${'aa'.repeat(32)}` };
    const policyB = { ...add, kind: 'policy' as const, pprHash: `0x${'bb'.repeat(32)}` };
    const remove = { ...add, kind: 'delete' as const };
    const ids = [add, policyA, policyB, remove].map(operationId);
    expect(ids[0]).toBe(add.pprId);
    expect(operationId(relayOperation(1, 'modify'))).toMatch(/^0x[0-9a-f]{64}$/);
    expect(new Set(ids).size).toBe(4);
    expect(operationId({ ...policyA })).toBe(ids[1]);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(91);
  });
});
