import { z } from 'zod';

/** A checksummed or lower-case 20-byte Ethereum address, normalised to lower case. */
export const ethAddressSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'must be a 0x-prefixed 20-byte hex address')
  .transform((a) => a.toLowerCase());

/** An EIP-155 chain id as a JSON number (decimal); zod's `int` keeps it a safe integer. */
export const chainIdSchema = z.number().int().min(1);

/**
 * A patient pseudonym: one of the patient's Ethereum addresses as registered with the
 * Registrar. The chain never links two pseudonyms of one person.
 */
export const pseudonymSchema = ethAddressSchema;

/** A 32-byte hash as 0x-prefixed lower-case hex. */
export const bytes32Schema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, 'must be a 0x-prefixed 32-byte hex value')
  .transform((h) => h.toLowerCase());

/** Attribute names as the ABE policies use them: `attribute@authority`. */
export const attributeNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,62}@[a-z0-9][a-z0-9_.-]{0,62}$/, 'must be attribute@authority (lower case)');

export const issuerIdSchema = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/, 'must be a lower-case issuer id');

export const isoTimeSchema = z.iso.datetime({ offset: true });

export const roleSchema = z.enum(['patient', 'user', 'provider', 'issuer', 'relay', 'management']);
