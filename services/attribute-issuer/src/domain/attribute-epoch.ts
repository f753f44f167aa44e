/**
 * The epoch of one attribute at one issuer. Rotating it (a key update or a revocation)
 * makes keys of older epochs useless for data keys wrapped to the new one; epochs only grow.
 */
export interface AttributeEpoch {
  readonly attribute: string;
  readonly epoch: number;
  readonly rotatedAt: Date;
}

export type RotationReason = 'key-update' | 'revocation';

/** Attributes are `name@issuer`; an issuer manages only its own. */
export function belongsToIssuer(attribute: string, issuerId: string): boolean {
  const at = attribute.lastIndexOf('@');
  return at > 0 && attribute.slice(at + 1) === issuerId;
}

/** An attribute never rotated is in epoch 1. */
export const INITIAL_EPOCH = 1;
