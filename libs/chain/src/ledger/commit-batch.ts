import { Block, ContractTransactionResponse, Overrides } from 'ethers';
import { encodeBatch, EncodedBatch } from '../batch/batch-codec';
import { BatchTree } from '../batch/batch-tree';
import { PprOperation } from '../batch/ppr-operation';
import { PprLedger } from '../generated/typechain';

/** The block a batch was built on: the wrong-fork guard's arguments. */
export interface ForkGuard {
  readonly blockNumber: number;
  readonly blockHash: string;
}

/** A batch as sent: what was encoded, its tree, the guard and the transaction. */
export interface SentBatch {
  readonly encoded: EncodedBatch;
  readonly tree: BatchTree;
  readonly guard: ForkGuard;
  readonly tx: ContractTransactionResponse;
}

/**
 * Default depth of the guard block below the head. On a two-miner PoW chain the head itself is
 * often replaced by the other miner's block at the same height (seen in the integration runs:
 * a batch guarded on the head reverted with WrongFork), so guarding on the head makes such
 * routine tip races revert batches. Three blocks deep matches the default k = 3 confirmations:
 * a reorg that deep is one the relay must react to anyway.
 */
export const DEFAULT_GUARD_DEPTH = 3;

/** The guard for building on `block`. */
export function forkGuardOf(block: Pick<Block, 'number' | 'hash'>): ForkGuard {
  if (!block.hash) throw new Error(`block ${block.number} has no hash (pending block?)`);
  return { blockNumber: block.number, blockHash: block.hash };
}

/**
 * Encodes `ops` and sends `commitBatch` from the ledger's runner, guarded on `guard` (default:
 * the block `guardDepth` below the latest one the runner's provider reports, see
 * DEFAULT_GUARD_DEPTH). The returned tree's root is the root the contract will record, and
 * `tree.operations[i]` is leaf i.
 */
export async function sendBatch(
  ledger: PprLedger,
  ops: readonly PprOperation[],
  options: { guard?: ForkGuard; guardDepth?: number; overrides?: Overrides } = {},
): Promise<SentBatch> {
  const encoded = encodeBatch(ops);
  const tree = new BatchTree(encoded.operations);
  let guard = options.guard;
  if (!guard) {
    const provider = ledger.runner?.provider;
    if (!provider) throw new Error('the ledger is not connected to a provider');
    const head = await provider.getBlockNumber();
    const block = await provider.getBlock(Math.max(0, head - (options.guardDepth ?? DEFAULT_GUARD_DEPTH)));
    if (!block) throw new Error('the provider returned no guard block');
    guard = forkGuardOf(block);
  }
  const tx = await ledger.commitBatch(guard.blockNumber, guard.blockHash, encoded.data, options.overrides ?? {});
  return { encoded, tree, guard, tx };
}
