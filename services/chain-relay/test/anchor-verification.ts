import { verifyMerkleInclusion } from '@carechain/crypto';
import { operationLeafHash, PprLedger__factory } from '@carechain/chain';
import { getBytes, type JsonRpcProvider } from 'ethers';
import { toLedgerOperation, type RelayOperation } from '../src/domain/relay-operation';
import type { Anchored, LedgerWorld, Requested } from './relay-fixture';

/**
 * Checks announcements against chain data alone: each transaction's BatchCommitted root
 * (read from its receipt on the canonical chain) equals the announced root, the block is
 * canonical, the announced depth is ≥ k, and each operation's leaf, rebuilt from the request,
 * verifies at its leaf index with its proof. Returns the anchor transactions per block.
 */
export async function verifyAnchors(world: LedgerWorld, requested: readonly Requested[], anchored: readonly Anchored[], k: number): Promise<Map<number, Set<string>>> {
  const provider: JsonRpcProvider = world.provider;
  const ledger = PprLedger__factory.connect(world.deployment.ledgerAddress, provider);
  const byId = new Map(requested.map((r) => [r.pprId, r]));
  const index = new Map<string, number>();
  for (const p of new Set(requested.map((r) => r.patient))) index.set(`patient:${p}`, Number(await world.deployment.registrar.pseudonymIndexOf(p)));
  for (const p of new Set(requested.map((r) => r.provider))) index.set(`provider:${p}`, Number(await world.deployment.registrar.partyIndexOf(p)));
  const roots = new Map<string, { root: string; blockNumber: number; blockHash: string }>();
  const txsPerBlock = new Map<number, Set<string>>();
  for (const a of anchored) {
    if (!roots.has(a.txHash)) {
      const receipt = await provider.getTransactionReceipt(a.txHash);
      if (!receipt || receipt.status !== 1) throw new Error(`${a.txHash}: no successful receipt`);
      const committed = receipt.logs.map((l) => ledger.interface.parseLog(l)).find((l) => l?.name === 'BatchCommitted');
      if (!committed) throw new Error(`${a.txHash}: no BatchCommitted`);
      roots.set(a.txHash, { root: committed.args.getValue('root') as string, blockNumber: receipt.blockNumber, blockHash: receipt.blockHash });
    }
    const onChain = roots.get(a.txHash)!;
    if (onChain.root !== a.batchRoot) throw new Error(`${a.pprId}: announced root ${a.batchRoot} is not the on-chain root ${onChain.root}`);
    if (onChain.blockHash !== a.blockHash || onChain.blockNumber !== a.blockNumber) throw new Error(`${a.pprId}: announced block differs from the receipt's`);
    if (a.confirmations < k) throw new Error(`${a.pprId}: announced at ${a.confirmations} < k confirmations`);
    const r = byId.get(a.pprId);
    if (!r) throw new Error(`${a.pprId}: announced but never requested`);
    const op: RelayOperation = {
      pprId: r.pprId,
      kind: r.kind,
      patient: r.patient,
      patientIndex: index.get(`patient:${r.patient}`)!,
      provider: r.provider,
      providerIndex: index.get(`provider:${r.provider}`)!,
      pprHash: r.pprHash,
      replacedPprId: r.replacedPprId,
      eventId: '',
      receivedAt: 0,
    };
    verifyMerkleInclusion(operationLeafHash(toLedgerOperation(op)), a.leafIndex, a.batchSize, a.inclusionProof.map((h) => getBytes(h)), getBytes(a.batchRoot));
    const set = txsPerBlock.get(a.blockNumber) ?? new Set<string>();
    set.add(a.txHash);
    txsPerBlock.set(a.blockNumber, set);
  }
  return txsPerBlock;
}

/**
 * The announcement that stands for each pprId (the last one), after checking that every
 * earlier announcement of it was withdrawn by a `ppr.reorged` naming that block and transaction.
 */
export function standingAnchors(anchored: readonly Anchored[], reorged: readonly { pprId: string; previousBlockHash: string; previousTxHash: string }[]): Map<string, Anchored> {
  const withdrawn = new Set(reorged.map((r) => `${r.pprId}|${r.previousBlockHash}|${r.previousTxHash}`));
  const standing = new Map<string, Anchored>();
  for (const a of anchored) {
    const before = standing.get(a.pprId);
    if (before && !withdrawn.has(`${before.pprId}|${before.blockHash}|${before.txHash}`)) {
      throw new Error(`${a.pprId} announced twice (${before.blockHash}, then ${a.blockHash}) without a ppr.reorged in between`);
    }
    standing.set(a.pprId, a);
  }
  return standing;
}
