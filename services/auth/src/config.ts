import { httpConfigSchema, kafkaConfigSchema, redisConfigSchema } from '@carechain/platform';
import { z } from 'zod';

/** Every environment variable auth reads. */
export const authConfigSchema = httpConfigSchema
  .extend(kafkaConfigSchema.shape)
  .extend(redisConfigSchema.shape)
  .extend({ CHALLENGE_TTL_SECONDS: z.coerce.number().int().min(5).max(600).default(120) });
export type AuthConfig = z.output<typeof authConfigSchema>;
