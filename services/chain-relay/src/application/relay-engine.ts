import { batchByteLength, BatchTree } from '@carechain/chain';
import { assembleBatch, type AssembledBatch } from '../domain/anchor-batch';
import { confirmations } from '../domain/confirmation';
import { bumpFees, type Fees } from '../domain/fee-bump';
import { flushReason } from '../domain/flush-policy';
import { checkNonces } from '../domain/nonce-ledger';
import { operationId, toLedgerOperation, type RelayOperation } from '../domain/relay-operation';
import { RecentIds } from '../domain/recent-ids';
import { inclusionChange } from '../domain/reorg-check';
import type {
  AnchorPublisher,
  BatchAttempt,
  BatchRecord,
  BatchState,
  IntakeSource,
  LedgerGateway,
  RelayMetrics,
  RelaySettings,
  RelayStore,
  SignedTransaction,
} from './ports';

/** A point-in-time view of the relay, for the status endpoint and tests. */
export interface RelaySnapshot {
  readonly account: string;
  readonly pending: number;
  readonly batches: { nonce: number; state: string; operations: number; blockNumber?: number }[];
  readonly nextNonce: number;
  readonly head?: number;
}

const hexlify = (bytes: Uint8Array): string => `0x${Buffer.from(bytes).toString('hex')}`;

type Log = (level: 'info' | 'warn' | 'error', message: string) => void;

/** The next batch, assembled and signed while its predecessor is in flight; recorded and broadcast only when that one is mined. */
interface PreparedBatch {
  readonly nonce: number;
  readonly batch: AssembledBatch;
  readonly signed: SignedTransaction;
  readonly guard: { number: number; hash: string };
  readonly fees: Fees;
  /** Pending operations when it was built, and whether it was full (more were pending than fit). */
  readonly pendingCount: number;
  readonly full: boolean;
  /** `requeues` when it was built: a requeue puts operations ahead of it, so it is stale. */
  readonly requeues: number;
  readonly preparedAt: number;
}

/** Shortest time between two builds of a prepared batch that is not full. */
const PREPARE_INTERVAL_MS = 300;

/**
 * The relay's state machine over one account: operations go Pending → Sent → Mined →
 * Confirmed(k) (announced), and back to Pending when a reorg or a revert undoes them.
 *
 * Guarantees:
 * - an operation is in the store before `intake` resolves (so before its offset commits), and a
 *   operation this relay has persisted before (same {@link operationId}) is dropped, however
 *   often Kafka redelivers it;
 * - a transaction is in the nonce ledger (with its signed bytes) before it is broadcast, so a
 *   restart rebroadcasts it instead of leaving a gap or reusing the nonce;
 * - at most one batch is in flight (sent, not mined) per account, apart from batches a reorg
 *   has put back in the pool;
 * - `ppr.anchored` is published only at ≥ k confirmations, and `ppr.reorged` for each
 *   announced operation whose block left the canonical chain.
 * `tick` must not run concurrently with itself (PeriodicTask guarantees it).
 */
export class RelayEngine {
  private readonly operations = new Map<string, RelayOperation>();
  /** The newest operation ids this relay persisted (bounded): drops duplicate requests without a store round trip. */
  private readonly recent: RecentIds;
  private pending = new Map<string, RelayOperation>();
  private readonly batches = new Map<number, BatchRecord>();
  private nextNonce = 0;
  private head: { number: number; hash: string } | undefined;
  private newHeadSinceLastSend = false;
  private lastBroadcastHead = new Map<number, number>();
  /** Nonces whose `ppr.anchored` is being published; the tick leaves them alone until it is done. */
  private readonly announcing = new Set<number>();
  /** Announcements run one after another, beside the tick, so publishing never delays the next batch. */
  private announcements: Promise<void> = Promise.resolve();
  private prepared: PreparedBatch | undefined;
  private requeues = 0;

  constructor(
    private readonly store: RelayStore,
    private readonly chain: LedgerGateway,
    private readonly publisher: AnchorPublisher,
    private readonly metrics: RelayMetrics,
    private readonly settings: RelaySettings,
    private readonly log: Log,
  ) {
    this.recent = new RecentIds(settings.dedupeWindow);
  }

