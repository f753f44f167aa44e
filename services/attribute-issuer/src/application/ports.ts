import type { AttributeEpoch, RotationReason } from '../domain/attribute-epoch';

/** Attribute epochs, with the rotation event kept pending in the same document until sent. */
export interface EpochRepository {
  /** Atomically moves the attribute to the next epoch and marks its event pending. */
  rotate(attribute: string, reason: RotationReason, at: Date): Promise<AttributeEpoch>;
  current(attribute: string): Promise<AttributeEpoch | undefined>;
  markPublished(attribute: string, epoch: number): Promise<void>;
  pending(olderThan: Date, limit: number): Promise<{ epoch: AttributeEpoch; reason: RotationReason }[]>;
}

export interface EpochEvents {
  rotated(epoch: AttributeEpoch, reason: RotationReason): Promise<void>;
}

export const EPOCH_REPOSITORY = Symbol('EPOCH_REPOSITORY');
export const EPOCH_EVENTS = Symbol('EPOCH_EVENTS');
