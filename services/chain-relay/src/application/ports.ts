import type { AssembledBatch } from '../domain/anchor-batch';
import type { Fees } from '../domain/fee-bump';
import type { RelayOperation, RequestedKind } from '../domain/relay-operation';

/** What the relay needs to know about the chain it anchors to. */
export interface ChainView {
  chainId(): Promise<number>;
  head(): Promise<{ number: number; hash: string; difficulty: string; miner: string }>;
}

export const CHAIN_VIEW = Symbol('CHAIN_VIEW');

/** One signed `commitBatch` (or nonce filler) transaction, recorded before it is broadcast. */
export interface BatchAttempt {
  readonly txHash: string;
  /** The signed transaction, so a restart can rebroadcast exactly what was signed. */
  readonly raw: string;
  /** Operation ids (`operationId` in domain/relay-operation) in leaf order. */
  readonly opIds: readonly string[];
  readonly root: string;
  readonly maxFeePerGas: string;
  readonly maxPriorityFeePerGas: string;
  readonly guardBlock: number;
  readonly sentAtBlock: number;
  readonly sentAt: number;
}

/**
 * sent: signed, no receipt yet; mined: in a canonical block, fewer than k confirmations;
 * announced: `ppr.anchored` published, still watched for reorgs; final: beyond the reorg
 * watch; reverted: mined but failed (the nonce is spent, its operations went back to pending).
 */
export type BatchState = 'sent' | 'mined' | 'announced' | 'final' | 'reverted';

/** One nonce of the relay account: the nonce ledger entry and the batch's state in one document. */
export interface BatchRecord {
  readonly id: string;
  readonly relay: string;
  readonly nonce: number;
  state: BatchState;
  attempts: BatchAttempt[];
  /** The operations this batch currently carries (leaf order); empty for a nonce filler. */
  opIds: string[];
  mined?: { attempt: number; blockNumber: number; blockHash: string; gasUsed: string; minedAt: number };
  announcedAt?: number;
}

/** Where an intake came from: one Kafka fetch batch, i.e. a contiguous offset range of one partition. */
export interface IntakeSource {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
}

/** What `insertIntake` did: stored it, or found an intake from the same first offset already stored. */
export type IntakeResult = { readonly stored: true } | { readonly stored: false; readonly lastOffset: number };

/** The relay's persistent state: intakes (insert-only) and one document per nonce. */
export interface RelayStore {
  /**
   * Persists one intake (the caller has removed opIds it already holds). With a source, its id
   * is the source's group, topic, partition and first offset, unique in the store: a redelivery
   * of a range this or another relay instance stored before is refused and the stored intake's
   * last offset returned, so the caller skips that range instead of anchoring it twice.
   */
  insertIntake(relay: string, ops: readonly RelayOperation[], source?: IntakeSource): Promise<IntakeResult>;
  loadOperations(relay: string): Promise<RelayOperation[]>;
  /** The next offset to consume of a partition, recorded when an intake was found already stored. */
  partitionMark(group: string, topic: string, partition: number): Promise<number | undefined>;
  savePartitionMark(group: string, topic: string, partition: number, next: number): Promise<void>;
  /** Writes the whole batch document (upsert by id). */
  saveBatch(batch: BatchRecord): Promise<void>;
  loadBatches(relay: string): Promise<BatchRecord[]>;
}

export const RELAY_STORE = Symbol('RELAY_STORE');

export interface Receipt {
  readonly blockNumber: number;
  readonly blockHash: string;
  readonly status: number;
  readonly gasUsed: bigint;
}

export interface SignedTransaction {
  readonly raw: string;
  readonly txHash: string;
}

/** The relay account on the PPR ledger. */
export interface LedgerGateway {
  /** The relay account's address (lower case). */
  readonly account: string;
  head(): Promise<{ number: number; hash: string }>;
  /** Canonical hash at `height`, or undefined if the node has no block there. */
  blockHash(height: number): Promise<string | undefined>;
  receipt(txHash: string): Promise<Receipt | undefined>;
  transactionCounts(): Promise<{ latest: number; pending: number }>;
  marketFees(): Promise<Fees>;
  signCommit(batch: AssembledBatch, guard: { number: number; hash: string }, nonce: number, fees: Fees): Promise<SignedTransaction>;
  /** A zero-value transfer to itself, to fill a nonce gap. */
  signFiller(nonce: number, fees: Fees): Promise<SignedTransaction>;
  /** Broadcasts; a transaction the node already has or has already mined is not an error. */
  broadcast(raw: string): Promise<void>;
  /** Registrar indexes of pseudonyms and providers; 0 for an address the Registrar does not know. */
  resolveIndexes(patients: readonly string[], providers: readonly string[]): Promise<Map<string, number>>;
}

export const LEDGER_GATEWAY = Symbol('LEDGER_GATEWAY');

export interface AnchoredAnnouncement {
  readonly pprId: string;
  /** Which operation on `pprId`: an add and a later policy change or delete share the pprId. */
  readonly kind: RequestedKind;
  readonly pprHash: string;
  readonly patient: string;
  /** The provider's address, so providers can skip the others' notices. */
  readonly provider: string;
  readonly blockNumber: number;
  readonly blockHash: string;
  readonly txHash: string;
  readonly batchRoot: string;
  readonly batchSize: number;
  readonly leafIndex: number;
  readonly inclusionProof: string[];
  readonly confirmations: number;
  readonly anchoredAt: string;
}

export interface ReorgedAnnouncement {
  readonly pprId: string;
  readonly kind: RequestedKind;
  readonly pprHash: string;
  readonly patient: string;
  readonly provider: string;
  readonly previousBlockNumber: number;
  readonly previousBlockHash: string;
  readonly previousTxHash: string;
  readonly detectedAt: string;
}

/** Publishes the relay's facts; resolves once the broker has them. */
export interface AnchorPublisher {
  anchored(items: readonly AnchoredAnnouncement[]): Promise<void>;
  reorged(items: readonly ReorgedAnnouncement[]): Promise<void>;
}

export const ANCHOR_PUBLISHER = Symbol('ANCHOR_PUBLISHER');

/** The relay's metrics. */
export interface RelayMetrics {
  batchSent(size: number): void;
  batchMined(operations: number, gasUsed: bigint): void;
  confirmed(latencyMs: number): void;
  reorg(): void;
  replacement(): void;
}

export const RELAY_METRICS = Symbol('RELAY_METRICS');

/** Tuning of the relay loop, from config. */
export interface RelaySettings {
  readonly confirmations: number;
  readonly maxBatchBytes: number;
  readonly lingerMs: number;
  readonly stuckAfterBlocks: number;
  readonly reorgWatchBlocks: number;
  /** How many recent opIds the in-process dedupe window holds. */
  readonly dedupeWindow: number;
}

export const RELAY_SETTINGS = Symbol('RELAY_SETTINGS');