  /** Rebuilds the state from the store and the chain, fills nonce gaps, and rebroadcasts what is in flight. */
  async recover(): Promise<void> {
    const relay = this.chain.account;
    const [ops, batches, counts] = await Promise.all([
      this.store.loadOperations(relay),
      this.store.loadBatches(relay),
      this.chain.transactionCounts(),
    ]);
    const owned = new Set<string>();
    const open = new Set<string>();
    let ledgerNext = 0;
    for (const batch of batches) {
      ledgerNext = Math.max(ledgerNext, batch.nonce + 1);
      if (batch.state === 'reverted') continue;
      batch.opIds.forEach((id) => owned.add(id));
      if (batch.state === 'final') continue;
      this.batches.set(batch.nonce, batch);
      batch.opIds.forEach((id) => open.add(id));
    }
    ops.sort((a, b) => a.receivedAt - b.receivedAt);
    for (const op of ops) {
      const id = operationId(op);
      this.recent.add(id);
      if (open.has(id) || !owned.has(id)) this.operations.set(id, op);
      if (!owned.has(id)) this.pending.set(id, op);
    }
    const unresolved = [...this.batches.values()].filter((b) => b.state === 'sent').map((b) => b.nonce);
    const check = checkNonces({ unresolved, ledgerNext, chainLatest: counts.latest, chainPending: counts.pending });
    this.nextNonce = check.next;
    if (check.kind === 'foreign') this.log('warn', `nonces up to ${check.next} were used outside this relay's ledger; continuing after them`);
    if (check.kind === 'gap') {
      this.log('warn', `nonce gap at ${check.missing.join(', ')}: filling with zero-value transfers`);
      const fees = await this.chain.marketFees();
      const head = await this.chain.head();
      for (const nonce of check.missing) await this.record(nonce, await this.chain.signFiller(nonce, fees), [], '0x', head, head, fees);
    }
    for (const batch of this.batches.values()) if (batch.state === 'sent') await this.rebroadcast(batch, undefined);
    this.log('info', `recovered: ${this.operations.size} live operations, ${this.pending.size} pending, ${this.batches.size} open batches, next nonce ${this.nextNonce}`);
  }

  /**
   * Persists new operations and queues them for the next block. An operation id among the newest
   * `dedupeWindow` this relay persisted is dropped. With a source (a Kafka fetch batch), an
   * intake already stored from the same first offset (a redelivery after a restart, or a
   * partition another instance stored before it moved) is refused by the store's unique id:
   * nothing is queued, and `coveredThrough` tells the caller which offsets to skip.
   */
  async intake(ops: readonly RelayOperation[], source?: IntakeSource): Promise<{ accepted: number; coveredThrough?: number }> {
    const fresh: RelayOperation[] = [];
    const batchIds = new Set<string>();
    for (const op of ops) {
      const id = operationId(op);
      if (this.recent.has(id) || batchIds.has(id)) continue;
      batchIds.add(id);
      fresh.push(op);
    }
    if (fresh.length === 0 && !source) return { accepted: 0 };
    const result = await this.store.insertIntake(this.chain.account, fresh, source);
    if (!result.stored) return { accepted: 0, coveredThrough: result.lastOffset };
    for (const op of fresh) {
      const id = operationId(op);
      this.recent.add(id);
      this.operations.set(id, op);
      this.pending.set(id, op);
    }
    return { accepted: fresh.length };
  }

  /** One step: observe the head, reconcile every open batch, replace a stuck one, send the next. */
  async tick(now = Date.now()): Promise<void> {
    const head = await this.chain.head();
    const headChanged = !this.head || head.hash !== this.head.hash;
    if (headChanged) this.newHeadSinceLastSend = true;
    this.head = head;
    const open = [...this.batches.values()].sort((a, b) => a.nonce - b.nonce);
    // The in-flight batch first, so its successor goes out in the same tick it is mined; the
    // reorg watch over mined and announced batches costs RPCs per batch and only a new head
    // can change its answer, so it runs after the send and only then.
    for (const batch of open) if (batch.state === 'sent') await this.reconcile(batch, head, now);
    await this.replaceStuck(head, now);
    await this.flush(head, now);
    await this.prepare(head, headChanged);
    if (!headChanged) return;
    for (const batch of open) {
      if ((batch.state === 'mined' || batch.state === 'announced') && !this.announcing.has(batch.nonce)) await this.reconcile(batch, head, now);
    }
  }

