import { pseudonymSchema } from '@carechain/contracts';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

const recordIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be 1–128 URL-safe characters');

export const uploadRecordSchema = z.object({
  recordId: recordIdSchema,
  patient: pseudonymSchema.describe('The patient pseudonym the record belongs to'),
  version: z.number().int().min(1).max(1_000_000),
  sealed: z.base64().min(4).describe('The signcrypted envelope {C1, C2, σ}, base64'),
});
export class UploadRecordDto extends createZodDto(uploadRecordSchema) {}

export const recordParamSchema = z.object({ recordId: recordIdSchema });
export class RecordParamDto extends createZodDto(recordParamSchema) {}

export const recordQuerySchema = z.object({ version: z.coerce.number().int().min(1).optional() });
export class RecordQueryDto extends createZodDto(recordQuerySchema) {}

export const recordResponseSchema = z.object({
  recordId: z.string(),
  patient: z.string(),
  version: z.number(),
  state: z.enum(['pending', 'committed', 'failed']),
  pprId: z.string(),
  pprHash: z.string(),
  receivedAt: z.string(),
  anchor: z
    .object({
      blockNumber: z.number(),
      blockHash: z.string(),
      txHash: z.string(),
      batchRoot: z.string(),
      leafIndex: z.number(),
      confirmations: z.number(),
      anchoredAt: z.string(),
    })
    .optional()
    .describe('Where the PPR was anchored (k-confirmed); present while committed'),
  failure: z
    .object({ code: z.string(), reason: z.string(), failedAt: z.string() })
    .optional()
    .describe('Why the relay refused the PPR operation (e.g. UNKNOWN_PATIENT); present while failed. Uploading the same bytes again retries.'),
  sealed: z.string().optional().describe('The sealed envelope, base64; only once committed'),
});
export class RecordResponseDto extends createZodDto(recordResponseSchema) {}
