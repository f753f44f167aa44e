import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { getBytes, hexlify, verifyTypedData, type TypedDataDomain, type TypedDataField } from 'ethers';
import { CryptoError, CryptoErrorCode } from '../errors';
import type { DataKeyUnwrapper, DataKeyWrapper } from './data-key-wrapper';
import {
  C1_NONCE_BYTES,
  C1_TAG_BYTES,
  assertEnvelopeFields,
  decodeEnvelope,
  encodeEnvelope,
  type Envelope,
  type EnvelopeMetadata,
} from './envelope-codec';
import { ByteWriter } from './length-prefixed-bytes';
import { ENVELOPE_EIP712_TYPES, sealedRecordDigest, sealedRecordMessage } from './envelope-eip712';
import type { PatientAddressRegistry } from './patient-address-registry';

/** Length of the data key K (AES-256). */
export const ENVELOPE_DATA_KEY_BYTES = 32;

/** Anything that signs EIP-712 data with a secp256k1 key, such as an ethers v6 Wallet. */
export interface EnvelopeSigner {
  signTypedData(domain: TypedDataDomain, types: Record<string, TypedDataField[]>, value: Record<string, unknown>): Promise<string>;
}

/** What the patient's client needs to produce or change an envelope. */
export interface EnvelopeSigningContext {
  /** From envelopeEip712Domain(chainId). */
  readonly domain: TypedDataDomain;
  /** One of the patient's registered addresses. */
  readonly signer: EnvelopeSigner;
  /** Signing time in Unix seconds; defaults to now. */
  readonly issuedAt?: number;
}

/** What a reader (user, provider, registry) needs to check an envelope. */
export interface EnvelopeVerificationContext {
  readonly domain: TypedDataDomain;
  readonly registry: PatientAddressRegistry;
}

/** A freshly produced envelope and what the patient keeps. */
export interface SealResult {
  /** The canonical envelope bytes {metadata, policy, C1, C2, σ}. */
  readonly envelope: Uint8Array;
  /** K. The patient's client keeps it (encrypted at rest) to reseal and rewrap later. */
  readonly dataKey: Uint8Array;
  /** The EIP-712 digest σ signs: a unique id of this envelope state, for the PPR on chain. */
  readonly digest: string;
}

/** The outcome of a successful verify-then-open. */
export interface OpenedRecord {
  readonly record: Uint8Array;
  readonly metadata: EnvelopeMetadata;
  readonly policy: string;
  /** The registered address that signed (EIP-55). */
  readonly signer: string;
  readonly digest: string;
}

/** The outcome of a successful signature check. */
export interface VerifiedEnvelope {
  readonly envelope: Envelope;
  readonly signer: string;
  readonly digest: string;
}

const C1_AAD_TAG = new TextEncoder().encode('carechain/envelope/v1/c1');

/**
 * C1's associated data: a domain tag, the patient, the record and its content version, so C1
 * cannot be moved to another record, patient or version without failing authentication.
 * Policy and time are left out on purpose: a rewrap changes them and must not touch C1.
 */
function c1AssociatedData(metadata: EnvelopeMetadata): Uint8Array {
  return new ByteWriter().raw(C1_AAD_TAG).string16(metadata.patientPseudonym).string16(metadata.recordId).u64(metadata.version).finish();
}

function assertDataKey(dataKey: unknown): asserts dataKey is Uint8Array {
  if (!(dataKey instanceof Uint8Array) || dataKey.length !== ENVELOPE_DATA_KEY_BYTES) {
    throw new CryptoError(CryptoErrorCode.MalformedInput, `a data key must be ${ENVELOPE_DATA_KEY_BYTES} bytes`);
  }
}

function assertRecord(record: unknown): asserts record is Uint8Array {
  if (!(record instanceof Uint8Array)) throw new CryptoError(CryptoErrorCode.MalformedInput, 'a record must be bytes');
}

function encryptC1(dataKey: Uint8Array, record: Uint8Array, metadata: EnvelopeMetadata): Uint8Array {
  // A random 96-bit nonce per encryption: K is reused only across the versions of one record,
  // far below the 2^32 encryptions per key that NIST SP 800-38D allows for random nonces.
  const nonce = randomBytes(C1_NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', dataKey, nonce, { authTagLength: C1_TAG_BYTES });
  cipher.setAAD(c1AssociatedData(metadata));
  const body = cipher.update(record);
  const final = cipher.final();
  const out = new Uint8Array(C1_NONCE_BYTES + body.length + final.length + C1_TAG_BYTES);
  out.set(nonce, 0);
  out.set(body, C1_NONCE_BYTES);
  out.set(final, C1_NONCE_BYTES + body.length);
  out.set(cipher.getAuthTag(), out.length - C1_TAG_BYTES);
  return out;
}

function decryptC1(dataKey: Uint8Array, c1: Uint8Array, metadata: EnvelopeMetadata): Uint8Array {
  const nonce = c1.subarray(0, C1_NONCE_BYTES);
  const body = c1.subarray(C1_NONCE_BYTES, c1.length - C1_TAG_BYTES);
  const tag = c1.subarray(c1.length - C1_TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey, nonce, { authTagLength: C1_TAG_BYTES });
    decipher.setAAD(c1AssociatedData(metadata));
    decipher.setAuthTag(tag);
    const head = decipher.update(body);
    const tail = decipher.final();
    return tail.length === 0 ? new Uint8Array(head.buffer, head.byteOffset, head.length) : Buffer.concat([head, tail]);
  } catch (err) {
    throw new CryptoError(CryptoErrorCode.DecryptionFailed, 'C1 does not authenticate under this data key and metadata', { cause: err });
  }
}

