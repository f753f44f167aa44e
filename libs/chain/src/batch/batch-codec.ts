import { ChainError, ChainErrorCode } from '../errors';
import {
  GROUP_HEADER_BYTES,
  LEAF_BYTES,
  MAX_BATCH_BYTES,
  MAX_GROUP_OPERATIONS,
  MAX_INDEX,
  MalformedBatchReason,
  OPERATION_BYTES,
  PPR_HASH_BYTES,
  PPR_ID_BYTES,
  REPLACED_BYTES,
} from './batch-layout';
import { PprOperation, PprOperationKind } from './ppr-operation';

/** A batch ready for `commitBatch`: its packed bytes and its operations in leaf order. */
export interface EncodedBatch {
  /** The `batch` argument of `commitBatch`. */
  readonly data: Uint8Array;
  /**
   * The operations in the order the contract hashes them (grouped by patient, each patient's
   * own order preserved); index i here is leaf index i of the batch's Merkle tree.
   */
  readonly operations: readonly PprOperation[];
}

function invalid(message: string, op: unknown): never {
  throw new ChainError(ChainErrorCode.InvalidOperation, message, { operation: op });
}

function hexToBytes(hex: unknown, width: number, field: string, op: unknown): Uint8Array {
  if (typeof hex !== 'string' || !/^0x[0-9a-fA-F]*$/.test(hex) || hex.length !== 2 + 2 * width) {
    invalid(`${field} must be 0x-prefixed hex of ${width} bytes`, op);
  }
  return Uint8Array.from(Buffer.from(hex.slice(2), 'hex'));
}

function checkIndex(value: unknown, field: string, op: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_INDEX) {
    invalid(`${field} must be a Registrar index in 1..${MAX_INDEX}`, op);
  }
  return value;
}

function toHex(bytes: Uint8Array): string {
  return `0x${Buffer.from(bytes).toString('hex')}`;
}

/** Calldata bytes one operation occupies, excluding its group header. */
export function operationByteLength(op: PprOperation): number {
  return OPERATION_BYTES + (op.kind === PprOperationKind.Modify ? REPLACED_BYTES : 0);
}

/** Writes one operation's 53 (or 69) bytes at `offset`; validates every field first. */
function writeOperation(out: Uint8Array, offset: number, op: PprOperation): number {
  if (!Object.values(PprOperationKind).includes(op.kind)) invalid('kind must be add, modify, delete or policy', op);
  const pprId = hexToBytes(op.pprId, PPR_ID_BYTES, 'pprId', op);
  const provider = checkIndex(op.provider, 'provider', op);
  const pprHash = hexToBytes(op.pprHash, PPR_HASH_BYTES, 'pprHash', op);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  out[offset] = op.kind;
  out.set(pprId, offset + 1);
  view.setUint32(offset + 17, provider);
  out.set(pprHash, offset + 21);
  if (op.kind === PprOperationKind.Modify) {
    out.set(hexToBytes(op.replacedPprId, PPR_ID_BYTES, 'replacedPprId', op), offset + OPERATION_BYTES);
    return offset + OPERATION_BYTES + REPLACED_BYTES;
  }
  if (op.replacedPprId !== undefined) invalid('replacedPprId is only allowed on modify', op);
  return offset + OPERATION_BYTES;
}

/** Operations grouped by patient in first-appearance order, split at 65,535 per group. */
function groupByPatient(ops: readonly PprOperation[]): PprOperation[][] {
  const byPatient = new Map<number, PprOperation[]>();
  for (const op of ops) {
    if (op === null || typeof op !== 'object') invalid('operation must be an object', op);
    const patient = checkIndex(op.patient, 'patient', op);
    const list = byPatient.get(patient);
    if (list) list.push(op);
    else byPatient.set(patient, [op]);
  }
  const groups: PprOperation[][] = [];
  for (const list of byPatient.values()) {
    for (let i = 0; i < list.length; i += MAX_GROUP_OPERATIONS) groups.push(list.slice(i, i + MAX_GROUP_OPERATIONS));
  }
  return groups;
}

/** Size of the packed batch `encodeBatch(ops)` would produce, without encoding it. */
export function batchByteLength(ops: readonly PprOperation[]): number {
  let total = 0;
  for (const group of groupByPatient(ops)) {
    total += GROUP_HEADER_BYTES;
    for (const op of group) total += operationByteLength(op);
  }
  return total;
}

/**
 * Packs operations into the `commitBatch` layout. Operations are grouped by patient, so each
 * patient's chain head is read and written once per batch; the relative order of one
 * patient's operations is kept, which is the order their Summary chain folds them in.
 * Throws ChainError(InvalidOperation) for any bad field and ChainError(BatchTooLarge) when the
 * result would exceed `maxBytes`.
 */
export function encodeBatch(ops: readonly PprOperation[], maxBytes: number = MAX_BATCH_BYTES): EncodedBatch {
  if (!Array.isArray(ops) || ops.length === 0) invalid('a batch needs at least one operation', ops);
  const groups = groupByPatient(ops);
  const size = batchByteLength(ops);
  if (size > maxBytes) {
    throw new ChainError(ChainErrorCode.BatchTooLarge, `batch of ${ops.length} operations is ${size} bytes, over ${maxBytes}`, {
      size,
      maxBytes,
    });
  }
  const data = new Uint8Array(size);
  const view = new DataView(data.buffer);
  const ordered: PprOperation[] = [];
  let offset = 0;
  for (const group of groups) {
    view.setUint32(offset, group[0].patient);
    view.setUint16(offset + 4, group.length);
    offset += GROUP_HEADER_BYTES;
    for (const op of group) {
      offset = writeOperation(data, offset, op);
      ordered.push(normaliseOperation(op));
    }
  }
  return { data, operations: ordered };
}

