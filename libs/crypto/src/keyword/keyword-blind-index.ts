import { createHmac, randomBytes } from 'node:crypto';
import { CryptoError, CryptoErrorCode } from '../errors';
import { KEYWORD_NORMALISATION_VERSION, normaliseKeyword } from './keyword-normalisation';

/** Length of a patient's keyword key and of every token. */
export const KEYWORD_KEY_BYTES = 32;
export const KEYWORD_TOKEN_BYTES = 32;

// Domain tag and normalisation version lead the MAC input, so tokens of this scheme can never
// equal an HMAC the same key computes for another purpose or under another normalisation.
const TOKEN_DOMAIN = new TextEncoder().encode(`carechain/keyword-token/v1/norm${KEYWORD_NORMALISATION_VERSION}\u0000`);

function assertKeywordKey(key: unknown): asserts key is Uint8Array {
  if (!(key instanceof Uint8Array) || key.length !== KEYWORD_KEY_BYTES) {
    throw new CryptoError(CryptoErrorCode.MalformedInput, `a keyword key must be ${KEYWORD_KEY_BYTES} bytes`);
  }
}

/** A fresh random per-patient keyword key. */
export function generateKeywordKey(): Uint8Array {
  return new Uint8Array(randomBytes(KEYWORD_KEY_BYTES));
}

/**
 * The search token of one keyword: HMAC-SHA-256(key, domain || normaliseKeyword(keyword)).
 * Equal for two spellings exactly when they normalise to the same string; without the key it
 * is a pseudorandom 32-byte string (HMAC is a PRF), so it reveals nothing about the keyword.
 */
export function keywordToken(key: Uint8Array, keyword: string): Uint8Array {
  assertKeywordKey(key);
  const normalised = normaliseKeyword(keyword);
  return new Uint8Array(createHmac('sha256', key).update(TOKEN_DOMAIN).update(normalised, 'utf8').digest());
}

/**
 * The tokens a record is indexed under: one per distinct normalised keyword, sorted bytewise
 * so the order the keywords were written in is not revealed. With `padTo`, random 32-byte
 * dummies (indistinguishable from tokens without the key) bring the count up to `padTo`, so
 * the server does not learn how many keywords a record has (up to that bound).
 */
export function recordKeywordTokens(key: Uint8Array, keywords: readonly string[], options: { padTo?: number } = {}): Uint8Array[] {
  const list: unknown = keywords;
  if (!Array.isArray(list)) throw new CryptoError(CryptoErrorCode.MalformedInput, 'keywords must be an array of strings');
  const unique = new Map<string, Uint8Array>();
  for (const keyword of list as unknown[]) {
    if (typeof keyword !== 'string') throw new CryptoError(CryptoErrorCode.MalformedInput, 'keywords must be an array of strings');
    const token = keywordToken(key, keyword);
    unique.set(Buffer.from(token).toString('hex'), token);
  }
  const tokens = [...unique.values()];
  const { padTo } = options;
  if (padTo !== undefined) {
    if (!Number.isSafeInteger(padTo) || padTo < 0) throw new CryptoError(CryptoErrorCode.MalformedInput, 'padTo must be a non-negative integer');
    if (tokens.length > padTo) {
      throw new CryptoError(CryptoErrorCode.MalformedInput, `${tokens.length} distinct keywords exceed padTo = ${padTo}`);
    }
    while (tokens.length < padTo) tokens.push(new Uint8Array(randomBytes(KEYWORD_TOKEN_BYTES)));
  }
  return tokens.sort((a, b) => Buffer.compare(a, b));
}
