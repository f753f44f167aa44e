import { attributeNameSchema } from '@carechain/contracts';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export const attributeParamSchema = z.object({ attribute: attributeNameSchema });
export class AttributeParamDto extends createZodDto(attributeParamSchema) {}

export const rotateEpochSchema = z.object({ reason: z.enum(['key-update', 'revocation']) });
export class RotateEpochDto extends createZodDto(rotateEpochSchema) {}

export const epochResponseSchema = z.object({
  issuerId: z.string(),
  attribute: z.string(),
  epoch: z.number().int(),
  rotatedAt: z.string(),
});
export class EpochResponseDto extends createZodDto(epochResponseSchema) {}
