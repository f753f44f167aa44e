import type { AssembledBatch } from '../domain/anchor-batch';
import type { Fees } from '../domain/fee-bump';
import { relayOperation } from '../domain/relay-domain.fixtures';
import type { RelayOperation } from '../domain/relay-operation';
import type { AnchoredAnnouncement, BatchRecord, IntakeSource, LedgerGateway, Receipt, RelayStore, ReorgedAnnouncement } from './ports';
import { RelayEngine } from './relay-engine';

/** In-memory store: what was written, in order. */
class MemoryStore implements RelayStore {
  ops: RelayOperation[] = [];
  batches = new Map<string, BatchRecord>();
  intakes = new Map<string, IntakeSource>();
  marks = new Map<string, number>();
  async insertIntake(_relay: string, ops: readonly RelayOperation[], source?: IntakeSource) {
    if (source) {
      const id = `${source.group}:${source.topic}:${source.partition}:${source.firstOffset}`;
      const existing = this.intakes.get(id);
      if (existing) return { stored: false as const, lastOffset: existing.lastOffset };
      this.intakes.set(id, source);
    }
    this.ops.push(...ops);
    return { stored: true as const };
  }
  async loadOperations() {
    return [...this.ops];
  }
  async partitionMark(group: string, topic: string, partition: number) {
    return this.marks.get(`${group}:${topic}:${partition}`);
  }
  async savePartitionMark(group: string, topic: string, partition: number, next: number) {
    this.marks.set(`${group}:${topic}:${partition}`, next);
  }
  async saveBatch(batch: BatchRecord) {
    this.batches.set(batch.id, structuredClone(batch));
  }
  async loadBatches() {
    return [...this.batches.values()].map((b) => structuredClone(b));
  }
}

/** A chain the test moves by hand: heads, receipts and the txpool are plain fields. */
class FakeChain implements LedgerGateway {
  readonly account = '0x00000000000000000000000000000000000000aa';
  height = 10;
  hashes = new Map<number, string>();
  receipts = new Map<string, Receipt>();
  broadcasts: string[] = [];
  signed: { nonce: number; fees: Fees; size: number; hash: string }[] = [];
  counts = { latest: 0, pending: 0 };
  constructor(private readonly store: MemoryStore) {}
  hashAt(n: number) {
    return this.hashes.get(n) ?? `0xblock${n}`;
  }
  async head() {
    return { number: this.height, hash: this.hashAt(this.height) };
  }
  async blockHash(n: number) {
    return n <= this.height ? this.hashAt(n) : undefined;
  }
  async receipt(txHash: string) {
    return this.receipts.get(txHash);
  }
  async transactionCounts() {
    return this.counts;
  }
  async marketFees() {
    return { maxFeePerGas: 1000n, maxPriorityFeePerGas: 100n };
  }
  async signCommit(batch: AssembledBatch, _guard: unknown, nonce: number, fees: Fees) {
    const hash = `0xtx${nonce}-${this.signed.length}`;
    this.signed.push({ nonce, fees, size: batch.operations.length, hash });
    return { raw: `raw:${hash}`, txHash: hash };
  }
  async signFiller(nonce: number, fees: Fees) {
    const hash = `0xfill${nonce}`;
    this.signed.push({ nonce, fees, size: 0, hash });
    return { raw: `raw:${hash}`, txHash: hash };
  }
  async broadcast(raw: string) {
    // The nonce ledger must hold the transaction before any node sees it.
    const held = [...this.store.batches.values()].some((b) => b.attempts.some((a) => a.raw === raw));
    if (!held) throw new Error(`broadcast of ${raw} before it was recorded`);
    this.broadcasts.push(raw);
  }
  async resolveIndexes() {
    return new Map<string, number>();
  }
  mine(txHash: string, status = 1) {
    this.height++;
    this.receipts.set(txHash, { blockNumber: this.height, blockHash: this.hashAt(this.height), status, gasUsed: 100_000n });
  }
}

/** One tick, then wait for the announcements it started (they run beside the tick). */
async function step(engine: RelayEngine): Promise<void> {
  await engine.tick();
  await engine.drained();
}

function setup(settings: Partial<ConstructorParameters<typeof RelayEngine>[4]> = {}) {
  const store = new MemoryStore();
  const chain = new FakeChain(store);
  const anchored: AnchoredAnnouncement[] = [];
  const reorged: ReorgedAnnouncement[] = [];
  const counters = { replacements: 0, reorgs: 0 };
  const engine = new RelayEngine(
    store,
    chain,
    { anchored: async (items) => void anchored.push(...items), reorged: async (items) => void reorged.push(...items) },
    { batchSent: () => undefined, batchMined: () => undefined, confirmed: () => undefined, reorg: () => counters.reorgs++, replacement: () => counters.replacements++ },
    { confirmations: 3, maxBatchBytes: 120_000, lingerMs: 0, stuckAfterBlocks: 2, reorgWatchBlocks: 10, dedupeWindow: 1000, ...settings },
    () => undefined,
  );
  return { store, chain, engine, anchored, reorged, counters };
}

