import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export const issueChallengeSchema = z.object({
  audience: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,127}$/, 'must be a lower-case service or provider id')
    .describe('Who the proof will be presented to'),
});
export class IssueChallengeDto extends createZodDto(issueChallengeSchema) {}

export const nonceParamSchema = z.object({ nonce: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be a 32-byte base64url nonce') });
export class NonceParamDto extends createZodDto(nonceParamSchema) {}

export const challengeResponseSchema = z.object({
  nonce: z.string(),
  audience: z.string(),
  issuedAt: z.string(),
  expiresAt: z.string(),
});
export class ChallengeResponseDto extends createZodDto(challengeResponseSchema) {}
