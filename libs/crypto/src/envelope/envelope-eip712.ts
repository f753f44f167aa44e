import { createHash } from 'node:crypto';
import { TypedDataEncoder, type TypedDataDomain, type TypedDataField } from 'ethers';
import type { EnvelopeMetadata } from './envelope-codec';

/** EIP-712 domain name and version of the envelope signature; a change of either is a new format. */
export const ENVELOPE_EIP712_NAME = 'Carechain Record Envelope';
export const ENVELOPE_EIP712_VERSION = '1';

/**
 * The EIP-712 domain: name, version and the chain id of Carechain's private network, so a
 * signature made for one deployment (chain) never verifies on another. There is no
 * verifyingContract: the signature is checked off chain by clients and providers.
 */
export function envelopeEip712Domain(chainId: bigint | number): TypedDataDomain {
  return { name: ENVELOPE_EIP712_NAME, version: ENVELOPE_EIP712_VERSION, chainId: BigInt(chainId) };
}

/** The one primary type σ signs. Field order is part of the type hash, so it is fixed here. */
export const ENVELOPE_EIP712_TYPES: Record<string, TypedDataField[]> = {
  SealedRecord: [
    { name: 'patientPseudonym', type: 'string' },
    { name: 'recordId', type: 'string' },
    { name: 'version', type: 'uint64' },
    { name: 'issuedAt', type: 'uint64' },
    { name: 'policy', type: 'string' },
    { name: 'c1Hash', type: 'bytes32' },
    { name: 'c2Hash', type: 'bytes32' },
  ],
};

/** The SealedRecord message as ethers expects it. */
export interface SealedRecordMessage {
  patientPseudonym: string;
  recordId: string;
  version: bigint;
  issuedAt: bigint;
  policy: string;
  c1Hash: string;
  c2Hash: string;
}

/** SHA-256 of a ciphertext, 0x-hex: the commitment σ carries for C1 and for C2. */
export function envelopeCiphertextHash(bytes: Uint8Array): string {
  return '0x' + createHash('sha256').update(bytes).digest('hex');
}

/** The message σ signs for this metadata, policy, C1 and C2. */
export function sealedRecordMessage(metadata: EnvelopeMetadata, policy: string, c1: Uint8Array, c2: Uint8Array): SealedRecordMessage {
  return {
    patientPseudonym: metadata.patientPseudonym,
    recordId: metadata.recordId,
    version: BigInt(metadata.version),
    issuedAt: BigInt(metadata.issuedAt),
    policy,
    c1Hash: envelopeCiphertextHash(c1),
    c2Hash: envelopeCiphertextHash(c2),
  };
}

/**
 * The EIP-712 digest keccak256(0x1901 || domainSeparator || hashStruct(SealedRecord)): what a
 * wallet signs, and a unique id of one envelope state (what a PPR anchors on chain).
 */
export function sealedRecordDigest(domain: TypedDataDomain, message: SealedRecordMessage): string {
  return TypedDataEncoder.hash(domain, ENVELOPE_EIP712_TYPES, message);
}