const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/**
 * Brings a wallet's 65-byte signature to the one form decodeEnvelope accepts: low s and
 * v in {27, 28}. Some wallets return high s; (r, n - s) with the other parity is the same
 * signature, so normalising it changes nothing a verifier can tell.
 */
function canonicalSignatureBytes(signatureHex: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(getBytes(signatureHex));
  } catch (err) {
    throw new CryptoError(CryptoErrorCode.InvalidSignature, 'the signer returned something that is not hex', { cause: err });
  }
  if (bytes.length !== 65) throw new CryptoError(CryptoErrorCode.InvalidSignature, 'the signer did not return a 65-byte signature');
  const toBig = (b: Uint8Array): bigint => BigInt(hexlify(b));
  const r = toBig(bytes.subarray(0, 32));
  let s = toBig(bytes.subarray(32, 64));
  let v = bytes[64] < 27 ? bytes[64] + 27 : bytes[64];
  if (r === 0n || r >= SECP256K1_N || s === 0n || s >= SECP256K1_N || (v !== 27 && v !== 28)) {
    throw new CryptoError(CryptoErrorCode.InvalidSignature, 'the signer returned an out-of-range signature');
  }
  if (s > SECP256K1_N / 2n) {
    s = SECP256K1_N - s;
    v = v === 27 ? 28 : 27;
  }
  bytes.set(getBytes('0x' + s.toString(16).padStart(64, '0')), 32);
  bytes[64] = v;
  return bytes;
}

