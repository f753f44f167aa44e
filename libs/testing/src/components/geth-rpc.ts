/** A JSON-RPC error answered by geth. */
export class GethRpcError extends Error {
  constructor(
    readonly method: string,
    readonly rpcCode: number,
    message: string,
  ) {
    super(`${method}: ${message} (${rpcCode})`);
    this.name = 'GethRpcError';
  }
}

/** One JSON-RPC call over HTTP with a 5 s timeout; throws on transport or RPC errors. */
export async function gethRpc<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) throw new Error(`${method}: HTTP ${response.status}`);
  const body = (await response.json()) as { result?: T; error?: { code: number; message: string } };
  if (body.error) throw new GethRpcError(method, body.error.code, body.error.message);
  return body.result as T;
}

/** Current head number of a node. */
export async function blockNumber(url: string): Promise<number> {
  return Number(await gethRpc<string>(url, 'eth_blockNumber'));
}

/** Hash of the node's canonical block at `height`, or undefined if it has none yet. */
export async function blockHashAt(url: string, height: number): Promise<string | undefined> {
  const block = await gethRpc<{ hash: string } | null>(url, 'eth_getBlockByNumber', ['0x' + height.toString(16), false]);
  return block?.hash;
}

/** Number of connected peers. */
export async function peerCount(url: string): Promise<number> {
  return (await gethRpc<unknown[]>(url, 'admin_peers')).length;
}

/** The node's enode URL (with the 127.0.0.1 address it advertises). */
export async function nodeEnode(url: string): Promise<string> {
  return (await gethRpc<{ enode: string }>(url, 'admin_nodeInfo')).enode;
}
