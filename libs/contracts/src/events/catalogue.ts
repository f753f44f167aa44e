import { z } from 'zod';
import { defineEvent, type EventDefinition } from './event-definition';
import {
  attributeNameSchema,
  bytes32Schema,
  chainIdSchema,
  ethAddressSchema,
  isoTimeSchema,
  issuerIdSchema,
  pseudonymSchema,
  roleSchema,
} from './primitives';

/**
 * Every event in Carechain, one definition each. Producers and consumers import these and
 * nothing else; docs/events.md describes who produces and who consumes each one.
 */

export const IdentityRegistered = defineEvent({
  topic: 'identity.registered.v1',
  type: 'org.carechain.identity.registered.v1',
  key: 'subject',
  description: 'The Registrar accepted a pseudonymous address with a role, proven by a signature of that address.',
  schema: z.object({
    address: ethAddressSchema,
    role: roleSchema,
    registeredAt: isoTimeSchema,
  }),
});

export const AttributeEpochRotated = defineEvent({
  topic: 'attribute.epoch-rotated.v1',
  type: 'org.carechain.attribute.epoch-rotated.v1',
  key: 'attribute',
  description: 'An issuer moved an attribute to a new epoch (key update or revocation); older keys no longer decrypt new C2s.',
  schema: z.object({
    issuerId: issuerIdSchema,
    attribute: attributeNameSchema,
    epoch: z.number().int().min(1),
    reason: z.enum(['key-update', 'revocation']),
    rotatedAt: isoTimeSchema,
  }),
});

export const AttributeIssued = defineEvent({
  topic: 'attribute.issued.v1',
  type: 'org.carechain.attribute.issued.v1',
  key: 'attribute',
  description: 'An issuer issued an attribute key and credential to a global identity (only a hash of the GID is published).',
  schema: z.object({
    issuerId: issuerIdSchema,
    attribute: attributeNameSchema,
    epoch: z.number().int().min(1),
    gidHash: bytes32Schema,
    expiresAt: isoTimeSchema,
    issuedAt: isoTimeSchema,
  }),
});

export const pprKindSchema = z.enum(['add', 'modify', 'delete', 'policy']);

export const PprRequested = defineEvent({
  topic: 'ppr.requested.v1',
  type: 'org.carechain.ppr.requested.v1',
  key: 'patient-pseudonym',
  description: 'A provider asks for a Patient-Provider Relationship operation to be anchored in the next block.',
  schema: z.object({
    pprId: bytes32Schema,
    kind: pprKindSchema,
    patient: pseudonymSchema,
    provider: ethAddressSchema,
    pprHash: bytes32Schema,
    replacedPprId: bytes32Schema.optional(),
    requestedAt: isoTimeSchema,
  }),
});

/**
 * Which PPR-ledger deployment a relay announcement is about. Several deployments can share a
 * broker (test topics, a redeployed ledger, a second chain), and the same address can exist
 * on two chains, so consumers compare both with their own ledger and skip what is not theirs.
 * Optional in v1 only because making them required would break v1 consumers and replays of
 * older events; the relay always sets them, and a v2 would make them required.
 */
const pprLedgerOriginShape = {
  /** EIP-155 chain id of the chain the ledger lives on. */
  chainId: chainIdSchema.optional(),
  /** The PPR-ledger contract address, lower case. */
  ledger: ethAddressSchema.optional(),
};

/**
 * The provider the operation's PPR names (its registered address, lower case), so a provider
 * can skip the others' notices without a lookup. Optional in v1 for the same reason as the
 * origin; the relay always sets it.
 */
const pprProviderShape = {
  provider: ethAddressSchema.optional(),
};

export const PprAnchored = defineEvent({
  topic: 'ppr.anchored.v1',
  type: 'org.carechain.ppr.anchored.v1',
  key: 'patient-pseudonym',
  description: 'A PPR operation is in a block with k confirmations; carries its RFC 6962 inclusion proof.',
  schema: z.object({
    pprId: bytes32Schema,
    /** Which operation on pprId (an add and a later policy change or delete share the pprId), with its hash. */
    kind: pprKindSchema,
    pprHash: bytes32Schema,
    patient: pseudonymSchema,
    blockNumber: z.number().int().min(0),
    blockHash: bytes32Schema,
    txHash: bytes32Schema,
    batchRoot: bytes32Schema,
    batchSize: z.number().int().min(1),
    leafIndex: z.number().int().min(0),
    inclusionProof: z.array(bytes32Schema).max(64),
    confirmations: z.number().int().min(1),
    anchoredAt: isoTimeSchema,
    ...pprProviderShape,
    ...pprLedgerOriginShape,
  }),
});

