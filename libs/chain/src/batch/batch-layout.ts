/**
 * The packed calldata layout of `PprLedger.commitBatch`, shared by encoder, decoder and docs.
 *
 *     batch := group+
 *     group := patient:uint32 | count:uint16 | op{count}
 *     op    := kind:uint8 | pprId:bytes16 | provider:uint32 | pprHash:bytes32 | replaced:bytes16 (Modify only)
 *
 * All integers are big-endian.
 */
export const GROUP_HEADER_BYTES = 6;
export const OPERATION_BYTES = 53;
export const REPLACED_BYTES = 16;
export const PPR_ID_BYTES = 16;
export const PPR_HASH_BYTES = 32;
export const MAX_GROUP_OPERATIONS = 0xffff;
export const MAX_INDEX = 0xffffffff;

/**
 * Largest batch the encoder produces. geth 1.11's txpool refuses transactions over 128 KiB
 * (txMaxSize = 4 × 32 KiB); the ABI wrapper and the signed envelope add a few hundred bytes,
 * so 120,000 leaves a safe margin.
 */
export const MAX_BATCH_BYTES = 120_000;

/** Bytes of the RFC 6962 leaf preimage after the 0x00 prefix: patient | op | replaced (zero unless Modify). */
export const LEAF_BYTES = 4 + OPERATION_BYTES + REPLACED_BYTES;

/** Reasons of `MalformedBatch(reason, offset)`, identical to the contract's constants. */
export const MalformedBatchReason = {
  GroupHeader: 1,
  Patient: 2,
  GroupSize: 3,
  Operation: 4,
  Kind: 5,
  Provider: 6,
  Empty: 7,
} as const;
export type MalformedBatchReason = (typeof MalformedBatchReason)[keyof typeof MalformedBatchReason];
