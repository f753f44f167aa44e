import type { Identity } from '../domain/identity';
import type { EnrolmentKind } from '../domain/pseudonym-enrolment';

/** Persistence of identities, with an outbox flag written in the same document. */
export interface IdentityRepository {
  /** Inserts the identity with its event pending; returns false if the address is taken. */
  insertWithPendingEvent(identity: Identity, eventId: string): Promise<boolean>;
  findByAddress(address: string): Promise<Identity | undefined>;
  markEventPublished(address: string): Promise<void>;
  /** Identities whose event was never confirmed published, oldest first. */
  pendingEvents(olderThan: Date, limit: number): Promise<{ identity: Identity; eventId: string }[]>;
  /** Patients and users not yet enrolled on chain, oldest first, with the block a registration was last sent at. */
  pendingEnrolments(limit: number): Promise<{ identity: Identity; sentAtBlock?: number }[]>;
  markEnrolled(entries: readonly { address: string; index: number }[]): Promise<void>;
  markEnrolmentSent(addresses: readonly string[], atBlock: number): Promise<void>;
}

/** The registry's enroller account on the on-chain Registrar (a registered relay party). */
export interface RegistrarEnroller {
  head(): Promise<number>;
  /** The Registrar's pseudonym index of each address at `blockTag` (0: not registered then). */
  indexesOf(addresses: readonly string[], blockTag: number | 'latest'): Promise<Map<string, number>>;
  /** Broadcasts one `registerPseudonyms` call; resolves once the node accepted it. */
  register(kind: EnrolmentKind, addresses: readonly string[]): Promise<{ txHash: string }>;
}

/** Counts enrolment steps' results for operators. */
export interface EnrolmentMetrics {
  enrolled(count: number): void;
  sent(count: number): void;
}

/** Recovers the address that signed an EIP-191 message, or undefined if the signature is malformed. */
export interface SignatureRecovery {
  recoverAddress(message: string, signature: string): string | undefined;
}

/** Publishes identity facts to the event bus; resolves once the broker acknowledged. */
export interface IdentityEvents {
  registered(identity: Identity, eventId: string): Promise<void>;
}

export const IDENTITY_REPOSITORY = Symbol('IDENTITY_REPOSITORY');
export const SIGNATURE_RECOVERY = Symbol('SIGNATURE_RECOVERY');
export const IDENTITY_EVENTS = Symbol('IDENTITY_EVENTS');
export const REGISTRAR_ENROLLER = Symbol('REGISTRAR_ENROLLER');
export const ENROLMENT_METRICS = Symbol('ENROLMENT_METRICS');
export const ENROLMENT_SETTINGS = Symbol('ENROLMENT_SETTINGS');

export interface EnrolmentSettings {
  /** Depth at which a registration counts (the relay's k). */
  readonly confirmations: number;
  readonly maxPerTx: number;
  readonly resendAfterBlocks: number;
  /** Identities looked at per step. */
  readonly batch: number;
}
