import { issuerIdSchema } from '@carechain/contracts';
import { httpConfigSchema, kafkaConfigSchema, mongoConfigSchema } from '@carechain/platform';
import { z } from 'zod';

/**
 * Every environment variable an attribute issuer reads. One codebase runs as several
 * independent issuers; each instance has its own ISSUER_ID and its own database.
 */
export const issuerConfigSchema = httpConfigSchema
  .extend(kafkaConfigSchema.shape)
  .extend(mongoConfigSchema.shape)
  .extend({
    ISSUER_ID: issuerIdSchema,
    /** Bearer token for the issuer's administrative endpoints (epoch rotation). */
    ISSUER_ADMIN_TOKEN: z.string().min(32, 'must be at least 32 characters'),
  });
export type IssuerConfig = z.output<typeof issuerConfigSchema>;
