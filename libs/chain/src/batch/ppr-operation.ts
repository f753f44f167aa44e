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