  /** Resolves when every announcement started so far has finished (or failed and will be retried). */
  async drained(): Promise<void> {
    await this.announcements;
  }

  snapshot(): RelaySnapshot {
    return {
      account: this.chain.account,
      pending: this.pending.size,
      nextNonce: this.nextNonce,
      head: this.head?.number,
      batches: [...this.batches.values()].map((b) => ({ nonce: b.nonce, state: b.state, operations: b.opIds.length, blockNumber: b.mined?.blockNumber })),
    };
  }

  private inFlight(): BatchRecord[] {
    return [...this.batches.values()].filter((b) => b.state === 'sent');
  }

  private async flush(head: { number: number; hash: string }, now: number): Promise<void> {
    if (this.pending.size === 0 || this.inFlight().length > 0) return;
    const pending = [...this.pending.values()];
    const reason = flushReason(
      {
        pendingCount: pending.length,
        pendingBytes: pending.length === 0 ? 0 : batchByteLength(pending.map(toLedgerOperation)),
        oldestPendingAgeMs: pending.length === 0 ? 0 : now - pending[0].receivedAt,
        newHeadSinceLastSend: this.newHeadSinceLastSend,
        inFlight: this.inFlight().length > 0,
      },
      { maxBatchBytes: this.settings.maxBatchBytes, lingerMs: this.settings.lingerMs },
    );
    if (!reason) return;
    const t0 = Date.now();
    const nonce = this.nextNonce;
    const ready = await this.takePrepared(nonce, pending.length);
    let batch: AssembledBatch;
    let fees: Fees;
    let signed: SignedTransaction;
    let guard = head;
    if (ready) {
      ({ batch, fees, signed, guard } = ready);
    } else {
      batch = assembleBatch(pending, this.settings.maxBatchBytes)!;
      fees = await this.chain.marketFees();
      signed = await this.chain.signCommit(batch, head, nonce, fees);
    }
    const t1 = Date.now();
    const ids = batch.operations.map(operationId);
    ids.forEach((id) => this.pending.delete(id));
    let recorded = t1;
    try {
      await this.record(nonce, signed, ids, hexlify(batch.tree.root), guard, head, fees, () => (recorded = Date.now()));
    } catch (error) {
      this.pending = new Map([...batch.operations.map((o) => [operationId(o), o] as const), ...this.pending]);
      this.requeues++;
      throw error;
    }
    this.newHeadSinceLastSend = false;
    this.metrics.batchSent(ids.length);
    this.log(
      'info',
      `nonce ${nonce}: sent ${ids.length} operations at head ${head.number} (${reason}), guard ${guard.number}, ${this.pending.size} still pending; ` +
        `${ready ? 'prepared in flight' : 'built'} ${t1 - t0} ms, record ${recorded - t1} ms, broadcast ${Date.now() - recorded} ms`,
    );
  }

  /**
   * While a batch is in flight, builds and signs the next one (again when more arrived, at most
   * every 300 ms or on a new head), so that when the receipt arrives only the nonce-ledger write
   * and the broadcast are left: under load, assembling and signing a full batch took 0.2–3 s,
   * long enough to miss the next block. Nothing is recorded or broadcast here, so there is
   * still one transaction in flight.
   */
  private async prepare(head: { number: number; hash: string }, headChanged: boolean): Promise<void> {
    if (this.pending.size === 0 || this.inFlight().length !== 1) return;
    const nonce = this.nextNonce;
    const current = this.prepared;
    const upToDate = current !== undefined && current.nonce === nonce && current.requeues === this.requeues;
    // A full prepared batch stays as it is; one that is not full is rebuilt when more arrived,
    // on a new head or at most every PREPARE_INTERVAL_MS (each build signs ≈ 120 KB again).
    if (upToDate && (current.full || current.pendingCount === this.pending.size || (!headChanged && Date.now() - current.preparedAt < PREPARE_INTERVAL_MS))) return;
    const pending = [...this.pending.values()];
    const batch = assembleBatch(pending, this.settings.maxBatchBytes)!;
    const fees = await this.chain.marketFees();
    const signed = await this.chain.signCommit(batch, head, nonce, fees);
    this.prepared = { nonce, batch, signed, guard: head, fees, pendingCount: pending.length, full: batch.rest.length > 0, requeues: this.requeues, preparedAt: Date.now() };
  }

