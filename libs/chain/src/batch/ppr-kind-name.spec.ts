import { PPR_KIND_NAMES, PprOperationKind, pprKindName, pprOperationKind } from './ppr-operation';

describe('PPR kind names', () => {
  it('names every ledger kind byte, and maps each name back to its byte', () => {
    const bytes = [PprOperationKind.Add, PprOperationKind.Modify, PprOperationKind.Delete, PprOperationKind.Policy];
    expect(bytes.map(pprKindName)).toEqual(['add', 'modify', 'delete', 'policy']);
    expect(PPR_KIND_NAMES.map(pprOperationKind)).toEqual(bytes);
  });
});
