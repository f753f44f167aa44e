/** `Registrar.Role`: what a public party may do. Values are the contract's enum values. */
export enum RegistrarRole {
  Provider = 1,
  Issuer = 2,
  /** May commit PPR batches and register pseudonyms in bulk while active. */
  Relay = 3,
}

/** `Registrar.PseudonymKind`: what a pseudonymous address stands for. */
export enum PseudonymKind {
  Patient = 1,
  User = 2,
}