/** The operation with lowercase hex and no stray fields, as `decodeBatch` returns it. */
function normaliseOperation(op: PprOperation): PprOperation {
  const base = {
    kind: op.kind,
    pprId: op.pprId.toLowerCase(),
    patient: op.patient,
    provider: op.provider,
    pprHash: op.pprHash.toLowerCase(),
  };
  return op.kind === PprOperationKind.Modify ? { ...base, replacedPprId: op.replacedPprId!.toLowerCase() } : base;
}

/**
 * Splits pending operations into the longest prefix that fits one batch and the rest.
 * Order is kept, so a patient's operations are never reordered across batches.
 */
export function takeBatch(
  ops: readonly PprOperation[],
  maxBytes: number = MAX_BATCH_BYTES,
): { batch: PprOperation[]; rest: PprOperation[] } {
  const groupFill = new Map<number, number>();
  let size = 0;
  let i = 0;
  for (; i < ops.length; i++) {
    const op = ops[i];
    const fill = groupFill.get(op.patient) ?? 0;
    const header = fill % MAX_GROUP_OPERATIONS === 0 ? GROUP_HEADER_BYTES : 0;
    const next = size + header + operationByteLength(op);
    if (next > maxBytes) break;
    size = next;
    groupFill.set(op.patient, fill + 1);
  }
  return { batch: ops.slice(0, i), rest: ops.slice(i) };
}

const MAX_KIND: number = PprOperationKind.Policy;

function malformed(reason: MalformedBatchReason, offset: number): never {
  throw new ChainError(ChainErrorCode.MalformedBatch, `malformed batch: reason ${reason} at byte ${offset}`, { reason, offset });
}

/**
 * Decodes packed batch bytes (a Uint8Array or 0x-hex) into operations in leaf order. Applies
 * the contract's layout checks except the Registrar bounds (it has no chain access), so any
 * batch the contract accepted decodes, and bytes it would reject for layout reasons throw
 * ChainError(MalformedBatch) with the same `reason` and `offset`.
 */
export function decodeBatch(input: Uint8Array | string): PprOperation[] {
  let data: Uint8Array;
  if (typeof input === 'string') {
    if (!/^0x([0-9a-fA-F]{2})*$/.test(input)) malformed(MalformedBatchReason.Empty, 0);
    data = Uint8Array.from(Buffer.from(input.slice(2), 'hex'));
  } else if (input instanceof Uint8Array) {
    data = input;
  } else {
    return malformed(MalformedBatchReason.Empty, 0);
  }
  if (data.length === 0) malformed(MalformedBatchReason.Empty, 0);
  // Like the contract, read records past the end as zeros and check each group's bound once
  // after it, so both report the same reason and offset. 128 bytes cover the furthest read.
  const bytes = new Uint8Array(data.length + 128);
  bytes.set(data);
  const view = new DataView(bytes.buffer);
  const ops: PprOperation[] = [];
  let p = 0;
  while (p < data.length) {
    if (p + GROUP_HEADER_BYTES > data.length) malformed(MalformedBatchReason.GroupHeader, p);
    const patient = view.getUint32(p);
    const count = view.getUint16(p + 4);
    if (patient === 0) malformed(MalformedBatchReason.Patient, p);
    if (count === 0) malformed(MalformedBatchReason.GroupSize, p);
    const groupStart = p;
    p += GROUP_HEADER_BYTES;
    for (let i = 0; i < count; i++) {
      const byte = bytes[p];
      if (byte > MAX_KIND) malformed(MalformedBatchReason.Kind, p);
      const kind = byte as PprOperationKind;
      const provider = view.getUint32(p + 17);
      if (provider === 0) malformed(MalformedBatchReason.Provider, p);
      const pprId = toHex(bytes.subarray(p + 1, p + 17));
      const pprHash = toHex(bytes.subarray(p + 21, p + OPERATION_BYTES));
      p += OPERATION_BYTES;
      if (kind === PprOperationKind.Modify) {
        ops.push({ kind, pprId, patient, provider, pprHash, replacedPprId: toHex(bytes.subarray(p, p + REPLACED_BYTES)) });
        p += REPLACED_BYTES;
      } else {
        ops.push({ kind, pprId, patient, provider, pprHash });
      }
    }
    if (p > data.length) malformed(MalformedBatchReason.Operation, groupStart);
  }
  return ops;
}

/**
 * The RFC 6962 leaf data of an operation (without the 0x00 leaf prefix), exactly as the
 * contract hashes it: patient:uint32 | kind | pprId | provider:uint32 | pprHash | replaced,
 * where `replaced` is 16 zero bytes unless the kind is Modify. 73 bytes.
 */
export function encodeLeafData(op: PprOperation): Uint8Array {
  const out = new Uint8Array(LEAF_BYTES);
  const patient = checkIndex(op.patient, 'patient', op);
  new DataView(out.buffer).setUint32(0, patient);
  writeOperation(out, 4, op);
  return out;
}