export const PprReorged = defineEvent({
  topic: 'ppr.reorged.v1',
  type: 'org.carechain.ppr.reorged.v1',
  key: 'patient-pseudonym',
  description: 'A previously announced anchor vanished in a reorg; the operation is pending again and will be re-anchored.',
  schema: z.object({
    pprId: bytes32Schema,
    kind: pprKindSchema,
    pprHash: bytes32Schema,
    patient: pseudonymSchema,
    previousBlockNumber: z.number().int().min(0),
    previousBlockHash: bytes32Schema,
    previousTxHash: bytes32Schema,
    detectedAt: isoTimeSchema,
    ...pprProviderShape,
    ...pprLedgerOriginShape,
  }),
});

export const recordOperationSchema = z.enum(['add', 'modify', 'delete', 'policy-change', 'key-update']);

export const RecordCommitted = defineEvent({
  topic: 'record.committed.v1',
  type: 'org.carechain.record.committed.v1',
  key: 'patient-pseudonym',
  description: 'A provider applied a record operation after its PPR was anchored (or, for a key update, after re-signing).',
  schema: z.object({
    recordId: z.string().min(1).max(128),
    patient: pseudonymSchema,
    provider: ethAddressSchema,
    operation: recordOperationSchema,
    version: z.number().int().min(1),
    pprId: bytes32Schema.optional(),
    committedAt: isoTimeSchema,
  }),
});

export const RecordFailed = defineEvent({
  topic: 'record.failed.v1',
  type: 'org.carechain.record.failed.v1',
  key: 'patient-pseudonym',
  description: 'A record operation was rejected or could not be anchored; nothing was applied.',
  schema: z.object({
    recordId: z.string().min(1).max(128),
    patient: pseudonymSchema,
    provider: ethAddressSchema,
    operation: recordOperationSchema,
    code: z.string().min(1).max(100),
    reason: z.string().max(1000),
    failedAt: isoTimeSchema,
  }),
});

export const PatientNotified = defineEvent({
  topic: 'patient.notified.v1',
  type: 'org.carechain.patient.notified.v1',
  key: 'patient-pseudonym',
  description: 'The patient was told the outcome of an operation.',
  schema: z.object({
    patient: pseudonymSchema,
    notificationId: z.string().min(1).max(128),
    aboutEventId: z.string().min(1).max(200),
    outcome: z.enum(['succeeded', 'failed']),
    message: z.string().max(1000),
    notifiedAt: isoTimeSchema,
  }),
});

export const AccessGranted = defineEvent({
  topic: 'access.granted.v1',
  type: 'org.carechain.access.granted.v1',
  key: 'none',
  description: 'auth verified an anonymous attribute proof and issued a short-lived token; the proof is kept for the opener.',
  schema: z.object({
    tokenId: z.string().min(1).max(128),
    policy: z.string().min(1).max(2000),
    audience: z.string().min(1).max(200),
    proofDigest: bytes32Schema,
    grantedAt: isoTimeSchema,
    expiresAt: isoTimeSchema,
  }),
});

export const AccessDenied = defineEvent({
  topic: 'access.denied.v1',
  type: 'org.carechain.access.denied.v1',
  key: 'none',
  description: 'auth rejected an authentication attempt.',
  schema: z.object({
    policy: z.string().min(1).max(2000),
    audience: z.string().min(1).max(200),
    code: z.string().min(1).max(100),
    deniedAt: isoTimeSchema,
  }),
});

export const AuditCheckpoint = defineEvent({
  topic: 'audit.checkpoint.v1',
  type: 'org.carechain.audit.checkpoint.v1',
  key: 'none',
  description: 'The audit log signed a new tree head (size and RFC 6962 root).',
  schema: z.object({
    treeSize: z.number().int().min(0),
    rootHash: bytes32Schema,
    checkpointAt: isoTimeSchema,
  }),
});

/** Every event definition, for topic provisioning, the audit indexer and docs. */
export const ALL_EVENTS: readonly EventDefinition[] = [
  IdentityRegistered,
  AttributeEpochRotated,
  AttributeIssued,
  PprRequested,
  PprAnchored,
  PprReorged,
  RecordCommitted,
  RecordFailed,
  PatientNotified,
  AccessGranted,
  AccessDenied,
  AuditCheckpoint,
];

/** Finds the definition for a topic, or undefined for a topic we do not own. */
export function eventForTopic(topic: string): EventDefinition | undefined {
  return ALL_EVENTS.find((e) => e.topic === topic);
}
