import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export const eventIdParamSchema = z.object({ eventId: z.string().min(1).max(200) });
export class EventIdParamDto extends createZodDto(eventIdParamSchema) {}

export const subjectParamSchema = z.object({ subject: z.string().min(1).max(500) });
export class SubjectParamDto extends createZodDto(subjectParamSchema) {}

export const trailQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  after: z.iso.datetime({ offset: true }).optional().describe('Return entries recorded after this time'),
});
export class TrailQueryDto extends createZodDto(trailQuerySchema) {}

export const auditEntryResponseSchema = z.object({
  eventId: z.string(),
  topic: z.string(),
  type: z.string(),
  source: z.string(),
  subject: z.string(),
  time: z.string(),
  data: z.record(z.string(), z.unknown()),
  partition: z.number(),
  offset: z.string(),
  recordedAt: z.string(),
});
export class AuditEntryResponseDto extends createZodDto(auditEntryResponseSchema) {}
