import { chainProbe } from '@carechain/platform';
import { JsonRpcProvider, Wallet, parseEther, toQuantity } from 'ethers';
import { getInfrastructure, type Infrastructure } from '../src';
import { runtimeClient } from '../src/engine/docker-engine';

interface RawBlock {
  hash: string;
  number: string;
  difficulty: string;
  nonce: string;
  mixHash: string;
  miner: string;
  transactions: string[];
}

async function rawBlock(url: string, height: number): Promise<RawBlock | null> {
  const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true, cacheTimeout: -1 });
  try {
    return (await provider.send('eth_getBlockByNumber', [toQuantity(height), false])) as RawBlock | null;
  } finally {
    provider.destroy();
  }
}

async function head(url: string): Promise<number> {
  const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true, cacheTimeout: -1 });
  try {
    return await provider.getBlockNumber();
  } finally {
    provider.destroy();
  }
}

async function peers(url: string): Promise<number> {
  const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true, cacheTimeout: -1 });
  try {
    return ((await provider.send('admin_peers', [])) as unknown[]).length;
  } finally {
    provider.destroy();
  }
}

async function poll<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the two-miner proof-of-work chain', () => {
  let infra: Infrastructure;
  let provider: JsonRpcProvider;

  beforeAll(async () => {
    infra = await getInfrastructure();
    provider = new JsonRpcProvider(infra.chain.nodes[0].rpcUrl, infra.chain.chainId, {
      staticNetwork: true,
      pollingInterval: 250,
      cacheTimeout: -1,
    });
  });
  afterAll(() => provider.destroy());

  it('mines a client-signed transaction into a proof-of-work block both nodes agree on', async () => {
    const [providerNode, issuerNode] = infra.chain.nodes;
    const sender = new Wallet(infra.chain.accounts[5].privateKey, provider);
    const tx = await sender.sendTransaction({ to: infra.chain.accounts[6].address, value: parseEther('0.5') });
    const receipt = await tx.wait(3, 120_000);
    expect(receipt?.status).toBe(1);

    // Short forks between the two miners are normal: settle on the block that holds the
    // transaction once both nodes report the same hash at its height.
    const block = await poll(
      'both nodes to agree on the block holding the transaction',
      async () => {
        const current = await provider.getTransactionReceipt(tx.hash);
        if (!current) return undefined;
        const [a, b] = await Promise.all([rawBlock(providerNode.rpcUrl, current.blockNumber), rawBlock(issuerNode.rpcUrl, current.blockNumber)]);
        return a && b && a.hash === b.hash && a.hash === current.blockHash ? a : undefined;
      },
      60_000,
    );

    expect(block.transactions).toContain(tx.hash);
    expect(BigInt(block.difficulty)).toBeGreaterThanOrEqual(131_072n);
    expect(BigInt(block.nonce)).not.toBe(0n);
    expect(BigInt(block.mixHash)).not.toBe(0n);
    const etherbases = infra.chain.nodes.map((n) => n.etherbase.toLowerCase());
    expect(etherbases).toContain(block.miner.toLowerCase());
    expect(etherbases.slice(0, 2)).toEqual(infra.chain.accounts.slice(0, 2).map((a) => a.address.toLowerCase()));
  });

  it('forks under a partition and converges on one chain after healing', async () => {
    const [a, b] = infra.chain.nodes;
    await infra.handles.chain.partition();
    let forkHeight: number;
    try {
      const start = Math.max(await head(a.rpcUrl), await head(b.rpcUrl));
      forkHeight = start + 2;
      // Both sides mine on their own from here; wait until each has a block past the fork height.
      await poll('both sides to mine past the fork height', async () =>
        (await head(a.rpcUrl)) > forkHeight && (await head(b.rpcUrl)) > forkHeight ? true : undefined, 120_000);
      const [blockA, blockB] = await Promise.all([rawBlock(a.rpcUrl, forkHeight), rawBlock(b.rpcUrl, forkHeight)]);
      expect(await Promise.all([peers(a.rpcUrl), peers(b.rpcUrl)])).toEqual([0, 0]);
      expect(blockA!.hash).not.toBe(blockB!.hash);
      expect(blockA!.miner.toLowerCase()).toBe(a.etherbase.toLowerCase());
      expect(blockB!.miner.toLowerCase()).toBe(b.etherbase.toLowerCase());
    } finally {
      await infra.handles.chain.heal();
    }
    const converged = await poll('one hash at the fork height on both nodes', async () => {
      const [blockA, blockB] = await Promise.all([rawBlock(a.rpcUrl, forkHeight), rawBlock(b.rpcUrl, forkHeight)]);
      return blockA && blockB && blockA.hash === blockB.hash ? blockA.hash : undefined;
    }, 60_000);
    expect(converged).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it("is ready for the platform's chain probe only under its own chain id", async () => {
    // ethers' static network never asks the node its chain id; only the probe notices a service
    // configured for another chain.
    const wrong = new JsonRpcProvider(infra.chain.nodes[0].rpcUrl, 1, { staticNetwork: true, cacheTimeout: -1 });
    try {
      await expect(chainProbe(provider, infra.chain.chainId).check()).resolves.toMatchObject({ chainId: infra.chain.chainId, head: expect.any(Number) });
      await expect(chainProbe(wrong, 1).check()).rejects.toThrow(`the node is on chain ${infra.chain.chainId}, not CHAIN_ID 1`);
    } finally {
      wrong.destroy();
    }
  });

  it("paces each node's miner from geth's own console (infra/images/geth/pace-miner.js)", async () => {
    const client = await runtimeClient();
    for (const [name, node] of [['provider', infra.chain.nodes[0]], ['issuer', infra.chain.nodes[1]]] as const) {
      const container = client.container.getById(infra.handles.geth[name].containerId);
      // The pacing loop is running beside the node...
      const ps = await client.container.exec(container, ['sh', '-c', 'for f in /proc/[0-9]*/cmdline; do tr "\\0" " " < "$f"; echo; done']);
      expect(ps.stdout).toContain("loadScript('/opt/chain/pace-miner.js')");
      // ...and the script loads in this geth's console, reads the node's miner state, and decides:
      // pause a mining node 9 s ahead, resume one it paused once within 1 s, leave others alone.
      // (Whether the node is mining right now depends on the pacer, so only its type is checked.)
      const script = "var PACE_MINER_NO_LOOP = 1; loadScript('/opt/chain/pace-miner.js'); " +
        "[typeof eth.mining, paceDecision(false, 9, true), paceDecision(true, 1, false), paceDecision(false, 1, false)].join(' ')";
      const port = new URL(node.rpcUrl).port;
      const run = await client.container.exec(container, ['geth', 'attach', '--exec', script, `http://127.0.0.1:${port}`]);
      expect({ exitCode: run.exitCode, stdout: run.stdout.trim() }).toEqual({ exitCode: 0, stdout: '"boolean pause resume none"' });
    }
  });
});
