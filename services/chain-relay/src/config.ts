import { chainConfigSchema, httpConfigSchema, kafkaConfigSchema, mongoConfigSchema } from '@carechain/platform';
import { z } from 'zod';

/** Every environment variable the chain relay reads. */
export const relayConfigSchema = httpConfigSchema
  .extend(kafkaConfigSchema.shape)
  .extend(mongoConfigSchema.shape)
  .extend(chainConfigSchema.shape)
  .extend({
    /** Confirmations before an operation is announced as anchored (k). */
    RELAY_CONFIRMATIONS: z.coerce.number().int().min(1).max(64).default(3),
  });
export type RelayConfig = z.output<typeof relayConfigSchema>;
