import { httpConfigSchema, kafkaConfigSchema, mongoConfigSchema } from '@carechain/platform';
import type { z } from 'zod';

/** Every environment variable the audit service reads. */
export const auditConfigSchema = httpConfigSchema.extend(kafkaConfigSchema.shape).extend(mongoConfigSchema.shape);
export type AuditConfig = z.output<typeof auditConfigSchema>;
