/** What the relay needs to know about the chain it anchors to. */
export interface ChainView {
  chainId(): Promise<number>;
  head(): Promise<{ number: number; hash: string; difficulty: string; miner: string }>;
}

export const CHAIN_VIEW = Symbol('CHAIN_VIEW');
