import type { IdentityRole } from './identity';

/** The Registrar's pseudonym kinds the registry enrols (parties are registered by the owner). */
export type EnrolmentKind = 'patient' | 'user';

/** The pseudonym kind an identity role is enrolled as on chain, if any. */
export function enrolmentKindOf(role: IdentityRole): EnrolmentKind | undefined {
  return role === 'patient' || role === 'user' ? role : undefined;
}

/** One pending address, with the Registrar's index for it at the confirmed and at the latest block (0: none). */
export interface EnrolmentCandidate {
  readonly address: string;
  readonly kind: EnrolmentKind;
  readonly confirmedIndex: number;
  readonly latestIndex: number;
  /** The block the registry last sent a registration for it at, if it did. */
  readonly sentAtBlock?: number;
}

export interface EnrolmentPlan {
  /** Registered at least k blocks deep: the identity is enrolled with this index. */
  readonly enrolled: { address: string; index: number }[];
  /** Registered, or sent recently, but not k deep yet: wait. */
  readonly waiting: string[];
  /** To register now, one `registerPseudonyms` call per entry (one kind, at most `maxPerTx`). */
  readonly toRegister: { kind: EnrolmentKind; addresses: string[] }[];
}

/**
 * Decides one enrolment step. An address already in the Registrar (registered by the patient
 * itself, by another relay, or by an earlier step whose bookkeeping was lost) is never sent
 * again: `registerPseudonyms` reverts the whole call if any address in it is registered. A
 * registration sent less than `resendAfterBlocks` ago and not yet visible is waited for; after
 * that it counts as lost (dropped, or reorged away) and is sent again.
 */
export function planEnrolment(candidates: readonly EnrolmentCandidate[], head: number, settings: { maxPerTx: number; resendAfterBlocks: number }): EnrolmentPlan {
  const enrolled: EnrolmentPlan['enrolled'] = [];
  const waiting: string[] = [];
  const fresh = new Map<EnrolmentKind, string[]>();
  for (const c of candidates) {
    if (c.confirmedIndex > 0) enrolled.push({ address: c.address, index: c.confirmedIndex });
    else if (c.latestIndex > 0 || (c.sentAtBlock !== undefined && head - c.sentAtBlock < settings.resendAfterBlocks)) waiting.push(c.address);
    else fresh.set(c.kind, [...(fresh.get(c.kind) ?? []), c.address]);
  }
  const toRegister: EnrolmentPlan['toRegister'] = [];
  for (const [kind, addresses] of fresh) {
    for (let i = 0; i < addresses.length; i += settings.maxPerTx) toRegister.push({ kind, addresses: addresses.slice(i, i + settings.maxPerTx) });
  }
  return { enrolled, waiting, toRegister };
}