  /** The prepared batch if it is still right for `nonce`: nothing requeued since, its guard still canonical, and full or nothing new pending. */
  private async takePrepared(nonce: number, pendingCount: number): Promise<PreparedBatch | undefined> {
    const prepared = this.prepared;
    this.prepared = undefined;
    if (!prepared || prepared.nonce !== nonce || prepared.requeues !== this.requeues) return undefined;
    if (!prepared.full && prepared.pendingCount !== pendingCount) return undefined;
    if (!prepared.batch.operations.every((o) => this.pending.has(operationId(o)))) return undefined;
    if ((await this.chain.blockHash(prepared.guard.number)) !== prepared.guard.hash) return undefined;
    return prepared;
  }

  /** Writes the nonce-ledger entry, then broadcasts. */
  private async record(
    nonce: number,
    signed: SignedTransaction,
    opIds: string[],
    root: string,
    guard: { number: number },
    head: { number: number },
    fees: Fees,
    onRecorded: () => void = () => undefined,
  ) {
    const attempt: BatchAttempt = {
      txHash: signed.txHash,
      raw: signed.raw,
      opIds,
      root,
      maxFeePerGas: fees.maxFeePerGas.toString(),
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas.toString(),
      guardBlock: guard.number,
      sentAtBlock: head.number,
      sentAt: Date.now(),
    };
    const batch: BatchRecord = { id: `${this.chain.account}:${nonce}`, relay: this.chain.account, nonce, state: 'sent', attempts: [attempt], opIds };
    await this.store.saveBatch(batch);
    onRecorded();
    this.batches.set(nonce, batch);
    this.nextNonce = Math.max(this.nextNonce, nonce + 1);
    await this.rebroadcast(batch, head.number);
  }

  private async rebroadcast(batch: BatchRecord, headNumber: number | undefined): Promise<void> {
    const latest = batch.attempts[batch.attempts.length - 1];
    try {
      await this.chain.broadcast(latest.raw);
      if (headNumber !== undefined) this.lastBroadcastHead.set(batch.nonce, headNumber);
    } catch (error) {
      this.log('warn', `broadcast of nonce ${batch.nonce} failed, will retry: ${(error as Error).message}`);
    }
  }

  /** A stuck batch (no receipt for `stuckAfterBlocks`) is replaced by the newest, bigger batch at +10 % fees. */
  private async replaceStuck(head: { number: number; hash: string }, now: number): Promise<void> {
    const sent = this.inFlight();
    if (sent.length !== 1) return;
    const batch = sent[0];
    if (batch.nonce !== this.nextNonce - 1) return;
    const last = batch.attempts[batch.attempts.length - 1];
    if (head.number - last.sentAtBlock < this.settings.stuckAfterBlocks) return;
    if (batch.opIds.length === 0) {
      await this.rebroadcast(batch, head.number);
      return;
    }
    const carried = batch.opIds.map((id) => this.operations.get(id)!);
    const assembled = assembleBatch([...carried, ...this.pending.values()], this.settings.maxBatchBytes)!;
    const fees = bumpFees(
      { maxFeePerGas: BigInt(last.maxFeePerGas), maxPriorityFeePerGas: BigInt(last.maxPriorityFeePerGas) },
      await this.chain.marketFees(),
    );
    const signed = await this.chain.signCommit(assembled, head, batch.nonce, fees);
    const ids = assembled.operations.map(operationId);
    const attempt: BatchAttempt = {
      txHash: signed.txHash,
      raw: signed.raw,
      opIds: ids,
      root: hexlify(assembled.tree.root),
      maxFeePerGas: fees.maxFeePerGas.toString(),
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas.toString(),
      guardBlock: head.number,
      sentAtBlock: head.number,
      sentAt: now,
    };
    const next: BatchRecord = { ...batch, attempts: [...batch.attempts, attempt], opIds: ids };
    await this.store.saveBatch(next);
    ids.forEach((id) => this.pending.delete(id));
    this.batches.set(batch.nonce, next);
    this.metrics.replacement();
    this.log('warn', `nonce ${batch.nonce} stuck for ${head.number - last.sentAtBlock} blocks: replaced with ${ids.length} operations at +10 % fees`);
    await this.rebroadcast(next, head.number);
  }

