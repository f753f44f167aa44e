import { chainProbe } from './chain.module';

function node(chainIdHex: string, head = 42) {
  return { getBlockNumber: async () => head, send: async (method: string) => (method === 'eth_chainId' ? chainIdHex : null) };
}

describe('chainProbe', () => {
  it('is ready with the head when the node is on the configured chain', async () => {
    await expect(chainProbe(node('0x539'), 1337).check()).resolves.toEqual({ head: 42, chainId: 1337 });
  });

  it('is not ready, saying both ids, when the node is on another chain', async () => {
    await expect(chainProbe(node('0x1'), 1337).check()).rejects.toThrow('the node is on chain 1, not CHAIN_ID 1337');
  });

  it('is not ready when the node does not answer', async () => {
    const down = { getBlockNumber: () => Promise.reject(new Error('ECONNREFUSED')), send: async () => '0x539' };
    await expect(chainProbe(down, 1337).check()).rejects.toThrow('ECONNREFUSED');
  });
});
