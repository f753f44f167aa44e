/**
 * A pseudonymous address registered with the Registrar. One person may register many
 * addresses; nothing in the registry links them to each other.
 */
export type IdentityRole = 'patient' | 'user' | 'provider' | 'issuer' | 'relay' | 'management';

/**
 * Where a patient or user address stands in the on-chain Registrar: pending until the
 * registry's enroller has registered it and the registration is k blocks deep. Other roles
 * are parties, which the Registrar's owner registers by name, so they have no enrolment.
 */
export type ChainEnrolment = { readonly state: 'pending' } | { readonly state: 'enrolled'; readonly index: number };

export interface Identity {
  readonly address: string;
  readonly role: IdentityRole;
  readonly registeredAt: Date;
  readonly chain?: ChainEnrolment;
}

/**
 * The exact text an address signs (EIP-191 personal_sign) to prove it controls the key it
 * registers. It names the role and a client-chosen nonce, and the registry refuses a
 * registration whose nonce is older than the freshness window.
 */
export function registrationStatement(address: string, role: IdentityRole, issuedAt: Date): string {
  return `Carechain registration\naddress: ${address.toLowerCase()}\nrole: ${role}\nissued-at: ${issuedAt.toISOString()}`;
}

/** A signed statement is fresh if it was issued at most `windowMs` ago and not in the future (1 min skew). */
export function isStatementFresh(issuedAt: Date, now: Date, windowMs = 5 * 60_000): boolean {
  const age = now.getTime() - issuedAt.getTime();
  return age <= windowMs && age >= -60_000;
}