  private async reconcile(batch: BatchRecord, head: { number: number; hash: string }, now: number): Promise<void> {
    if (batch.state === 'sent') {
      await this.lookForReceipt(batch, head);
      // Mined at depth ≥ k already (e.g. found late after a restart): announce in this same tick.
      if ((batch.state as BatchState) !== 'mined') return;
    }
    if (batch.state !== 'mined' && batch.state !== 'announced') return;
    const mined = batch.mined!;
    const txHash = batch.attempts[mined.attempt].txHash;
    const [receipt, atMinedHeight] = await Promise.all([this.chain.receipt(txHash), this.chain.blockHash(mined.blockNumber)]);
    const atReceiptHeight = receipt ? await this.chain.blockHash(receipt.blockNumber) : undefined;
    const change = inclusionChange(mined, receipt, { atMinedHeight, atReceiptHeight });
    if (change.kind === 'unchanged') {
      if (batch.state === 'mined' && confirmations(mined.blockNumber, head.number) >= this.settings.confirmations) {
        this.startAnnouncement(batch, head, now);
      } else if (batch.state === 'announced' && head.number - mined.blockNumber > this.settings.reorgWatchBlocks) {
        batch.state = 'final';
        await this.store.saveBatch(batch);
        this.batches.delete(batch.nonce);
        batch.opIds.forEach((id) => this.operations.delete(id));
      }
      return;
    }
    this.metrics.reorg();
    this.log('warn', `reorg: nonce ${batch.nonce} (block ${mined.blockNumber} ${mined.blockHash}) is ${change.kind}`);
    if (batch.state === 'announced') await this.announceReorg(batch, now);
    batch.announcedAt = undefined;
    if (change.kind === 'vanished') {
      batch.state = 'sent';
      batch.mined = undefined;
      batch.attempts = batch.attempts.map((a, i) => (i === batch.attempts.length - 1 ? { ...a, sentAtBlock: head.number } : a));
      await this.store.saveBatch(batch);
      await this.rebroadcast(batch, head.number);
    } else if (change.kind === 'moved') {
      batch.state = 'mined';
      batch.mined = { ...mined, blockNumber: change.to.blockNumber, blockHash: change.to.blockHash, minedAt: now };
      await this.store.saveBatch(batch);
    } else {
      await this.revert(batch);
    }
  }

  private async lookForReceipt(batch: BatchRecord, head: { number: number }): Promise<void> {
    for (let i = batch.attempts.length - 1; i >= 0; i--) {
      const receipt = await this.chain.receipt(batch.attempts[i].txHash);
      if (!receipt) continue;
      const canonical = await this.chain.blockHash(receipt.blockNumber);
      if (canonical !== receipt.blockHash) continue;
      if (receipt.status !== 1) return this.revert(batch, i);
      const carried = batch.attempts[i].opIds;
      const left = batch.opIds.filter((id) => !carried.includes(id));
      batch.state = 'mined';
      batch.opIds = [...carried];
      batch.mined = { attempt: i, blockNumber: receipt.blockNumber, blockHash: receipt.blockHash, gasUsed: receipt.gasUsed.toString(), minedAt: Date.now() };
      await this.store.saveBatch(batch);
      this.requeue(left);
      if (carried.length > 0) this.metrics.batchMined(carried.length, receipt.gasUsed);
      this.log('info', `nonce ${batch.nonce}: mined in block ${receipt.blockNumber} (sent at head ${batch.attempts[i].sentAtBlock}, seen at head ${head.number}), ${receipt.gasUsed} gas`);
      if (carried.length === 0) {
        batch.state = 'final';
        await this.store.saveBatch(batch);
        this.batches.delete(batch.nonce);
      }
      return;
    }
    const last = this.lastBroadcastHead.get(batch.nonce);
    if (last === undefined || head.number > last) await this.rebroadcast(batch, head.number);
  }

