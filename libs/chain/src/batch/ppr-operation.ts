/** What a PPR operation does to a patient's Summary. Values are the on-chain `kind` byte. */
export enum PprOperationKind {
  /** A new PPR link to an encrypted record held by `provider`. */
  Add = 0,
  /** A new version of a PPR: `pprId` replaces `replacedPprId`. */
  Modify = 1,
  /** The PPR `pprId` leaves the Summary. */
  Delete = 2,
  /** The access policy of `pprId` changed; `pprHash` is the hash of the new encrypted policy. */
  Policy = 3,
}

/**
 * The kinds by the names events and APIs use (`ppr.requested`, `ppr.anchored`, the Summary),
 * indexed by `PprOperationKind`: the one mapping between the ledger's byte and those names.
 */
export const PPR_KIND_NAMES = ['add', 'modify', 'delete', 'policy'] as const;
export type PprKindName = (typeof PPR_KIND_NAMES)[number];

/** The name of a ledger kind byte. */
export function pprKindName(kind: PprOperationKind): PprKindName {
  return PPR_KIND_NAMES[kind];
}

/** The ledger kind byte of a name. */
export function pprOperationKind(name: PprKindName): PprOperationKind {
  return PPR_KIND_NAMES.indexOf(name);
}

/**
 * One operation as the ledger sees it. Parties and pseudonyms are Registrar indexes (uint32,
 * ≥ 1), not addresses, which is what keeps an operation at 53 calldata bytes (69 for Modify).
 * Byte strings are 0x-prefixed lowercase hex: `pprId` and `replacedPprId` 16 bytes (a UUID's
 * width), `pprHash` 32 bytes (the hash of the encrypted PPR).
 */
export interface PprOperation {
  readonly kind: PprOperationKind;
  readonly pprId: string;
  /** Registrar pseudonym index of the patient. */
  readonly patient: number;
  /** Registrar party index of the provider holding the record. */
  readonly provider: number;
  readonly pprHash: string;
  /** Present exactly when `kind` is Modify. */
  readonly replacedPprId?: string;
}
