import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export const pseudonymParamSchema = z.object({
  pseudonym: z
    .string()
    .regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte hex address')
    .transform((a) => a.toLowerCase())
    .describe('A patient pseudonym (one of the patient\'s registered addresses)'),
});
export class PseudonymParamDto extends createZodDto(pseudonymParamSchema) {}

const hex32 = z.string().describe('0x-prefixed 32-byte hex');

export const anchorSchema = z.object({
  blockNumber: z.number().int(),
  blockHash: hex32,
  txHash: hex32,
  batchId: z.string().describe('The ledger\'s batch id (decimal); `batchRoot(batchId)` on chain equals batchRoot'),
  batchRoot: hex32,
  batchSize: z.number().int(),
  leafIndex: z.number().int(),
  inclusionProof: z.array(hex32).describe('RFC 6962 audit path of the leaf, leaf-side sibling first'),
  patientHeadAfter: hex32.describe('The patient\'s chain head right after this operation'),
});

export const operationSchema = z.object({
  kind: z.enum(['add', 'modify', 'delete', 'policy']),
  pprId: z.string().describe('The ledger\'s 16-byte PPR id (the first 16 bytes of the 32-byte request id)'),
  provider: z.number().int().describe('Registrar party index of the provider'),
  pprHash: hex32,
  replacedPprId: z.string().optional(),
  anchor: anchorSchema,
});

export const liveLinkSchema = z.object({
  pprId: z.string(),
  provider: z.number().int(),
  pprHash: hex32,
  policyHash: hex32.optional(),
  history: z.array(z.string()).describe('pprIds this link replaced, newest first'),
  linkedBy: anchorSchema,
  policyBy: anchorSchema.optional(),
});

export const summaryResponseSchema = z.object({
  patient: z.object({ pseudonym: z.string(), index: z.number().int().describe('Registrar pseudonym index') }),
  ledger: z.object({ address: z.string(), deployBlock: z.number().int() }),
  atBlock: z.object({ number: z.number().int(), hash: hex32 }),
  head: hex32.describe('Equals the ledger\'s patientHead(index) at atBlock, and the fold of `operations`'),
  operations: z.array(operationSchema).describe('Every operation committed for the patient, in commit order'),
  live: z.array(liveLinkSchema).describe('The live PPR links the operations leave, across providers'),
});
export class SummaryResponseDto extends createZodDto(summaryResponseSchema) {}
