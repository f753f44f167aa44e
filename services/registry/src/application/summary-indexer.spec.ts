import { BatchTree, foldPatientChain, PprOperationKind, type PprOperation } from '@carechain/chain';
import { emptyPatientSummary, summaryFromOperations, type AnchoredPprOperation, type PatientSummary } from '../domain/patient-summary';
import { operationsOf, SummaryIndexer } from './summary-indexer';
import {
  SummaryVersionConflict,
  type LedgerBatch,
  type LedgerReader,
  type RecomputedPatient,
  type SummaryIndexCursor,
  type SummaryStore,
} from './summary-ports';

const hex = (n: number, bytes: number) => `0x${n.toString(16).padStart(bytes * 2, '0')}`;
const toHex = (b: Uint8Array) => `0x${Buffer.from(b).toString('hex')}`;
let counter = 0;
const add = (patient: number, provider = 1): PprOperation => ({ kind: PprOperationKind.Add, pprId: hex(++counter, 16), patient, provider, pprHash: hex(counter, 32) });

interface Block {
  number: number;
  hash: string;
  batches: { txHash: string; ops: PprOperation[] }[];
}

/** An in-memory chain of blocks carrying ledger batches, with reorgs on demand. */
class FakeLedger implements LedgerReader {
  readonly ledgerAddress = '0x00000000000000000000000000000000000000ff';
  readonly deployBlock = 1;
  blocks: Block[] = [{ number: 0, hash: hex(0, 32), batches: [] }];
  private fork = 0;

  mine(...batches: PprOperation[][]): void {
    const number = this.blocks.length;
    this.blocks.push({ number, hash: hex(number * 1000 + this.fork, 32), batches: batches.map((ops, i) => ({ txHash: hex(number * 100 + i + this.fork * 7919, 32), ops })) });
  }
  /** Replaces every block from `height` on with a fork of `length` blocks carrying `batches` in its first block. */
  reorg(height: number, length: number, batches: PprOperation[][]): void {
    this.fork++;
    this.blocks = this.blocks.slice(0, height);
    this.mine(...batches);
    for (let i = 1; i < length; i++) this.mine();
  }
  async latestBlockNumber() {
    return this.blocks.length - 1;
  }
  async blockHash(n: number) {
    return this.blocks[n]?.hash;
  }
  async batchesBetween(from: number, to: number): Promise<LedgerBatch[]> {
    const out: LedgerBatch[] = [];
    for (const block of this.blocks.slice(from, to + 1)) {
      for (const { txHash, ops } of block.batches) {
        const tree = new BatchTree(ops);
        const heads = new Map<number, string>();
        for (const p of new Set(ops.map((o) => o.patient))) heads.set(p, toHex(foldPatientChain(this.opsOf(p, block.number, txHash))));
        out.push({
          txHash,
          blockNumber: block.number,
          blockHash: block.hash,
          batchId: String(block.number),
          batchRoot: toHex(tree.root),
          operations: ops,
          proofs: ops.map((_, i) => tree.proof(i).map(toHex)),
          loggedHeads: heads,
        });
      }
    }
    return out;
  }
  /** The patient's operations through block `through` (and, within it, through transaction `txHash`). */
  private opsOf(patient: number, through: number, txHash?: string): PprOperation[] {
    const ops: PprOperation[] = [];
    for (const block of this.blocks.slice(0, through + 1)) {
      for (const batch of block.batches) {
        ops.push(...batch.ops.filter((o) => o.patient === patient));
        if (block.number === through && batch.txHash === txHash) return ops;
      }
    }
    return ops;
  }
  async patientHeadAt(patient: number, n: number) {
    return toHex(foldPatientChain(this.opsOf(patient, n)));
  }
  async pseudonymOf(patient: number) {
    return hex(patient, 20);
  }
  async patientIndexOf(pseudonym: string) {
    return Number.parseInt(pseudonym.slice(2), 16) || undefined;
  }
  recomputations = 0;
  async recomputePatient(patient: number, atBlock: number): Promise<RecomputedPatient> {
    this.recomputations++;
    const operations: AnchoredPprOperation[] = [];
    for (const batch of await this.batchesBetween(0, atBlock)) operations.push(...operationsOf(batch, patient));
    const head = toHex(foldPatientChain(operations.map((o) => o.operation)));
    return { operations, head, headMatches: head === (await this.patientHeadAt(patient, atBlock)) };
  }
  /** What a verifier recomputes for the patient at `atBlock`. */
  async expected(patient: number, atBlock: number): Promise<PatientSummary> {
    const r = await this.recomputePatient(patient, atBlock);
    this.recomputations--;
    return summaryFromOperations({ patientIndex: patient, pseudonym: hex(patient, 20), version: 0 }, r.operations);
  }
}

/** An in-memory store with the same version rule as the Mongo one. */
class FakeStore implements SummaryStore {
  docs = new Map<number, PatientSummary>();
  saves: number[] = [];
  private cursorDoc?: SummaryIndexCursor;
  async findByPatientIndexes(indexes: readonly number[]) {
    return new Map(indexes.filter((i) => this.docs.has(i)).map((i) => [i, this.docs.get(i)!] as const));
  }
  async findByPseudonym(p: string) {
    return [...this.docs.values()].find((d) => d.pseudonym === p);
  }
  async save(summaries: readonly PatientSummary[]) {
    for (const s of summaries) if ((this.docs.get(s.patientIndex)?.version ?? 0) !== s.version) throw new SummaryVersionConflict('conflict');
    for (const s of summaries) this.docs.set(s.patientIndex, { ...s, version: s.version + 1 });
    this.saves.push(summaries.length);
  }
  async page(after: number, limit: number) {
    return [...this.docs.values()].filter((d) => d.patientIndex > after).sort((a, b) => a.patientIndex - b.patientIndex).slice(0, limit);
  }
  async cursor() {
    return this.cursorDoc;
  }
  async saveCursor(c: SummaryIndexCursor) {
    this.cursorDoc = c;
  }
}

