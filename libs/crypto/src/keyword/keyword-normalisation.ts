import { CryptoError, CryptoErrorCode } from '../errors';

/** Identifies the normalisation below; it is hashed into every token, so a change is a new index. */
export const KEYWORD_NORMALISATION_VERSION = 1;

/** Longest keyword accepted, in code points after normalisation. */
export const MAX_KEYWORD_LENGTH = 256;

const COMBINING_MARKS = /\p{M}/gu;
const FINAL_SIGMA = /ς/gu;
const WHITESPACE_RUNS = /[\s\p{Z}]+/gu;
const CONTROL_OR_UNASSIGNED = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/u;

/**
 * Maps every spelling of a keyword that a person would call "the same word" to one string:
 *
 *   1. NFKD, then drop combining marks: "Ménière" and "Meniere", "ﬁ" and "fi" meet;
 *   2. NFKC, so compatibility forms (full-width letters, ligatures) fold;
 *   3. case folding as upper-then-lower, which also folds "ß" to "ss" (toLowerCase alone
 *      does not), plus final sigma "ς" to "σ" as Unicode CaseFolding.txt does (JavaScript's
 *      lower-casing re-creates "ς" at the end of a word);
 *   4. every run of Unicode white space to one U+0020, then trim.
 *
 * Deterministic across platforms for assigned code points (Unicode data is part of the
 * engine). Rejects, with MalformedInput: non-strings, control, format, private-use,
 * unassigned and lone-surrogate code points, and results that are empty or longer than
 * MAX_KEYWORD_LENGTH.
 */
export function normaliseKeyword(keyword: string): string {
  if (typeof keyword !== 'string') throw new CryptoError(CryptoErrorCode.MalformedInput, 'a keyword must be a string');
  const spaced = keyword.replace(WHITESPACE_RUNS, ' ');
  if (CONTROL_OR_UNASSIGNED.test(spaced)) {
    throw new CryptoError(CryptoErrorCode.MalformedInput, 'a keyword may not contain control, format, private-use or unassigned characters');
  }
  const folded = spaced
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .normalize('NFKC')
    .toUpperCase()
    .toLowerCase()
    .replace(FINAL_SIGMA, 'σ')
    .normalize('NFKC')
    .replace(WHITESPACE_RUNS, ' ')
    .trim();
  if (folded.length === 0) throw new CryptoError(CryptoErrorCode.MalformedInput, 'a keyword is empty after normalisation');
  if ([...folded].length > MAX_KEYWORD_LENGTH) {
    throw new CryptoError(CryptoErrorCode.MalformedInput, `a keyword is longer than ${MAX_KEYWORD_LENGTH} characters`);
  }
  return folded;
}
