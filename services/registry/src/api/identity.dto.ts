import { ethAddressSchema, isoTimeSchema, roleSchema } from '@carechain/contracts';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export const registerIdentitySchema = z.object({
  address: ethAddressSchema.describe('The pseudonymous address being registered'),
  role: roleSchema,
  issuedAt: isoTimeSchema.describe('When the statement was signed; must be within 5 minutes'),
  signature: z
    .string()
    .regex(/^0x[0-9a-fA-F]{130}$/, 'must be a 65-byte 0x-hex signature')
    .describe('EIP-191 signature of the registration statement by `address`'),
});

export class RegisterIdentityDto extends createZodDto(registerIdentitySchema) {}

export const addressParamSchema = z.object({ address: ethAddressSchema });
export class AddressParamDto extends createZodDto(addressParamSchema) {}

export const identityResponseSchema = z.object({
  address: z.string(),
  role: roleSchema,
  registeredAt: z.string(),
  chain: z
    .object({ state: z.enum(['pending', 'enrolled']), index: z.number().optional() })
    .optional()
    .describe('Patients and users: the on-chain Registrar enrolment; PPR operations naming the address are anchored only once enrolled'),
});
export class IdentityResponseDto extends createZodDto(identityResponseSchema) {}