  /** The nonce is spent without anchoring anything: its operations go back to the front of the queue. */
  private async revert(batch: BatchRecord, attempt?: number): Promise<void> {
    const ids = batch.opIds;
    batch.state = 'reverted';
    if (attempt !== undefined) batch.mined = undefined;
    await this.store.saveBatch(batch);
    this.batches.delete(batch.nonce);
    this.requeue(ids);
    this.log('warn', `nonce ${batch.nonce} reverted on chain; ${ids.length} operations are pending again`);
  }

  private requeue(ids: readonly string[]): void {
    if (ids.length === 0) return;
    this.requeues++;
    const ops = ids.map((id) => this.operations.get(id)).filter((o): o is RelayOperation => o !== undefined);
    this.pending = new Map([...ops.map((o) => [operationId(o), o] as const), ...this.pending]);
  }

  /**
   * Publishing a full batch's announcements (≈ 2,200 events with proofs, ≈ 3 MB) takes 0.3–3 s
   * here; inside the tick it held up the next receipt and the next batch by as much. It runs
   * beside the tick instead: the batch stays `mined` in the store until it is published, so a
   * crash in between re-announces it (with the same event ids), and the tick skips the batch
   * until the announcement is done.
   */
  private startAnnouncement(batch: BatchRecord, head: { number: number }, now: number): void {
    this.announcing.add(batch.nonce);
    this.announcements = this.announcements
      .then(() => this.announce(batch, head, now))
      .catch((error: unknown) => this.log('warn', `announcing nonce ${batch.nonce} failed, will retry: ${(error as Error).message}`))
      .finally(() => this.announcing.delete(batch.nonce));
  }

  private async announce(batch: BatchRecord, head: { number: number }, now: number): Promise<void> {
    const started = Date.now();
    const mined = batch.mined!;
    const attempt = batch.attempts[mined.attempt];
    const ops = attempt.opIds.map((id) => this.operations.get(id)!);
    const tree = new BatchTree(ops.map(toLedgerOperation));
    const root = hexlify(tree.root);
    if (root !== attempt.root) throw new Error(`nonce ${batch.nonce}: recomputed root ${root} differs from the sent root ${attempt.root}`);
    const depth = confirmations(mined.blockNumber, head.number);
    const anchoredAt = new Date(now).toISOString();
    await this.publisher.anchored(
      ops.map((op, leafIndex) => ({
        pprId: op.pprId,
        kind: op.kind,
        pprHash: op.pprHash,
        patient: op.patient,
        provider: op.provider,
        blockNumber: mined.blockNumber,
        blockHash: mined.blockHash,
        txHash: attempt.txHash,
        batchRoot: root,
        batchSize: ops.length,
        leafIndex,
        inclusionProof: tree.proof(leafIndex).map((h) => hexlify(h)),
        confirmations: depth,
        anchoredAt,
      })),
    );
    batch.state = 'announced';
    batch.announcedAt = now;
    await this.store.saveBatch(batch);
    for (const op of ops) this.metrics.confirmed(now - op.receivedAt);
    this.log('info', `nonce ${batch.nonce}: announced ${ops.length} operations at depth ${depth} in ${Date.now() - started} ms`);
  }

  private async announceReorg(batch: BatchRecord, now: number): Promise<void> {
    const mined = batch.mined!;
    const attempt = batch.attempts[mined.attempt];
    const detectedAt = new Date(now).toISOString();
    await this.publisher.reorged(
      attempt.opIds.map((id) => this.operations.get(id)!).map((op) => ({
        pprId: op.pprId,
        kind: op.kind,
        pprHash: op.pprHash,
        patient: op.patient,
        provider: op.provider,
        previousBlockNumber: mined.blockNumber,
        previousBlockHash: mined.blockHash,
        previousTxHash: attempt.txHash,
        detectedAt,
      })),
    );
  }
}
