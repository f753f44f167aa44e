import { randomBytes } from 'node:crypto';
import { PprOperation, PprOperationKind } from '../batch/ppr-operation';

const hex = (n: number): string => `0x${randomBytes(n).toString('hex')}`;

/**
 * Random but well-formed operations for tests and benchmarks: random 16-byte ids and 32-byte
 * hashes (so calldata is as dense as real traffic), patients and providers drawn from the
 * given index lists, kinds in the given proportions (default 70% add, 15% modify, 10% delete,
 * 5% policy).
 */
export function randomOperations(
  count: number,
  patients: readonly number[],
  providers: readonly number[],
  mix: { modify?: number; delete?: number; policy?: number } = { modify: 0.15, delete: 0.1, policy: 0.05 },
): PprOperation[] {
  const ops: PprOperation[] = [];
  for (let i = 0; i < count; i++) {
    const patient = patients[i % patients.length];
    const provider = providers[Math.floor(Math.random() * providers.length)];
    const r = Math.random();
    const m = mix.modify ?? 0;
    const d = m + (mix.delete ?? 0);
    const p = d + (mix.policy ?? 0);
    const kind = r < m ? PprOperationKind.Modify : r < d ? PprOperationKind.Delete : r < p ? PprOperationKind.Policy : PprOperationKind.Add;
    const base = { kind, pprId: hex(16), patient, provider, pprHash: hex(32) };
    ops.push(kind === PprOperationKind.Modify ? { ...base, replacedPprId: hex(16) } : base);
  }
  return ops;
}
