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
          useFactory: (provider: JsonRpcProvider): DependencyProbe => ({
            name: 'chain',
            async check() {
              const head = await withTimeout(provider.getBlockNumber(), 3_000, 'eth_blockNumber');
              return { head };
            },
          }),
        },
        ChainLifecycle,
      ],
      exports: [CHAIN_PROVIDER, CHAIN_PROBE],
    };
  }
}
