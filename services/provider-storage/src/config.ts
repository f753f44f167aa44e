import { ethAddressSchema } from '@carechain/contracts';
import { httpConfigSchema, kafkaConfigSchema, mongoConfigSchema } from '@carechain/platform';
import { z } from 'zod';

/** Every environment variable a provider's storage service reads. */
export const storageConfigSchema = httpConfigSchema
  .extend(kafkaConfigSchema.shape)
  .extend(mongoConfigSchema.shape)
  .extend({
    /** The provider's registered address; PPRs name it. */
    PROVIDER_ADDRESS: ethAddressSchema,
    /** Largest accepted sealed record, in bytes. */
    MAX_RECORD_BYTES: z.coerce.number().int().min(1024).max(16 * 1024 * 1024).default(1024 * 1024),
  });
export type StorageConfig = z.output<typeof storageConfigSchema>;
