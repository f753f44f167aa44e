import type { RelayOperation } from '../domain/relay-operation';
import { commitGasLimit } from './ethers-ledger.gateway';

/** A batch shape: `ops` operations over `patients` patients, `bytes` of calldata. */
function shape(ops: number, patients: number, bytes: number) {
  const operations = Array.from({ length: ops }, (_, i) => ({ patientIndex: (i % patients) + 1 }) as RelayOperation);
  return { operations, data: new Uint8Array(bytes) };
}

describe('commitGasLimit', () => {
  // Gas used on geth 1.11.6 as measured in docs/chain.md ("Gas"): ops, patients, batch bytes, gas.
  const measured: [string, number, number, number, number][] = [
    ['mixed, 1 op', 1, 1, 59, 72_726],
    ['mixed, 10 ops', 10, 10, 606, 150_808],
    ['mixed, 100 ops', 100, 50, 5_824, 583_049],
    ['mixed, 1,000 ops', 1_000, 50, 55_636, 2_159_067],
    ['mixed, full batch', 2_148, 50, 119_808, 4_186_229],
    ['add only, full batch', 2_258, 50, 119_974, 4_262_014],
    ["mixed, patients' first ops ever", 1_000, 50, 55_556, 3_029_504],
    ['one op per patient', 1_000, 1_000, 61_496, 8_691_367],
    ['one op per patient, first ever', 1_000, 1_000, 61_160, 25_785_224],
  ];

  it.each(measured)('covers the measured gas of %s', (_name, ops, patients, bytes, gas) => {
    expect(commitGasLimit(shape(ops, patients, bytes))).toBeGreaterThanOrEqual(BigInt(gas));
  });

  it('lets five full batches of 40 patients fit in a 30 M gas block', () => {
    expect(commitGasLimit(shape(2_190, 40, 120_000)) * 5n).toBeLessThanOrEqual(30_000_000n);
  });
});
