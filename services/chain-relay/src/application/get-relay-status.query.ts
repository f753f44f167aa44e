import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG } from '@carechain/platform';
import type { RelayConfig } from '../config';
import { CHAIN_VIEW, type ChainView } from './ports';
import { RelayEngine } from './relay-engine';

/** The relay's view of the chain (network, head, k) and of its own queue and open batches. */
@Injectable()
export class GetRelayStatusQuery {
  constructor(
    @Inject(CHAIN_VIEW) private readonly chain: ChainView,
    @Inject(SERVICE_CONFIG) private readonly config: RelayConfig,
    private readonly engine: RelayEngine,
  ) {}

  async execute() {
    const [chainId, head] = await Promise.all([this.chain.chainId(), this.chain.head()]);
    return { chainId, head, confirmations: this.config.RELAY_CONFIRMATIONS, relay: this.engine.snapshot() };
  }
}
