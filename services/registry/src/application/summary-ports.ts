import type { PprOperation } from '@carechain/chain';
import type { AnchoredPprOperation, PatientSummary } from '../domain/patient-summary';

/** One `commitBatch` transaction of the ledger, decoded from its own calldata. */
export interface LedgerBatch {
  readonly txHash: string;
  readonly blockNumber: number;
  readonly blockHash: string;
  readonly batchId: string;
  /** The root the ledger logged, already checked equal to the root of the decoded calldata. */
  readonly batchRoot: string;
  /** Leaf order. */
  readonly operations: readonly PprOperation[];
  /** `proofs[i]` is the RFC 6962 audit path of leaf i. */
  readonly proofs: readonly (readonly string[])[];
  /** Each patient's head as this transaction's `PatientChainExtended` event logged it. */
  readonly loggedHeads: ReadonlyMap<number, string>;
}

/** A patient's operations as recomputed from chain data alone at one block. */
export interface RecomputedPatient {
  readonly operations: readonly AnchoredPprOperation[];
  readonly head: string;
  /** True iff the recomputed fold equals `patientHead(patient)` at that block. */
  readonly headMatches: boolean;
}

/** Read access to the PPR ledger and the Registrar. Every read is of the canonical chain. */
export interface LedgerReader {
  readonly ledgerAddress: string;
  /** The ledger's deploy block: nothing before it needs indexing. */
  readonly deployBlock: number;
  latestBlockNumber(): Promise<number>;
  /** The canonical hash at `blockNumber`, or undefined if the chain is not that long. */
  blockHash(blockNumber: number): Promise<string | undefined>;
  /** Every batch committed in blocks `from..to` (inclusive), in chain order. */
  batchesBetween(from: number, to: number): Promise<LedgerBatch[]>;
  /** `patientHead(patientIndex)` read at `blockNumber`. */
  patientHeadAt(patientIndex: number, blockNumber: number): Promise<string>;
  /** The pseudonym (lower-case address) registered at a Registrar index. */
  pseudonymOf(patientIndex: number): Promise<string>;
  /** The Registrar index of a patient pseudonym, or undefined if it is not a registered patient. */
  patientIndexOf(pseudonym: string): Promise<number | undefined>;
  /** Recomputes a patient's operations, anchors and head from logs and calldata up to `atBlock`. */
  recomputePatient(patientIndex: number, atBlock: number): Promise<RecomputedPatient>;
}

/** How far the index has read the chain; `recent` remembers tips to find a fork point. */
export interface SummaryIndexCursor {
  readonly ledgerAddress: string;
  /** Every batch in blocks up to this one is in the stored Summaries. */
  readonly indexedThrough: number;
  /** The last indexed tips, oldest first (at most a few dozen). */
  readonly recent: readonly { readonly number: number; readonly hash: string }[];
}

/** Thrown by `SummaryStore.save` when another writer changed a Summary since it was read. */
export class SummaryVersionConflict extends Error {
  override readonly name = 'SummaryVersionConflict';
}

/**
 * Persistence of Summaries: one document per patient, read and written by unique keys
 * (patient index, pseudonym), written in bulk once per indexed range.
 */
export interface SummaryStore {
  findByPatientIndexes(indexes: readonly number[]): Promise<Map<number, PatientSummary>>;
  findByPseudonym(pseudonym: string): Promise<PatientSummary | undefined>;
  /**
   * Writes each Summary if its stored version still equals `summary.version` (or it is new at
   * version 0), and stores it at version + 1. Throws SummaryVersionConflict otherwise.
   */
  save(summaries: readonly PatientSummary[]): Promise<void>;
  /** Summaries with a patient index above `afterIndex`, ascending, at most `limit`. */
  page(afterIndex: number, limit: number): Promise<PatientSummary[]>;
  cursor(ledgerAddress: string): Promise<SummaryIndexCursor | undefined>;
  saveCursor(cursor: SummaryIndexCursor): Promise<void>;
}

/** Tuning of the index, from config. */
export interface SummaryIndexSettings {
  /** Blocks below the head before a block is indexed. */
  readonly confirmations: number;
  /** Most blocks read in one indexing step. */
  readonly maxBlocksPerStep: number;
}

/** Counts what the registry does with the relay's notices. */
export interface AnchorNoticeMetrics {
  /** A notice about another ledger deployment was skipped. */
  foreignNotice(event: 'anchored' | 'reorged'): void;
}

export const LEDGER_READER = Symbol('LEDGER_READER');
export const SUMMARY_STORE = Symbol('SUMMARY_STORE');
export const SUMMARY_INDEX_SETTINGS = Symbol('SUMMARY_INDEX_SETTINGS');
/** The registry's own ledger deployment (`OwnLedger`: chain id and ledger address), from config. */
export const OWN_LEDGER = Symbol('OWN_LEDGER');
export const ANCHOR_NOTICE_METRICS = Symbol('ANCHOR_NOTICE_METRICS');