describe('RelayEngine', () => {
  it('sends one batch per block, records it before broadcasting, and announces each operation only at k confirmations', async () => {
    const { chain, engine, anchored } = setup();
    await engine.intake([relayOperation(1), relayOperation(2), relayOperation(1)]);
    await step(engine);
    expect(chain.broadcasts).toHaveLength(1);
    await engine.intake([relayOperation(3)]);
    await step(engine);
    // The next batch is built and signed while the first is in flight, but not broadcast.
    expect(chain.broadcasts).toHaveLength(1);
    expect(chain.signed.map((s) => s.size)).toEqual([3, 1]);

    chain.mine(chain.signed[0].hash);
    await step(engine);
    // The prepared batch goes out as it was signed: nothing new arrived since.
    expect(chain.signed.map((s) => s.size)).toEqual([3, 1]);
    expect(chain.broadcasts).toEqual(chain.signed.map((s) => `raw:${s.hash}`));
    chain.height++;
    await step(engine);
    expect(anchored).toHaveLength(0);
    chain.height++;
    await step(engine);
    expect(anchored.map((a) => a.leafIndex).sort()).toEqual([0, 1, 2]);
    expect(anchored.every((a) => a.confirmations === 3 && a.batchSize === 3)).toBe(true);
  });

  it('drops a pprId it has persisted before, within one intake, later, and after a restart', async () => {
    const { store, chain, engine } = setup();
    const op = relayOperation(1);
    expect(await engine.intake([op, op])).toEqual({ accepted: 1 });
    expect(await engine.intake([op])).toEqual({ accepted: 0 });
    expect(store.ops).toHaveLength(1);
    const restarted = new RelayEngine(
      store,
      chain,
      { anchored: async () => undefined, reorged: async () => undefined },
      { batchSent: () => undefined, batchMined: () => undefined, confirmed: () => undefined, reorg: () => undefined, replacement: () => undefined },
      { confirmations: 3, maxBatchBytes: 120_000, lingerMs: 0, stuckAfterBlocks: 2, reorgWatchBlocks: 10, dedupeWindow: 1000 },
      () => undefined,
    );
    await restarted.recover();
    expect(await restarted.intake([op])).toEqual({ accepted: 0 });
    expect(restarted.snapshot().pending).toBe(1);
  });

  it('keeps a delete and each policy change of an added pprId apart from the add, and anchors and announces them all', async () => {
    const { chain, engine, anchored } = setup();
    const add = relayOperation(1);
    const policy = { ...add, kind: 'policy' as const, pprHash: `0x${'11'.repeat(32)}` };
    const policyAgain = { ...add, kind: 'policy' as const, pprHash: `0x${'22'.repeat(32)}` };
    const remove = { ...add, kind: 'delete' as const, pprHash: `0x${'00'.repeat(32)}` };
    expect(await engine.intake([add, policy, policyAgain, remove])).toEqual({ accepted: 4 });
    // A redelivery of any of them is still a duplicate.
    expect(await engine.intake([policy, remove])).toEqual({ accepted: 0 });
    await step(engine);
    expect(chain.signed.map((s) => s.size)).toEqual([4]);
    chain.mine(chain.signed[0].hash);
    chain.height += 2;
    await step(engine);
    expect(anchored.map((a) => [a.pprId, a.kind, a.pprHash])).toEqual([add, policy, policyAgain, remove].map((o) => [o.pprId, o.kind, o.pprHash]));
  });

  it('refuses a redelivered Kafka range stored before, even once its operation ids left the window, and names the range to skip', async () => {
    const { store, engine } = setup({ dedupeWindow: 2 });
    const source = { group: 'g', topic: 't', partition: 1, firstOffset: 100, lastOffset: 102 };
    const ops = [relayOperation(1), relayOperation(2), relayOperation(3)];
    expect(await engine.intake(ops, source)).toEqual({ accepted: 3 });
    // The window holds 2 ids, so the first op is forgotten; the store's unique intake id still catches it.
    expect(await engine.intake([ops[0]], { ...source, lastOffset: 100 })).toEqual({ accepted: 0, coveredThrough: 102 });
    expect(store.ops).toHaveLength(3);
    expect(engine.snapshot().pending).toBe(3);
  });

  it('rebuilds the prepared batch when more operations arrived after it was signed', async () => {
    const { chain, engine } = setup({ stuckAfterBlocks: 100 });
    await engine.intake([relayOperation(1)]);
    await step(engine);
    await engine.intake([relayOperation(2)]);
    await step(engine);
    await engine.intake([relayOperation(3)]);
    chain.mine(chain.signed[0].hash);
    await step(engine);
    // Prepared with 1 operation, 2 pending at send time: built again with both.
    expect(chain.signed.map((s) => s.size)).toEqual([1, 1, 2]);
    expect(chain.broadcasts.at(-1)).toBe(`raw:${chain.signed[2].hash}`);
  });

  it('keeps sending batches while a slow announcement is still being published', async () => {
    const { store, chain } = setup();
    let release: () => void = () => undefined;
    const published: AnchoredAnnouncement[] = [];
    const engine = new RelayEngine(
      store,
      chain,
      { anchored: (items) => new Promise<void>((resolve) => (release = () => resolve(void published.push(...items)))), reorged: async () => undefined },
      { batchSent: () => undefined, batchMined: () => undefined, confirmed: () => undefined, reorg: () => undefined, replacement: () => undefined },
      { confirmations: 1, maxBatchBytes: 120_000, lingerMs: 0, stuckAfterBlocks: 2, reorgWatchBlocks: 10, dedupeWindow: 1000 },
      () => undefined,
    );
    await engine.intake([relayOperation(1)]);
    await engine.tick();
    chain.mine(chain.signed[0].hash);
    await engine.intake([relayOperation(2)]);
    await engine.tick();
    // The first batch is being announced (publish pending); the second went out anyway.
    expect(chain.signed.map((s) => s.size)).toEqual([1, 1]);
    expect(engine.snapshot().batches.find((b) => b.nonce === chain.signed[0].nonce)?.state).toBe('mined');
    release();
    await engine.drained();
    expect(published).toHaveLength(1);
    expect(engine.snapshot().batches.find((b) => b.nonce === chain.signed[0].nonce)?.state).toBe('announced');
  });

  it('replaces a stuck transaction at the same nonce with the bigger batch and ≥ 10 % higher fees', async () => {
    const { chain, engine, anchored, counters } = setup();
    await engine.intake([relayOperation(1)]);
    await step(engine);
    await engine.intake([relayOperation(2), relayOperation(3)]);
    chain.height += 2;
    await step(engine);
    expect(counters.replacements).toBe(1);
    const [first, second] = chain.signed;
    expect(second.nonce).toBe(first.nonce);
    expect(second.size).toBe(3);
    expect(second.fees.maxFeePerGas * 100n).toBeGreaterThanOrEqual(first.fees.maxFeePerGas * 110n);
    expect(second.fees.maxPriorityFeePerGas * 100n).toBeGreaterThanOrEqual(first.fees.maxPriorityFeePerGas * 110n);
    chain.mine(second.hash);
    chain.height += 2;
    await step(engine);
    expect(anchored).toHaveLength(3);
  });

  it('withdraws announced operations with ppr.reorged when their block leaves the chain, and re-anchors them after a revert', async () => {
    const { chain, engine, anchored, reorged, counters } = setup();
    const ops = [relayOperation(1), relayOperation(2)];
    await engine.intake(ops);
    await step(engine);
    chain.mine(chain.signed[0].hash);
    const minedAt = chain.height;
    chain.height += 2;
    await step(engine);
    expect(anchored).toHaveLength(2);

    // The winning fork replaces the block and re-executes the tx, which its guard reverts.
    chain.hashes.set(minedAt, '0xother');
    chain.height++;
    chain.receipts.set(chain.signed[0].hash, { blockNumber: minedAt + 1, blockHash: chain.hashAt(minedAt + 1), status: 0, gasUsed: 30_000n });
    await step(engine);
    expect(counters.reorgs).toBe(1);
    expect(reorged.map((r) => r.pprId).sort()).toEqual(ops.map((o) => o.pprId).sort());
    await step(engine);
    expect(chain.signed).toHaveLength(2);
    expect(chain.signed[1].nonce).toBe(chain.signed[0].nonce + 1);
    expect(chain.signed[1].size).toBe(2);
  });

  it('recovers from its store: fills a nonce gap, rebroadcasts what is in flight, keeps the rest pending', async () => {
    const { store, chain, engine } = setup();
    await engine.intake([relayOperation(1), relayOperation(2)]);
    await step(engine);
    const inFlight = chain.signed[0];
    // Pretend an earlier life also held nonce 1 but lost its document, and the chain mined nothing.
    const raw = [...store.batches.values()][0];
    await store.saveBatch({ ...raw, id: `${chain.account}:2`, nonce: 2, attempts: raw.attempts.map((a) => ({ ...a, raw: 'raw:n2', txHash: '0xn2' })), opIds: [] });
    chain.counts = { latest: 0, pending: 0 };

    const restarted = new RelayEngine(
      store,
      chain,
      { anchored: async () => undefined, reorged: async () => undefined },
      { batchSent: () => undefined, batchMined: () => undefined, confirmed: () => undefined, reorg: () => undefined, replacement: () => undefined },
      { confirmations: 3, maxBatchBytes: 120_000, lingerMs: 0, stuckAfterBlocks: 2, reorgWatchBlocks: 10, dedupeWindow: 1000 },
      () => undefined,
    );
    chain.broadcasts = [];
    await restarted.recover();
    expect(chain.signed.at(-1)).toMatchObject({ nonce: 1, size: 0 });
    expect(chain.broadcasts).toEqual(expect.arrayContaining([`raw:${inFlight.hash}`, 'raw:n2', 'raw:0xfill1']));
    expect(restarted.snapshot()).toMatchObject({ pending: 0, nextNonce: 3 });
  });
});
