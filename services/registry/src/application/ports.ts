import type { Identity } from '../domain/identity';

/** Persistence of identities, with an outbox flag written in the same document. */
export interface IdentityRepository {
  /** Inserts the identity with its event pending; returns false if the address is taken. */
  insertWithPendingEvent(identity: Identity, eventId: string): Promise<boolean>;
  findByAddress(address: string): Promise<Identity | undefined>;
  markEventPublished(address: string): Promise<void>;
  /** Identities whose event was never confirmed published, oldest first. */
  pendingEvents(olderThan: Date, limit: number): Promise<{ identity: Identity; eventId: string }[]>;
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
