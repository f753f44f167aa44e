import { MAX_BATCH_BYTES } from '@carechain/chain';
import { ethAddressSchema } from '@carechain/contracts';
import { chainConfigSchema, httpConfigSchema, kafkaConfigSchema, mongoConfigSchema, signingKeySchema } from '@carechain/platform';
import { getAddress } from 'ethers';
import { z } from 'zod';

/** A contract address, checksummed (ethers' form) once it has passed the shared address check. */
const contractAddress = ethAddressSchema.transform((a) => getAddress(a));

/** Every environment variable the chain relay reads. */
export const relayConfigSchema = httpConfigSchema
  .extend(kafkaConfigSchema.shape)
  .extend(mongoConfigSchema.shape)
  .extend(chainConfigSchema.shape)
  .extend({
    /** Confirmations before an operation is announced as anchored (k). */
    RELAY_CONFIRMATIONS: z.coerce.number().int().min(1).max(64).default(3),
    /** The relay account's signing key; the account must be an active relay in the Registrar. */
    RELAY_PRIVATE_KEY: signingKeySchema,
    PPR_LEDGER_ADDRESS: contractAddress,
    REGISTRAR_ADDRESS: contractAddress,
    /** Consumer group; instances sharing it split the `ppr.requested` partitions. */
    RELAY_GROUP_ID: z.string().min(1).default('chain-relay'),
    /** Largest batch in calldata bytes (the txpool refuses transactions over 128 KiB). */
    RELAY_MAX_BATCH_BYTES: z.coerce.number().int().min(128).max(MAX_BATCH_BYTES).default(MAX_BATCH_BYTES),
    /** Longest an operation waits for a new head before a batch is sent anyway. */
    RELAY_LINGER_MS: z.coerce.number().int().min(0).default(500),
    /** Blocks without a receipt after which the in-flight transaction is replaced. */
    RELAY_STUCK_AFTER_BLOCKS: z.coerce.number().int().min(1).default(4),
    /** Blocks past the mined block during which an announced batch is still checked for reorgs. */
    RELAY_REORG_WATCH_BLOCKS: z.coerce.number().int().min(1).default(32),
    /** How many recent operation ids the in-process dedupe window holds (redeliveries are caught by the store). */
    RELAY_DEDUPE_WINDOW: z.coerce.number().int().min(1).default(200_000),
    /** How often the relay polls the head and reconciles. */
    RELAY_TICK_MS: z.coerce.number().int().min(20).default(250),
  });
export type RelayConfig = z.output<typeof relayConfigSchema>;
