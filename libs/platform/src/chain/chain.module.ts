import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { JsonRpcProvider } from 'ethers';
import type { ChainConfig } from '../config/config-schemas';
import { withTimeout, type DependencyProbe } from '../health/dependency-probe';

export const CHAIN_PROVIDER = Symbol('CHAIN_PROVIDER');
export const CHAIN_PROBE = Symbol('CHAIN_PROBE');

@Injectable()
class ChainLifecycle implements OnApplicationShutdown {
  constructor(@Inject(CHAIN_PROVIDER) private readonly provider: JsonRpcProvider) {}
  onApplicationShutdown(): void {
    this.provider.destroy();
  }
}

/**
 * Readiness of the chain: the node answers, and it is on the configured chain. The provider's
 * network is static (it never asks the node), so without the second check a service pointed
 * at another chain's node would look ready while every transaction it signs is refused and
 * every contract read answers for another deployment.
 */
export function chainProbe(provider: Pick<JsonRpcProvider, 'getBlockNumber' | 'send'>, chainId: number): DependencyProbe {
  return {
    name: 'chain',
    async check() {
      const [head, reported] = await Promise.all([
        withTimeout(provider.getBlockNumber(), 3_000, 'eth_blockNumber'),
        withTimeout(provider.send('eth_chainId', []) as Promise<string>, 3_000, 'eth_chainId'),
      ]);
      if (Number(reported) !== chainId) throw new Error(`the node is on chain ${Number(reported)}, not CHAIN_ID ${chainId}`);
      return { head, chainId };
    },
  };
}

/**
 * An ethers v6 JSON-RPC provider for the geth node this service talks to. The network is
 * static (no chain-id polling), and the response cache is off (`cacheTimeout: -1`): on a
 * proof-of-work chain a cached block number or receipt can be stale across a reorg.
 */
@Module({})
export class ChainModule {
  static forRoot(config: ChainConfig): DynamicModule {
    return {
      module: ChainModule,
      global: true,
      providers: [
        {
          provide: CHAIN_PROVIDER,
          useFactory: () => {
            const provider = new JsonRpcProvider(config.ETH_RPC_URL, config.CHAIN_ID, {
              staticNetwork: true,
              cacheTimeout: -1,
              pollingInterval: config.ETH_POLLING_INTERVAL_MS,
            });
            return provider;
          },
        },
        {
          provide: CHAIN_PROBE,
          inject: [CHAIN_PROVIDER],
          useFactory: (provider: JsonRpcProvider): DependencyProbe => chainProbe(provider, config.CHAIN_ID),
        },
        ChainLifecycle,
      ],
      exports: [CHAIN_PROVIDER, CHAIN_PROBE],
    };
  }
}
