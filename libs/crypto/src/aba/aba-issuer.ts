import { BBSBlindSignature, BBSKeypair, BBSPublicKey, BBSSecretKey, MetaStatements, ProofSpec, Statement, Statements, WitnessEqualityMetaStatement } from '@docknetwork/crypto-wasm-ts';
import { CryptoError, CryptoErrorCode } from '../errors';
import {
  ABA_DOMAIN,
  ABA_G1_GENERATOR,
  ABA_VERSION,
  abaAssertG1,
  abaAttributeMessage,
  abaBytesEqual,
  abaFromBase64Url,
  abaIntegerScalar,
  abaToBase64Url,
  abaWasmReady,
} from './aba-encoding';
import { abaSplitAttribute } from './aba-policy';
import { ABA_INDEX, abaBbsParams, abaVerifyComposite } from './aba-statements';
import { AbaCredentialRequestSchema, AbaIssuerPublicKeySchema, parseAba, type AbaCredential, type AbaIssuerPublicKey } from './aba-types';

/** What an issuer certifies about one enrolled person in one credential. */
export interface AbaIssuanceTerms {
  /** The enrolment T = g^tag registered with the opener for this person (from the registry, not from the request). */
  readonly enrolment: string;
  /** The issuer's nonce for this request, sent to the holder beforehand; single-use. */
  readonly nonce: string;
  /** `attribute@issuer` names; every one must name this issuer. */
  readonly attributes: readonly string[];
  /** Last day (days since 1970-01-01 UTC) on which the credential is valid. */
  readonly expiresOnDay: number;
}

/** The proof spec of an issuance request: C = h_0^tag and T = g^tag share the exponent. */
export function abaIssuanceProofSpec(issuer: string, commitment: Uint8Array, enrolment: Uint8Array): ProofSpec {
  const h0 = abaBbsParams(ABA_INDEX.firstAttribute + 1).getParamsForIndices([ABA_INDEX.tag]);
  const statements = new Statements();
  const a = statements.add(Statement.pedersenCommitmentG1(h0, commitment));
  const b = statements.add(Statement.pedersenCommitmentG1([ABA_G1_GENERATOR], enrolment));
  const eq = new WitnessEqualityMetaStatement();
  eq.addWitnessRef(a, 0);
  eq.addWitnessRef(b, 0);
  const metas = new MetaStatements();
  metas.addWitnessEquality(eq);
  return new ProofSpec(statements, metas, [], Buffer.from(JSON.stringify([ABA_DOMAIN.issuance, ABA_VERSION, issuer]), 'utf8'));
}

/**
 * One attribute issuer. It signs BBS credentials blindly over the holder's tag: it learns
 * h_0^tag and T = g^tag (it knows whom it issues to), never tag itself, and checks that the
 * committed tag is the one the person enrolled with the opener, so every credential it signs
 * is traceable.
 */
export class AbaIssuer {
  private constructor(
    readonly issuer: string,
    private readonly secretKey: BBSSecretKey,
    private readonly publicKeyBytes: Uint8Array,
    private epochValue: number,
  ) {}

  /** A fresh issuer with a random BBS key pair (secret x ∈ F_r, public w = g2^x in G2). */
  static async generate(issuer: string, epoch = 0): Promise<AbaIssuer> {
    await abaWasmReady();
    if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(issuer)) throw new CryptoError(CryptoErrorCode.MalformedInput, 'issuer id has invalid characters');
    if (!Number.isSafeInteger(epoch) || epoch < 0) throw new CryptoError(CryptoErrorCode.MalformedInput, 'epoch must be a non-negative integer');
    // Key generation only needs g2, which is the same for every message count.
    const pair = BBSKeypair.generate(abaBbsParams(ABA_INDEX.firstAttribute + 1));
    return new AbaIssuer(issuer, pair.sk, pair.pk.value, epoch);
  }

  /** The current epoch; credentials of earlier epochs stop verifying once it moves. */
  get epoch(): number {
    return this.epochValue;
  }

  /** Moves to the next epoch (key update or revocation of every credential of the old one). */
  rotateEpoch(): number {
    this.epochValue += 1;
    return this.epochValue;
  }

  /** The published public key, versioned JSON, with the current epoch. */
  publicKey(): AbaIssuerPublicKey {
    return { version: ABA_VERSION, issuer: this.issuer, publicKey: abaToBase64Url(this.publicKeyBytes), epoch: this.epochValue };
  }

  /**
   * Verifies the holder's request against the enrolment the registry holds for this person,
   * then blind-signs (tag, epoch, expiry, sorted attributes). Throws InvalidProof if the request
   * does not prove knowledge of the enrolled tag.
   */
  issue(request: unknown, terms: AbaIssuanceTerms): AbaCredential {
    const parsed = parseAba(AbaCredentialRequestSchema, request, 'credential request');
    const commitment = abaFromBase64Url(parsed.commitment, 'commitment', 48);
    const enrolment = abaFromBase64Url(parsed.enrolment, 'enrolment', 48);
    abaAssertG1(commitment, 'commitment');
    abaAssertG1(enrolment, 'enrolment');
    if (!abaBytesEqual(enrolment, abaFromBase64Url(terms.enrolment, 'expected enrolment', 48))) {
      throw new CryptoError(CryptoErrorCode.InvalidProof, 'the request is for another enrolment than this person’s');
    }
    const attributes = [...new Set(terms.attributes)].sort();
    if (attributes.length === 0) throw new CryptoError(CryptoErrorCode.MalformedInput, 'a credential needs at least one attribute');
    for (const a of attributes) {
      if (abaSplitAttribute(a).issuer !== this.issuer) {
        throw new CryptoError(CryptoErrorCode.MalformedInput, `${a} is not an attribute of ${this.issuer}`);
      }
    }
    abaIntegerScalar(terms.expiresOnDay);
    abaVerifyComposite(
      abaFromBase64Url(parsed.proof, 'request proof'),
      () => abaIssuanceProofSpec(this.issuer, commitment, enrolment),
      abaFromBase64Url(terms.nonce, 'nonce'),
      'credential request proof',
    );
    const params = abaBbsParams(ABA_INDEX.firstAttribute + attributes.length);
    const known = new Map<number, Uint8Array>([
      [ABA_INDEX.epoch, abaIntegerScalar(this.epochValue)],
      [ABA_INDEX.expiry, abaIntegerScalar(terms.expiresOnDay)],
    ]);
    attributes.forEach((a, i) => known.set(ABA_INDEX.firstAttribute + i, abaAttributeMessage(a)));
    const signature = BBSBlindSignature.generate(commitment, known, this.secretKey, params, false);
    return {
      version: ABA_VERSION,
      issuer: this.issuer,
      epoch: this.epochValue,
      expiresOnDay: terms.expiresOnDay,
      attributes,
      signature: abaToBase64Url(signature.value),
    };
  }
}

/** Decodes and checks a published issuer key (versioned JSON); MalformedInput or InvalidPoint if it is not one. */
export function abaIssuerKeyBytes(input: unknown): { key: AbaIssuerPublicKey; bytes: Uint8Array } {
  const key = parseAba(AbaIssuerPublicKeySchema, input, 'issuer public key');
  const bytes = abaFromBase64Url(key.publicKey, 'issuer public key', 96);
  let valid = false;
  try {
    valid = new BBSPublicKey(bytes).isValid();
  } catch {
    valid = false;
  }
  if (!valid) throw new CryptoError(CryptoErrorCode.InvalidPoint, `public key of ${key.issuer} is not a valid G2 point`);
  return { key, bytes };
}
