import { httpConfigSchema, kafkaConfigSchema, mongoConfigSchema } from '@carechain/platform';
import type { z } from 'zod';

/** Every environment variable the registry reads. */
export const registryConfigSchema = httpConfigSchema.extend(kafkaConfigSchema.shape).extend(mongoConfigSchema.shape);
export type RegistryConfig = z.output<typeof registryConfigSchema>;