const strip = (s: PatientSummary) => ({ ...s, version: 0 });

describe('SummaryIndexer', () => {
  let ledger: FakeLedger;
  let store: FakeStore;
  let indexer: SummaryIndexer;

  beforeEach(() => {
    ledger = new FakeLedger();
    store = new FakeStore();
    indexer = new SummaryIndexer(ledger, store, { confirmations: 2, maxBlocksPerStep: 100 });
  });

  it('indexes only confirmed blocks and writes each touched Summary once per step', async () => {
    ledger.mine([add(1), add(2), add(1, 2)], [add(3)]);
    ledger.mine([add(1, 3), add(2)]);
    ledger.mine();
    expect((await indexer.indexStep()).indexedThrough).toBe(1);
    expect(store.saves).toEqual([3]);
    ledger.mine();
    ledger.mine([add(4)]);
    const through = await indexer.catchUp();
    expect(through).toBe(3);
    expect(store.saves).toEqual([3, 2]);
    for (const p of [1, 2, 3]) expect(strip(store.docs.get(p)!)).toEqual(await ledger.expected(p, through));
    expect(store.docs.has(4)).toBe(false);
    expect(ledger.recomputations).toBe(0);
  });

  it('after a reorg deeper than its confirmations, rewinds, drops orphaned operations and indexes the winning fork', async () => {
    ledger.mine([add(1), add(2)]);
    ledger.mine([add(1)]);
    ledger.mine([add(2), add(3)]);
    for (let i = 0; i < 3; i++) ledger.mine();
    await indexer.catchUp();
    expect(store.docs.get(3)?.operations).toHaveLength(1);
    // Blocks 2.. are replaced: patient 1's second op and patient 3 vanish, patient 5 appears.
    ledger.reorg(2, 8, [[add(2), add(5)]]);
    const step = await indexer.indexStep();
    expect(step.reorgDetected).toBe(true);
    const through = await indexer.catchUp();
    for (const p of [1, 2, 3, 5]) expect(strip(store.docs.get(p)!)).toEqual(await ledger.expected(p, through));
    expect(store.docs.get(3)?.operations).toHaveLength(0);
  });

  it('re-reading a range it already holds changes nothing (at-least-once safe)', async () => {
    ledger.mine([add(1), add(2)]);
    for (let i = 0; i < 3; i++) ledger.mine();
    await indexer.catchUp();
    const before = store.docs.get(1);
    await store.saveCursor({ ledgerAddress: ledger.ledgerAddress, indexedThrough: 0, recent: [] });
    await indexer.catchUp();
    expect(store.docs.get(1)).toBe(before);
  });

  it('rebuilds a Summary that missed an operation, both on a later batch and on a head check', async () => {
    ledger.mine([add(1), add(1)]);
    for (let i = 0; i < 3; i++) ledger.mine();
    await indexer.catchUp();
    // Lose the last operation, as a missed event would.
    const stored = store.docs.get(1)!;
    store.docs.set(1, { ...summaryFromOperations(stored, stored.operations.slice(0, 1)), version: stored.version });
    const checked = await indexer.checkedAtCursor(async () => store.docs.get(1)!);
    expect(checked?.atBlock).toBe(2);
    expect(strip(checked!.summary)).toEqual(await ledger.expected(1, 2));
    expect(ledger.recomputations).toBe(1);

    // Again, but this time the next batch's logged head reveals the gap.
    store.docs.set(1, { ...summaryFromOperations(stored, stored.operations.slice(0, 1)), version: store.docs.get(1)!.version });
    ledger.mine([add(1)]);
    for (let i = 0; i < 3; i++) ledger.mine();
    const step = await indexer.catchUp();
    expect(strip(store.docs.get(1)!)).toEqual(await ledger.expected(1, step));
    expect(ledger.recomputations).toBe(2);
  });

  it('a read racing an indexing step sees the Summary and cursor of one moment (no spurious rebuild)', async () => {
    ledger.mine([add(1)]);
    for (let i = 0; i < 3; i++) ledger.mine();
    await indexer.catchUp();
    ledger.mine([add(1)]);
    for (let i = 0; i < 3; i++) ledger.mine();
    const step = indexer.indexStep();
    const read = indexer.checkedAtCursor(async () => store.docs.get(1)!);
    const [{ indexedThrough }, served] = await Promise.all([step, read]);
    expect(served?.atBlock).toBe(indexedThrough);
    expect(served?.summary.operations).toHaveLength(2);
    expect(ledger.recomputations).toBe(0);
  });

  it('a sweep finds and repairs every drifted Summary', async () => {
    ledger.mine([add(1), add(2), add(3)]);
    for (let i = 0; i < 3; i++) ledger.mine();
    await indexer.catchUp();
    store.docs.set(2, { ...emptyPatientSummary(2, hex(2, 20)), version: store.docs.get(2)!.version });
    expect(await indexer.sweep()).toBe(1);
    expect(strip(store.docs.get(2)!)).toEqual(await ledger.expected(2, (await indexer.cursor())!.indexedThrough));
  });
});