async function signEnvelope(
  context: EnvelopeSigningContext,
  metadata: EnvelopeMetadata,
  policy: string,
  c1: Uint8Array,
  c2: Uint8Array,
): Promise<{ envelope: Uint8Array; digest: string }> {
  const message = sealedRecordMessage(metadata, policy, c1, c2);
  const signatureHex = await context.signer.signTypedData(context.domain, ENVELOPE_EIP712_TYPES, { ...message });
  const signature = canonicalSignatureBytes(signatureHex);
  const envelope = encodeEnvelope({ metadata, policy, c1, c2, signature });
  return { envelope, digest: sealedRecordDigest(context.domain, message) };
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

async function wrapDataKey(wrapper: DataKeyWrapper, dataKey: Uint8Array, policy: string): Promise<Uint8Array> {
  const c2 = await wrapper.wrap(dataKey, policy);
  if (!(c2 instanceof Uint8Array) || c2.length === 0) {
    throw new CryptoError(CryptoErrorCode.MalformedInput, 'the data key wrapper returned no C2');
  }
  return c2;
}

/**
 * Signcrypts a record: C1 = AES-256-GCM_K(record; AAD = patient, record id, version 1) under a
 * fresh random K, C2 = wrapper.wrap(K, policy), σ = the signer's EIP-712 signature over
 * (metadata, policy, SHA-256(C1), SHA-256(C2)). Returns the canonical envelope and K.
 */
export async function sealRecord(
  input: { readonly record: Uint8Array; readonly patientPseudonym: string; readonly recordId: string; readonly policy: string },
  context: EnvelopeSigningContext & { readonly wrapper: DataKeyWrapper },
): Promise<SealResult> {
  assertRecord(input.record);
  const metadata: EnvelopeMetadata = {
    patientPseudonym: input.patientPseudonym,
    recordId: input.recordId,
    version: 1,
    issuedAt: context.issuedAt ?? nowSeconds(),
  };
  assertEnvelopeFields(metadata, input.policy);
  const dataKey = new Uint8Array(randomBytes(ENVELOPE_DATA_KEY_BYTES));
  const c1 = encryptC1(dataKey, input.record, metadata);
  const c2 = await wrapDataKey(context.wrapper, dataKey, input.policy);
  const signed = await signEnvelope(context, metadata, input.policy, c1, c2);
  return { ...signed, dataKey };
}

/**
 * Decodes an envelope and checks σ: it must be a valid EIP-712 signature over this exact
 * metadata, policy, C1 and C2, from an address the registry says belongs to the envelope's
 * patient. Throws MalformedInput / UnsupportedVersion for bad bytes and InvalidSignature for
 * anything else. Needs no key: providers and the registry run it on upload.
 */
export async function verifyEnvelope(bytes: Uint8Array, context: EnvelopeVerificationContext): Promise<VerifiedEnvelope> {
  const envelope = decodeEnvelope(bytes);
  const message = sealedRecordMessage(envelope.metadata, envelope.policy, envelope.c1, envelope.c2);
  let signer: string;
  try {
    signer = verifyTypedData(context.domain, ENVELOPE_EIP712_TYPES, { ...message }, hexlify(envelope.signature));
  } catch (err) {
    throw new CryptoError(CryptoErrorCode.InvalidSignature, 'σ does not verify', { cause: err });
  }
  // ecrecover returns *some* address for almost any (r, s, v); only the registry makes it mean
  // anything, which is why a tampered field shows up here as an unregistered signer.
  if (!(await context.registry.isRegisteredTo(signer, envelope.metadata.patientPseudonym))) {
    throw new CryptoError(CryptoErrorCode.InvalidSignature, `σ was made by ${signer}, which is not registered to this patient`);
  }
  return { envelope, signer, digest: sealedRecordDigest(context.domain, message) };
}

/**
 * Verify-then-open: checks σ and the signer's registration first (verifyEnvelope), and only
 * then unwraps K from C2 and decrypts C1. Nothing from C1 or C2 is processed before σ holds.
 * Throws the unwrapper's CryptoError (PolicyNotSatisfied, StaleEpoch, ...) or DecryptionFailed.
 */
export async function verifyThenOpen(
  bytes: Uint8Array,
  context: EnvelopeVerificationContext & { readonly unwrapper: DataKeyUnwrapper },
): Promise<OpenedRecord> {
  const { envelope, signer, digest } = await verifyEnvelope(bytes, context);
  let dataKey: Uint8Array;
  try {
    dataKey = await context.unwrapper.unwrap(envelope.c2);
  } catch (err) {
    if (err instanceof CryptoError) throw err;
    throw new CryptoError(CryptoErrorCode.DecryptionFailed, 'C2 could not be unwrapped', { cause: err });
  }
  if (!(dataKey instanceof Uint8Array) || dataKey.length !== ENVELOPE_DATA_KEY_BYTES) {
    throw new CryptoError(CryptoErrorCode.DecryptionFailed, 'C2 did not yield a 32-byte data key');
  }
  const record = decryptC1(dataKey, envelope.c1, envelope.metadata);
  return { record, metadata: envelope.metadata, policy: envelope.policy, signer, digest };
}

/** Decodes an envelope and proves `dataKey` is its K by authenticating C1 with it. */
function envelopeWithKey(bytes: Uint8Array, dataKey: Uint8Array): Envelope {
  assertDataKey(dataKey);
  const envelope = decodeEnvelope(bytes);
  decryptC1(dataKey, envelope.c1, envelope.metadata);
  return envelope;
}

/**
 * Modify: re-encrypts a new record body under the same K, with version + 1, keeps C2 and the
 * policy, and re-signs. `dataKey` must be the envelope's K (checked by authenticating the old
 * C1, else DecryptionFailed), so the result always opens for whoever could open the original.
 */
export async function resealRecord(
  bytes: Uint8Array,
  record: Uint8Array,
  dataKey: Uint8Array,
  context: EnvelopeSigningContext,
): Promise<SealResult> {
  assertRecord(record);
  const previous = envelopeWithKey(bytes, dataKey);
  const metadata: EnvelopeMetadata = {
    ...previous.metadata,
    version: previous.metadata.version + 1,
    issuedAt: context.issuedAt ?? nowSeconds(),
  };
  assertEnvelopeFields(metadata, previous.policy);
  const c1 = encryptC1(dataKey, record, metadata);
  const signed = await signEnvelope(context, metadata, previous.policy, c1, previous.c2);
  return { ...signed, dataKey };
}

/**
 * Policy change or attribute key update: wraps the same K again under `policy` (the new
 * policy, or the old one against the authorities' current epochs), keeps C1 and the content
 * version byte-for-byte, and re-signs with a new time. `dataKey` is checked against C1 first.
 */
export async function rewrapDataKey(
  bytes: Uint8Array,
  dataKey: Uint8Array,
  policy: string,
  context: EnvelopeSigningContext & { readonly wrapper: DataKeyWrapper },
): Promise<SealResult> {
  const previous = envelopeWithKey(bytes, dataKey);
  const metadata: EnvelopeMetadata = { ...previous.metadata, issuedAt: context.issuedAt ?? nowSeconds() };
  assertEnvelopeFields(metadata, policy);
  const c2 = await wrapDataKey(context.wrapper, dataKey, policy);
  const signed = await signEnvelope(context, metadata, policy, previous.c1, c2);
  return { ...signed, dataKey };
}
