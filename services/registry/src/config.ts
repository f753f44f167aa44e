import { ethAddressSchema } from '@carechain/contracts';
import { chainConfigSchema, httpConfigSchema, kafkaConfigSchema, mongoConfigSchema } from '@carechain/platform';
import { z } from 'zod';

/**
 * The Summary index's variables. All optional as a group: without PPR_LEDGER_ADDRESS the
 * registry runs identity registration only and serves no Summaries; with it, ETH_RPC_URL and
 * CHAIN_ID (the platform's chain fragment) become required.
 */
const summaryConfigShape = {
  ETH_RPC_URL: chainConfigSchema.shape.ETH_RPC_URL.optional(),
  CHAIN_ID: chainConfigSchema.shape.CHAIN_ID.optional(),
  ETH_POLLING_INTERVAL_MS: chainConfigSchema.shape.ETH_POLLING_INTERVAL_MS,
  PPR_LEDGER_ADDRESS: ethAddressSchema.optional(),
  /** The ledger's deploy block: where the index starts reading. */
  PPR_LEDGER_DEPLOY_BLOCK: z.coerce.number().int().min(0).default(0),
  /** Blocks below the head before the index reads a block (the relay's k, by default 3). */
  SUMMARY_CONFIRMATIONS: z.coerce.number().int().min(0).max(256).default(3),
  SUMMARY_POLL_INTERVAL_MS: z.coerce.number().int().min(100).default(1_000),
  SUMMARY_SWEEP_INTERVAL_MS: z.coerce.number().int().min(1_000).default(60_000),
  SUMMARY_MAX_BLOCKS_PER_STEP: z.coerce.number().int().min(1).max(100_000).default(500),
};

/** Every environment variable the registry reads. */
export const registryConfigSchema = httpConfigSchema
  .extend(kafkaConfigSchema.shape)
  .extend(mongoConfigSchema.shape)
  .extend(summaryConfigShape)
  .superRefine((config, ctx) => {
    if (config.PPR_LEDGER_ADDRESS === undefined) return;
    for (const name of ['ETH_RPC_URL', 'CHAIN_ID'] as const) {
      if (config[name] === undefined) ctx.addIssue({ code: 'custom', path: [name], message: 'is required when PPR_LEDGER_ADDRESS is set' });
    }
  });
export type RegistryConfig = z.output<typeof registryConfigSchema>;

/** The Summary index's settings when it is enabled (PPR_LEDGER_ADDRESS set), else undefined. */
export interface SummaryIndexConfig {
  readonly chain: { ETH_RPC_URL: string; CHAIN_ID: number; ETH_POLLING_INTERVAL_MS: number };
  readonly ledgerAddress: string;
  readonly deployBlock: number;
  readonly confirmations: number;
  readonly pollIntervalMs: number;
  readonly sweepIntervalMs: number;
  readonly maxBlocksPerStep: number;
}

/** Narrows the validated config to the Summary index's settings, or undefined if it is disabled. */
export function summaryIndexConfig(config: RegistryConfig): SummaryIndexConfig | undefined {
  if (config.PPR_LEDGER_ADDRESS === undefined || config.ETH_RPC_URL === undefined || config.CHAIN_ID === undefined) return undefined;
  return {
    chain: { ETH_RPC_URL: config.ETH_RPC_URL, CHAIN_ID: config.CHAIN_ID, ETH_POLLING_INTERVAL_MS: config.ETH_POLLING_INTERVAL_MS },
    ledgerAddress: config.PPR_LEDGER_ADDRESS,
    deployBlock: config.PPR_LEDGER_DEPLOY_BLOCK,
    confirmations: config.SUMMARY_CONFIRMATIONS,
    pollIntervalMs: config.SUMMARY_POLL_INTERVAL_MS,
    sweepIntervalMs: config.SUMMARY_SWEEP_INTERVAL_MS,
    maxBlocksPerStep: config.SUMMARY_MAX_BLOCKS_PER_STEP,
  };
}
