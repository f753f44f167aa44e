import { z } from 'zod';
import { CryptoError, CryptoErrorCode } from '../errors';
import { ABA_VERSION } from './aba-encoding';

/** Upper bounds that keep a hostile presentation from making the verifier do unbounded work. */
export const ABA_LIMITS = { credentials: 8, attributesPerCredential: 64, disclosedPerCredential: 64 } as const;

const b64 = z.string().regex(/^[A-Za-z0-9_-]+$/).max(1 << 16);
const issuerId = z.string().regex(/^[A-Za-z0-9_.:-]+$/).max(128);
const attributeName = z.string().regex(/^[A-Za-z0-9_.:-]+@[A-Za-z0-9_.:-]+$/).max(256);
const dayNumber = z.number().int().min(0).max(1e7);
const epoch = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const version = z.string();

/** An issuer's public key as published (versioned JSON): its id, BBS public key in G2 and current epoch. */
export const AbaIssuerPublicKeySchema = z.object({
  version,
  issuer: issuerId,
  publicKey: b64,
  epoch,
});
export type AbaIssuerPublicKey = z.infer<typeof AbaIssuerPublicKeySchema>;

/** The opener's ElGamal public key pk = g^sk in G1. */
export const AbaOpenerPublicKeySchema = z.object({ version, publicKey: b64 });
export type AbaOpenerPublicKey = z.infer<typeof AbaOpenerPublicKeySchema>;

/** What a holder sends an issuer: a commitment to its hidden tag, its enrolment T, and a proof they share the tag. */
export const AbaCredentialRequestSchema = z.object({
  version,
  commitment: b64,
  enrolment: b64,
  proof: b64,
});
export type AbaCredentialRequest = z.infer<typeof AbaCredentialRequestSchema>;

/** A BBS credential over (tag, epoch, expiry day, sorted attributes); the tag itself is not in it. */
export const AbaCredentialSchema = z.object({
  version,
  issuer: issuerId,
  epoch,
  expiresOnDay: dayNumber,
  attributes: z.array(attributeName).min(1).max(ABA_LIMITS.attributesPerCredential),
  signature: b64,
});
export type AbaCredential = z.infer<typeof AbaCredentialSchema>;

/** A verifier's fresh challenge; the nonce is single-use and the caller must enforce that. */
export const AbaChallengeSchema = z.object({ version, nonce: b64, issuedAt: z.number().int().min(0) });
export type AbaChallenge = z.infer<typeof AbaChallengeSchema>;

/** The request an authentication is bound to. `bodySha256` is the hex SHA-256 of the request body. */
export const AbaRequestContextSchema = z.object({
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']),
  path: z.string().min(1).max(2048),
  bodySha256: z.string().regex(/^[0-9a-f]{64}$/),
  audience: z.string().min(1).max(256),
});
export type AbaRequestContext = z.infer<typeof AbaRequestContextSchema>;

/** One credential as it appears in a presentation: what is disclosed, and the shape of what is not. */
export const AbaPresentedCredentialSchema = z.object({
  issuer: issuerId,
  epoch,
  expiresOnDay: dayNumber,
  attributeCount: z.number().int().min(1).max(ABA_LIMITS.attributesPerCredential),
  disclosed: z
    .array(z.object({ index: z.number().int().min(0), attribute: attributeName }))
    .max(ABA_LIMITS.disclosedPerCredential),
});
export type AbaPresentedCredential = z.infer<typeof AbaPresentedCredentialSchema>;

/** ElGamal ciphertext of g^tag under the opener's key: c1 = g^r, c2 = g^tag · pk^r. */
export const AbaTraceCiphertextSchema = z.object({ c1: b64, c2: b64 });
export type AbaTraceCiphertext = z.infer<typeof AbaTraceCiphertextSchema>;

/** An anonymous authentication: the presented credentials, the trace ciphertext and one composite proof. */
export const AbaPresentationSchema = z.object({
  version,
  credentials: z.array(AbaPresentedCredentialSchema).min(1).max(ABA_LIMITS.credentials),
  trace: AbaTraceCiphertextSchema,
  proof: b64,
});
export type AbaPresentation = z.infer<typeof AbaPresentationSchema>;

/** The opener's answer: who, the decrypted g^tag, and a proof that the decryption is correct. */
export const AbaOpeningSchema = z.object({ version, personId: z.string(), tagPoint: b64, proof: b64 });
export type AbaOpening = z.infer<typeof AbaOpeningSchema>;

/**
 * Parses untrusted input (an object or a JSON string) against a schema and the ABA version.
 * Shape errors are MalformedInput; a well-formed object of another version is UnsupportedVersion.
 */
export function parseAba<T extends { version: string }>(schema: z.ZodType<T>, input: unknown, what: string): T {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (cause) {
      throw new CryptoError(CryptoErrorCode.MalformedInput, `${what} is not JSON`, { cause });
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new CryptoError(CryptoErrorCode.MalformedInput, `${what} is malformed: ${parsed.error.issues[0]?.message ?? ''}`);
  }
  if (parsed.data.version !== ABA_VERSION) {
    throw new CryptoError(CryptoErrorCode.UnsupportedVersion, `${what} has version ${parsed.data.version}, expected ${ABA_VERSION}`);
  }
  return parsed.data;
}

/** Parses an unversioned piece of untrusted input (the request context). */
export function parseAbaPlain<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new CryptoError(CryptoErrorCode.MalformedInput, `${what} is malformed: ${parsed.error.issues[0]?.message ?? ''}`);
  }
  return parsed.data;
}
