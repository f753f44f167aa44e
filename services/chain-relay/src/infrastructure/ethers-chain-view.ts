import { Inject, Injectable } from '@nestjs/common';
import { ErrorCode } from '@carechain/contracts';
import { CHAIN_PROVIDER, DomainError } from '@carechain/platform';
import type { JsonRpcProvider } from 'ethers';
import type { ChainView } from '../application/ports';

/** ChainView over the ethers provider of the geth node this relay talks to. */
@Injectable()
export class EthersChainView implements ChainView {
  constructor(@Inject(CHAIN_PROVIDER) private readonly provider: JsonRpcProvider) {}

  async chainId(): Promise<number> {
    return Number((await this.provider.getNetwork()).chainId);
  }

  async head() {
    const block = await this.provider.getBlock('latest').catch((error: Error) => {
      throw new DomainError(ErrorCode.DependencyUnavailable, `chain: ${error.message}`);
    });
    if (!block?.hash) throw new DomainError(ErrorCode.DependencyUnavailable, 'chain returned no head block');
    return { number: block.number, hash: block.hash, difficulty: block.difficulty.toString(), miner: block.miner.toLowerCase() };
  }
}
