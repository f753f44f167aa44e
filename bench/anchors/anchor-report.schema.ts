import { z } from 'zod';

// Schemas of what the native harnesses print. Their output is parsed, never trusted: a row
// with a missing, negative or non-finite figure fails validation instead of reaching a ratio.

const positiveMilliseconds = z.number().finite().positive();

const anchorRowShape = {
  attributes: z.number().int().positive(),
  encrypt_ms: positiveMilliseconds,
  decrypt_ms: positiveMilliseconds,
  keygen_ms: positiveMilliseconds,
  keygen_ms_per_attribute: positiveMilliseconds,
  // Thread-CPU medians over the same runs: unlike wall-clock time, they barely move when other
  // processes load the machine. Absent where the OS has no per-thread clock.
  encrypt_cpu_ms: positiveMilliseconds.optional(),
  decrypt_cpu_ms: positiveMilliseconds.optional(),
  keygen_cpu_ms: positiveMilliseconds.optional(),
  iterations: z.number().int().positive(),
  policy: z.string().min(1),
};

/** One attribute count of CIRCL TKN20: medians in milliseconds over `iterations` timed runs (wall-clock, and thread CPU where available). */
export const circlTkn20RowSchema = z.strictObject({
  ...anchorRowShape,
  ciphertext_bytes: z.number().int().positive(),
});
export type CirclTkn20Row = z.infer<typeof circlTkn20RowSchema>;

/** The rabe schemes the harness measures; all are ciphertext-policy schemes. */
export const rabeSchemeSchema = z.enum(['bsw', 'ac17', 'aw11']);
export type RabeScheme = z.infer<typeof rabeSchemeSchema>;

/** One (scheme, attribute count) of rabe: medians in milliseconds; `caveat` flags a known flaw. */
export const rabeRowSchema = z.strictObject({
  ...anchorRowShape,
  scheme: rabeSchemeSchema,
  authorities: z.number().int().positive(),
  caveat: z.string().min(1).optional(),
});
export type RabeRow = z.infer<typeof rabeRowSchema>;

/**
 * CIRCL's BLS12-381 primitives (wall-clock medians; `pairing_cpu_ms` in thread CPU time). CIRCL
 * does not export the Miller loop or final exponentiation, so those are derived from product
 * pairings, and left out when measurement noise makes the derivation inconsistent.
 */
export const circlPrimitivesSchema = z.strictObject({
  pairing_ms: positiveMilliseconds,
  pairing_cpu_ms: positiveMilliseconds.optional(),
  miller_loop_ms_derived: positiveMilliseconds.optional(),
  final_exp_ms_derived: positiveMilliseconds.optional(),
  prod_pair_10_ms: positiveMilliseconds,
  g1_mul_ms: positiveMilliseconds,
  g2_mul_ms: positiveMilliseconds,
  gt_exp_ms: positiveMilliseconds,
});
export type CirclPrimitives = z.infer<typeof circlPrimitivesSchema>;

/** rabe-bn's BN254 primitives (wall-clock; `pairing_cpu_ms` in thread CPU time); rabe-bn exports only the whole pairing. */
export const rabePrimitivesSchema = z.strictObject({
  pairing_ms: positiveMilliseconds,
  pairing_cpu_ms: positiveMilliseconds.optional(),
  g1_mul_ms: positiveMilliseconds,
  g2_mul_ms: positiveMilliseconds,
  gt_exp_ms: positiveMilliseconds,
});
export type RabePrimitives = z.infer<typeof rabePrimitivesSchema>;

/** The whole document `bench/anchors/circl` prints on stdout. */
export const circlReportSchema = z.strictObject({
  peer: z.literal('circl_tkn20'),
  scheme: z.string(),
  module: z.literal('github.com/cloudflare/circl'),
  module_version: z.string().min(1),
  curve: z.literal('BLS12-381'),
  go_version: z.string(),
  gomaxprocs: z.number().int().positive(),
  message_bytes: z.number().int().positive(),
  primitives: circlPrimitivesSchema,
  results: z.array(circlTkn20RowSchema).min(1),
});
export type CirclReport = z.infer<typeof circlReportSchema>;

/** The whole document `bench/anchors/rabe` prints on stdout. */
export const rabeReportSchema = z.strictObject({
  peer: z.literal('rabe'),
  crate_name: z.literal('rabe'),
  crate_version: z.string().min(1),
  pairing_crate: z.string(),
  curve: z.literal('BN254'),
  message_bytes: z.number().int().positive(),
  primitives: rabePrimitivesSchema,
  results: z.array(rabeRowSchema).min(1),
});
export type RabeReport = z.infer<typeof rabeReportSchema>;

/** A harness's stdout did not hold a document of the expected shape. */
export class AnchorReportError extends Error {
  override readonly name = 'AnchorReportError';
  constructor(
    readonly peer: string,
    message: string,
  ) {
    super(`${peer}: ${message}`);
  }
}

/**
 * Parses a harness's stdout with `schema`. Guarantees a fully validated document, or throws
 * AnchorReportError naming the first offending field; never returns partial data.
 */
export function parseAnchorReport<T>(peer: string, stdout: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch (e) {
    throw new AnchorReportError(peer, `output is not JSON (${(e as Error).message})`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AnchorReportError(peer, `output does not match its schema at ${issue.path.join('.') || '<root>'}: ${issue.message}`);
  }
  return parsed.data;
}
