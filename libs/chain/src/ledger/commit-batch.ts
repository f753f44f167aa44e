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

/** The guard for building on `block` (normally the relay's current head). */
export function forkGuardOf(block: Pick<Block, 'number' | 'hash'>): ForkGuard {
  if (!block.hash) throw new Error(`block ${block.number} has no hash (pending block?)`);
  return { blockNumber: block.number, blockHash: block.hash };
}

/**
 * Encodes `ops` and sends `commitBatch` from the ledger's runner, guarded on `guard`
 * (default: the latest block the runner's provider reports). The returned tree's root is the
 * root the contract will record, and `tree.operations[i]` is leaf i.
 */
export async function sendBatch(
  ledger: PprLedger,
  ops: readonly PprOperation[],
  options: { guard?: ForkGuard; overrides?: Overrides } = {},
): Promise<SentBatch> {
  const encoded = encodeBatch(ops);
  const tree = new BatchTree(encoded.operations);
  let guard = options.guard;
  if (!guard) {
    const provider = ledger.runner?.provider;
    if (!provider) throw new Error('the ledger is not connected to a provider');
    const latest = await provider.getBlock('latest');
    if (!latest) throw new Error('the provider returned no latest block');
    guard = forkGuardOf(latest);
  }
  const tx = await ledger.commitBatch(guard.blockNumber, guard.blockHash, encoded.data, options.overrides ?? {});
  return { encoded, tree, guard, tx };
}
