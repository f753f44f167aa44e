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

/**
 * The Kafka consumer group of one provider's storage instances for `purpose` (they share it
 * and split the partitions). Every provider must read every relay notice, so providers never
 * share a group.
 */
export function providerGroupId(provider: string, purpose: 'anchors' | 'refusals'): string {
  return purpose === 'anchors' ? `provider-storage-${provider.toLowerCase()}` : `provider-storage-${provider.toLowerCase()}-${purpose}`;
}
