import { ethAddressSchema } from '@carechain/contracts';
import { chainConfigSchema, httpConfigSchema, kafkaConfigSchema, mongoConfigSchema, signingKeySchema, type ChainConfig } from '@carechain/platform';
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

/**
 * On-chain enrolment of patient and user addresses. Optional as a pair: with REGISTRAR_ADDRESS
 * and ENROLLER_PRIVATE_KEY (a relay party's key), the registry registers them in the Registrar;
 * ETH_RPC_URL and CHAIN_ID become required.
 */
const enrolmentConfigShape = {
  REGISTRAR_ADDRESS: ethAddressSchema.optional(),
  ENROLLER_PRIVATE_KEY: signingKeySchema.optional(),
  /** Depth at which a registration counts (the relay's k). */
  ENROLMENT_CONFIRMATIONS: z.coerce.number().int().min(1).max(64).default(3),
  ENROLMENT_POLL_INTERVAL_MS: z.coerce.number().int().min(100).default(2_000),
  /** Addresses per registerPseudonyms call (≈ 50,000 gas each). */
  ENROLMENT_MAX_PER_TX: z.coerce.number().int().min(1).max(400).default(100),
  /** Blocks after which a registration that never showed up is sent again. */
  ENROLMENT_RESEND_AFTER_BLOCKS: z.coerce.number().int().min(2).default(12),
};

/** Every environment variable the registry reads. */
export const registryConfigSchema = httpConfigSchema
  .extend(kafkaConfigSchema.shape)
  .extend(mongoConfigSchema.shape)
  .extend(summaryConfigShape)
  .extend(enrolmentConfigShape)
  .superRefine((config, ctx) => {
    const needChain = (because: string) => {
      for (const name of ['ETH_RPC_URL', 'CHAIN_ID'] as const) {
        if (config[name] === undefined) ctx.addIssue({ code: 'custom', path: [name], message: `is required when ${because} is set` });
      }
    };
    if (config.PPR_LEDGER_ADDRESS !== undefined) needChain('PPR_LEDGER_ADDRESS');
    if ((config.REGISTRAR_ADDRESS === undefined) !== (config.ENROLLER_PRIVATE_KEY === undefined)) {
      const missing = config.REGISTRAR_ADDRESS === undefined ? 'REGISTRAR_ADDRESS' : 'ENROLLER_PRIVATE_KEY';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'REGISTRAR_ADDRESS and ENROLLER_PRIVATE_KEY go together' });
    } else if (config.REGISTRAR_ADDRESS !== undefined) needChain('REGISTRAR_ADDRESS');
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

/** On-chain enrolment's settings when it is enabled (REGISTRAR_ADDRESS and ENROLLER_PRIVATE_KEY set), else undefined. */
export interface EnrolmentConfig {
  readonly chain: ChainConfig;
  readonly registrarAddress: string;
  readonly enrollerPrivateKey: string;
  readonly confirmations: number;
  readonly pollIntervalMs: number;
  readonly maxPerTx: number;
  readonly resendAfterBlocks: number;
}

export function enrolmentConfig(config: RegistryConfig): EnrolmentConfig | undefined {
  if (config.REGISTRAR_ADDRESS === undefined || config.ENROLLER_PRIVATE_KEY === undefined || config.ETH_RPC_URL === undefined || config.CHAIN_ID === undefined) {
    return undefined;
  }
  return {
    chain: { ETH_RPC_URL: config.ETH_RPC_URL, CHAIN_ID: config.CHAIN_ID, ETH_POLLING_INTERVAL_MS: config.ETH_POLLING_INTERVAL_MS },
    registrarAddress: config.REGISTRAR_ADDRESS,
    enrollerPrivateKey: config.ENROLLER_PRIVATE_KEY,
    confirmations: config.ENROLMENT_CONFIRMATIONS,
    pollIntervalMs: config.ENROLMENT_POLL_INTERVAL_MS,
    maxPerTx: config.ENROLMENT_MAX_PER_TX,
    resendAfterBlocks: config.ENROLMENT_RESEND_AFTER_BLOCKS,
  };
}
