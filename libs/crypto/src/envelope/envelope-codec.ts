import { CryptoError, CryptoErrorCode } from '../errors';
import { ByteReader, ByteWriter, utf8 } from './length-prefixed-bytes';

/** The one envelope wire format this build writes and reads. */
export const ENVELOPE_FORMAT_VERSION = 1;

/** "CCE" (Carechain envelope): lets a reader tell an envelope from other bytes before the version. */
const MAGIC = Uint8Array.of(0x43, 0x43, 0x45);

/** AES-GCM nonce length (the 96-bit size NIST SP 800-38D recommends). */
export const C1_NONCE_BYTES = 12;
/** AES-GCM tag length. */
export const C1_TAG_BYTES = 16;
/** r || s || v. */
export const SIGNATURE_BYTES = 65;

const MAX_IDENTIFIER_BYTES = 1024;
const MAX_POLICY_BYTES = 64 * 1024;

/** Who the record belongs to, which record, which content version and when it was signed. */
export interface EnvelopeMetadata {
  /** The patient's pseudonym (the Kafka key and the Summary contract's owner id). */
  readonly patientPseudonym: string;
  /** Stable record id across versions. */
  readonly recordId: string;
  /** Content version: 1 at seal, +1 at every reseal; unchanged by a rewrap. */
  readonly version: number;
  /** Unix time in seconds at which the patient signed this envelope. */
  readonly issuedAt: number;
}

/** A decoded envelope {metadata, policy, C1, C2, σ}. */
export interface Envelope {
  readonly metadata: EnvelopeMetadata;
  /** The MA-ABE policy C2 was wrapped under, as the patient wrote it. */
  readonly policy: string;
  /** nonce (12) || AES-256-GCM ciphertext || tag (16). */
  readonly c1: Uint8Array;
  /** The DataKeyWrapper's output, opaque here. */
  readonly c2: Uint8Array;
  /** The 65-byte EIP-712 signature r || s || v, with low s and v in {27, 28}. */
  readonly signature: Uint8Array;
}

function malformed(message: string): never {
  throw new CryptoError(CryptoErrorCode.MalformedInput, message);
}

// A lone surrogate would be replaced by U+FFFD on encoding, so the bytes signed and the
// string shown would differ.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const SECP256K1_HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

/**
 * Checks everything about a metadata/policy pair that does not need keys: non-empty
 * identifiers of at most 1 KiB, version >= 1, issuedAt >= 0, a non-empty policy of at most
 * 64 KiB. Throws MalformedInput otherwise.
 */
export function assertEnvelopeFields(metadata: EnvelopeMetadata, policy: string): void {
  if (typeof metadata !== 'object' || metadata === null) malformed('metadata must be an object');
  for (const key of ['patientPseudonym', 'recordId'] as const) {
    const value: unknown = metadata[key];
    if (typeof value !== 'string' || value.length === 0) malformed(`${key} must be a non-empty string`);
    if (utf8.encode(value).length > MAX_IDENTIFIER_BYTES) malformed(`${key} is longer than ${MAX_IDENTIFIER_BYTES} bytes`);
    if (LONE_SURROGATE.test(value)) malformed(`${key} has lone surrogates`);
  }
  if (!Number.isSafeInteger(metadata.version) || metadata.version < 1) malformed('version must be an integer >= 1');
  if (!Number.isSafeInteger(metadata.issuedAt) || metadata.issuedAt < 0) malformed('issuedAt must be an integer >= 0');
  if (typeof policy !== 'string' || policy.length === 0) malformed('policy must be a non-empty string');
  if (LONE_SURROGATE.test(policy)) malformed('policy has lone surrogates');
  if (utf8.encode(policy).length > MAX_POLICY_BYTES) malformed(`policy is longer than ${MAX_POLICY_BYTES} bytes`);
}

function assertSignatureShape(signature: Uint8Array): void {
  if (signature.length !== SIGNATURE_BYTES) malformed(`a signature must be ${SIGNATURE_BYTES} bytes`);
  const v = signature[64];
  // Only (low s, v in {27, 28}) is accepted, so a valid envelope has exactly one encoding:
  // the (r, n - s, v ^ 1) twin that ECDSA would also verify is refused.
  if (v !== 27 && v !== 28) malformed('signature v must be 27 or 28');
  const s = BigInt('0x' + Buffer.from(signature.subarray(32, 64)).toString('hex'));
  if (s === 0n || s > SECP256K1_HALF_N) malformed('signature s must be in [1, n/2]');
}

function assertEnvelopeShape(envelope: Envelope): void {
  if (typeof envelope !== 'object' || envelope === null) malformed('an envelope must be an object');
  assertEnvelopeFields(envelope.metadata, envelope.policy);
  const { c1, c2, signature } = envelope;
  if (!(c1 instanceof Uint8Array) || c1.length < C1_NONCE_BYTES + C1_TAG_BYTES) malformed('C1 is too short');
  if (!(c2 instanceof Uint8Array) || c2.length === 0) malformed('C2 is empty');
  if (!(signature instanceof Uint8Array)) malformed('signature must be bytes');
  assertSignatureShape(signature);
}

/** The canonical bytes of an envelope (layout in docs/crypto/envelope.md). */
export function encodeEnvelope(envelope: Envelope): Uint8Array {
  assertEnvelopeShape(envelope);
  const { metadata } = envelope;
  return new ByteWriter()
    .raw(MAGIC)
    .u8(ENVELOPE_FORMAT_VERSION)
    .string16(metadata.patientPseudonym)
    .string16(metadata.recordId)
    .u64(metadata.version)
    .u64(metadata.issuedAt)
    .string32(envelope.policy)
    .bytes32(envelope.c1)
    .bytes32(envelope.c2)
    .raw(envelope.signature)
    .finish();
}

/**
 * Parses canonical envelope bytes. Any deviation (bad magic, unknown version, truncation,
 * trailing bytes, invalid UTF-8, out-of-range numbers, a malleable signature) is a
 * CryptoError (MalformedInput or UnsupportedVersion); nothing is verified cryptographically
 * here.
 */
export function decodeEnvelope(bytes: Uint8Array): Envelope {
  if (!(bytes instanceof Uint8Array)) malformed('an envelope must be bytes');
  const reader = new ByteReader(bytes);
  const magic = reader.raw(MAGIC.length, 'magic');
  if (!magic.every((b, i) => b === MAGIC[i])) malformed('not a Carechain envelope');
  const version = reader.u8('format version');
  if (version !== ENVELOPE_FORMAT_VERSION) {
    throw new CryptoError(CryptoErrorCode.UnsupportedVersion, `envelope format ${version} is not supported`);
  }
  const metadata: EnvelopeMetadata = {
    patientPseudonym: reader.string16('patientPseudonym', MAX_IDENTIFIER_BYTES),
    recordId: reader.string16('recordId', MAX_IDENTIFIER_BYTES),
    version: reader.u64('version'),
    issuedAt: reader.u64('issuedAt'),
  };
  const policy = reader.string32('policy', MAX_POLICY_BYTES);
  const c1 = reader.bytes32('C1');
  const c2 = reader.bytes32('C2');
  const signature = reader.raw(SIGNATURE_BYTES, 'signature');
  reader.end();
  const envelope = { metadata, policy, c1, c2, signature };
  // The same invariants encodeEnvelope enforces, so decoding and encoding are inverse bijections.
  assertEnvelopeShape(envelope);
  return envelope;
}
