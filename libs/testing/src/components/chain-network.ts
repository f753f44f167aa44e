import { waitUntil } from './wait-until';
import { blockHashAt, blockNumber, gethRpc, peerCount } from './geth-rpc';

/** The parts of a chain node that peering needs. */
export interface ChainNodeAddress {
  rpcUrl: string;
  enode: string;
}

/**
 * Connects every node to every other (admin_addPeer both ways, so either side re-dials a
 * dropped connection) and waits until each has a peer. The dial is re-issued while waiting,
 * which is a no-op for a peer geth already has and restarts one it has given up on.
 */
export async function connectNodes(nodes: ChainNodeAddress[], timeoutMs: number): Promise<void> {
  const dialAll = () =>
    Promise.all(
      nodes.flatMap((node) => nodes.filter((other) => other !== node).map((other) => gethRpc<boolean>(node.rpcUrl, 'admin_addPeer', [other.enode]))),
    );
  await dialAll();
  await Promise.all(
    nodes.map((node) =>
      waitUntil(`geth ${node.rpcUrl} peering`, async () => {
        if ((await peerCount(node.rpcUrl)) < 1) {
          await dialAll();
          throw new Error('no peer yet');
        }
      }, timeoutMs),
    ),
  );
}

/** How long the nodes must stay apart before a partition counts as established. */
const PARTITION_SETTLE_MS = 2_000;

/**
 * Disconnects every pair (admin_removePeer both ways, so neither re-dials) and resolves once
 * no node has had a peer for {@link PARTITION_SETTLE_MS}. A dial already in flight when the
 * peer is removed can still connect afterwards, so the removal is repeated until the
 * partition holds.
 */
export async function disconnectNodes(nodes: ChainNodeAddress[], timeoutMs: number): Promise<void> {
  await waitUntil('chain partition', async () => {
    await Promise.all(
      nodes.flatMap((node) => nodes.filter((other) => other !== node).map((other) => gethRpc<boolean>(node.rpcUrl, 'admin_removePeer', [other.enode]))),
    );
    await new Promise((r) => setTimeout(r, PARTITION_SETTLE_MS));
    const counts = await Promise.all(nodes.map((node) => peerCount(node.rpcUrl)));
    if (counts.some((count) => count > 0)) throw new Error(`peers still connected: ${counts.join(', ')}`);
  }, timeoutMs, 0);
}

/**
 * Resolves once all nodes report the same block hash at one common height (one below the
 * lowest head, so a block being mined right now does not race the comparison) and that height
 * is at least `minHeight`.
 */
export async function waitForCommonHash(nodes: ChainNodeAddress[], timeoutMs: number, minHeight = 1): Promise<number> {
  return waitUntil('chain convergence', async () => {
    const heads = await Promise.all(nodes.map((n) => blockNumber(n.rpcUrl)));
    const height = Math.min(...heads) - 1;
    if (height < minHeight) throw new Error(`common height ${height} < ${minHeight}`);
    const hashes = await Promise.all(nodes.map((n) => blockHashAt(n.rpcUrl, height)));
    if (new Set(hashes).size !== 1) throw new Error(`different hashes at ${height}: ${hashes.join(', ')}`);
    return height;
  }, timeoutMs, 500);
}
