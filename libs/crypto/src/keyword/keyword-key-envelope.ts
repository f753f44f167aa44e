import { CryptoError, CryptoErrorCode } from '../errors';
import {
  sealRecord,
  verifyThenOpen,
  type DataKeyUnwrapper,
  type DataKeyWrapper,
  type EnvelopeSigningContext,
  type EnvelopeVerificationContext,
  type SealResult,
} from '../envelope';
import { KEYWORD_KEY_BYTES } from './keyword-blind-index';

/** Record ids of keyword-key envelopes start with this, so they never collide with records. */
export const KEYWORD_KEY_RECORD_PREFIX = 'keyword-key/';

// "CCKK" + format 1 + the 32-byte key: a record body that cannot be mistaken for a health record.
const PAYLOAD_MAGIC = Uint8Array.of(0x43, 0x43, 0x4b, 0x4b, 0x01);

/** A patient's keyword key as a searcher recovers it. */
export interface OpenedKeywordKey {
  /** Which generation of the patient's keyword key this is (tokens are only comparable within one). */
  readonly keyId: string;
  readonly key: Uint8Array;
  /** The registered address of the patient that signed it. */
  readonly signer: string;
}

/**
 * Hands a patient's keyword key to everyone who satisfies `policy`, as an ordinary
 * signcryption envelope (record id `keyword-key/<keyId>`): the key is C1's plaintext, K is
 * wrapped under the policy, and the patient's σ proves the key is theirs, so a server cannot
 * slip a searcher a key of its own choosing. Policy changes and epoch updates use
 * rewrapDataKey like any record.
 */
export async function sealKeywordKey(
  input: { readonly key: Uint8Array; readonly keyId: string; readonly patientPseudonym: string; readonly policy: string },
  context: EnvelopeSigningContext & { readonly wrapper: DataKeyWrapper },
): Promise<SealResult> {
  if (!(input.key instanceof Uint8Array) || input.key.length !== KEYWORD_KEY_BYTES) {
    throw new CryptoError(CryptoErrorCode.MalformedInput, `a keyword key must be ${KEYWORD_KEY_BYTES} bytes`);
  }
  if (typeof input.keyId !== 'string' || input.keyId.length === 0) throw new CryptoError(CryptoErrorCode.MalformedInput, 'keyId must be a non-empty string');
  const record = new Uint8Array(PAYLOAD_MAGIC.length + KEYWORD_KEY_BYTES);
  record.set(PAYLOAD_MAGIC);
  record.set(input.key, PAYLOAD_MAGIC.length);
  return sealRecord(
    { record, patientPseudonym: input.patientPseudonym, recordId: KEYWORD_KEY_RECORD_PREFIX + input.keyId, policy: input.policy },
    context,
  );
}

/**
 * Verify-then-open for a keyword-key envelope: σ and the signer's registration are checked
 * first, then the key is unwrapped and decrypted. Throws MalformedInput if the envelope is a
 * valid record envelope but not a keyword key.
 */
export async function openKeywordKey(
  envelope: Uint8Array,
  context: EnvelopeVerificationContext & { readonly unwrapper: DataKeyUnwrapper },
): Promise<OpenedKeywordKey> {
  const opened = await verifyThenOpen(envelope, context);
  const { recordId } = opened.metadata;
  const payload = opened.record;
  const isKeywordKey =
    recordId.startsWith(KEYWORD_KEY_RECORD_PREFIX) &&
    payload.length === PAYLOAD_MAGIC.length + KEYWORD_KEY_BYTES &&
    PAYLOAD_MAGIC.every((b, i) => payload[i] === b);
  if (!isKeywordKey) throw new CryptoError(CryptoErrorCode.MalformedInput, 'this envelope does not carry a keyword key');
  return {
    keyId: recordId.slice(KEYWORD_KEY_RECORD_PREFIX.length),
    key: payload.slice(PAYLOAD_MAGIC.length),
    signer: opened.signer,
  };
}
