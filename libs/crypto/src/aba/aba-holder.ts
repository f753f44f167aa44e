import { BBSPublicKey, BBSSignature, CompositeProof, Witness, Witnesses } from '@docknetwork/crypto-wasm-ts';
import { CryptoError, CryptoErrorCode } from '../errors';
import {
  ABA_G1_GENERATOR,
  ABA_VERSION,
  abaFromBase64Url,
  abaG1MultiExp,
  abaG1Power,
  abaRandomScalar,
  abaScalarFromBytes,
  abaDayOf,
  abaToBase64Url,
  abaWasmReady,
} from './aba-encoding';
import { abaIssuanceProofSpec, abaIssuerKeyBytes } from './aba-issuer';
import { abaSplitAttribute, parseAbaPolicy, selectAbaAttributes } from './aba-policy';
import { ABA_INDEX, abaBbsParams, abaContextBytes, abaCredentialMessages, abaProofSpec } from './aba-statements';
import {
  AbaChallengeSchema,
  AbaCredentialSchema,
  AbaOpenerPublicKeySchema,
  AbaRequestContextSchema,
  parseAba,
  parseAbaPlain,
  type AbaCredential,
  type AbaCredentialRequest,
  type AbaPresentation,
  type AbaPresentedCredential,
} from './aba-types';

/** What a holder needs to answer one verifier challenge. */
export interface AbaProveRequest {
  readonly policy: string;
  readonly challenge: unknown;
  readonly context: unknown;
  readonly openerPublicKey: unknown;
  /** Current epoch per issuer, if the holder knows it; credentials of other epochs are skipped. */
  readonly currentEpochs?: Readonly<Record<string, number>>;
}

interface HeldCredential {
  readonly credential: AbaCredential;
  readonly signature: BBSSignature;
}

/**
 * A user's wallet: the secret identity tag, its enrolment T = g^tag, and the credentials
 * issued over that tag. The tag never leaves this object in the clear.
 */
export class AbaHolder {
  private readonly credentials: HeldCredential[] = [];

  private constructor(
    private readonly tag: Uint8Array,
    /** T = g^tag, handed to the opener at enrolment (base64url, 48 bytes). */
    readonly enrolment: string,
  ) {}

  /** A holder with a fresh uniformly random tag. */
  static async create(): Promise<AbaHolder> {
    await abaWasmReady();
    return AbaHolder.fromTag(abaRandomScalar());
  }

  /** Restores a holder from its 32-byte tag (for a wallet that persists it). */
  static async restore(tag: Uint8Array): Promise<AbaHolder> {
    await abaWasmReady();
    abaScalarFromBytes(tag);
    return AbaHolder.fromTag(new Uint8Array(tag));
  }

  private static fromTag(tag: Uint8Array): AbaHolder {
    return new AbaHolder(tag, abaToBase64Url(abaG1Power(tag)));
  }

  /** The secret tag, for the wallet to persist; whoever holds it can present as this person. */
  exportTag(): Uint8Array {
    return new Uint8Array(this.tag);
  }

  /** A blind-issuance request to `issuer`: C = h_0^tag, T, and a proof that both hide the same tag. */
  requestCredential(issuer: string, nonce: string): AbaCredentialRequest {
    const h0 = abaBbsParams(ABA_INDEX.firstAttribute + 1).getParamsForIndices([ABA_INDEX.tag]);
    const commitment = abaG1MultiExp(h0, [this.tag]);
    const enrolment = abaFromBase64Url(this.enrolment, 'enrolment', 48);
    const witnesses = new Witnesses();
    witnesses.add(Witness.pedersenCommitment([this.tag]));
    witnesses.add(Witness.pedersenCommitment([this.tag]));
    const proof = CompositeProof.generate(
      abaIssuanceProofSpec(issuer, commitment, enrolment),
      witnesses,
      abaFromBase64Url(nonce, 'nonce'),
    );
    return {
      version: ABA_VERSION,
      commitment: abaToBase64Url(commitment),
      enrolment: this.enrolment,
      proof: abaToBase64Url(proof.value),
    };
  }

  /** Checks an issued credential against the issuer's key and this holder's tag, then keeps it. */
  acceptCredential(credentialInput: unknown, issuerPublicKey: unknown): AbaCredential {
    const credential = parseAba(AbaCredentialSchema, credentialInput, 'credential');
    const { key, bytes } = abaIssuerKeyBytes(issuerPublicKey);
    if (key.issuer !== credential.issuer) {
      throw new CryptoError(CryptoErrorCode.InvalidSignature, 'credential and key name different issuers');
    }
    const messages = abaCredentialMessages(this.tag, credential.epoch, credential.expiresOnDay, credential.attributes);
    const signature = new BBSSignature(abaFromBase64Url(credential.signature, 'signature'));
    let ok = false;
    try {
      ok = signature.verify(messages, new BBSPublicKey(bytes), abaBbsParams(messages.length), false).verified;
    } catch {
      ok = false;
    }
    if (!ok) throw new CryptoError(CryptoErrorCode.InvalidSignature, 'credential signature does not verify for this holder');
    this.credentials.push({ credential, signature });
    return credential;
  }

  /** The credentials held, as issued. */
  heldCredentials(): readonly AbaCredential[] {
    return this.credentials.map((c) => c.credential);
  }

  /**
   * One presentation for `policy`: picks the fewest credentials that satisfy it, discloses only
   * the attributes the policy needs, encrypts g^tag to the opener, and proves the whole relation
   * (see aba-statements.ts) bound to the challenge nonce and the request context.
   * Throws PolicyNotSatisfied if no valid credentials satisfy the policy.
   */
  prove(request: AbaProveRequest): AbaPresentation {
    const policy = parseAbaPolicy(request.policy);
    const challenge = parseAba(AbaChallengeSchema, request.challenge, 'challenge');
    const context = parseAbaPlain(AbaRequestContextSchema, request.context, 'request context');
    const opener = parseAba(AbaOpenerPublicKeySchema, request.openerPublicKey, 'opener public key');
    const openerKey = abaFromBase64Url(opener.publicKey, 'opener public key', 48);
    const today = abaDayOf(challenge.issuedAt);

    const usable = this.credentials.filter(
      (c) =>
        c.credential.expiresOnDay >= today &&
        (request.currentEpochs?.[c.credential.issuer] ?? c.credential.epoch) === c.credential.epoch,
    );
    const held = new Set(usable.flatMap((c) => c.credential.attributes));
    const needed = selectAbaAttributes(policy, held);
    if (needed === undefined) {
      throw new CryptoError(CryptoErrorCode.PolicyNotSatisfied, 'the held, valid credentials do not satisfy the policy');
    }

    // Greedy cover: reuse a chosen credential whenever it already holds the next attribute.
    const chosen: HeldCredential[] = [];
    for (const attribute of [...needed].sort()) {
      if (chosen.some((c) => c.credential.attributes.includes(attribute))) continue;
      const c = usable.find((u) => u.credential.attributes.includes(attribute) && abaSplitAttribute(attribute).issuer === u.credential.issuer);
      if (c === undefined) throw new CryptoError(CryptoErrorCode.PolicyNotSatisfied, `no credential holds ${attribute}`);
      chosen.push(c);
    }

    const presented: AbaPresentedCredential[] = chosen.map(({ credential }) => ({
      issuer: credential.issuer,
      epoch: credential.epoch,
      expiresOnDay: credential.expiresOnDay,
      attributeCount: credential.attributes.length,
      disclosed: credential.attributes
        .map((attribute, i) => ({ index: ABA_INDEX.firstAttribute + i, attribute }))
        .filter((d) => needed.has(d.attribute)),
    }));

    const r = abaRandomScalar();
    const c1 = abaG1Power(r);
    const c2 = abaG1MultiExp([ABA_G1_GENERATOR, openerKey], [this.tag, r]);
    const spec = abaProofSpec({ credentials: presented, c1, c2, openerKey, context: abaContextBytes(context, request.policy) });

    const witnesses = new Witnesses();
    chosen.forEach(({ credential, signature }, i) => {
      const messages = abaCredentialMessages(this.tag, credential.epoch, credential.expiresOnDay, credential.attributes);
      const disclosed = new Set(presented[i].disclosed.map((d) => d.index));
      const hidden = new Map<number, Uint8Array>();
      messages.forEach((m, index) => {
        if (index !== ABA_INDEX.epoch && index !== ABA_INDEX.expiry && !disclosed.has(index)) hidden.set(index, m);
      });
      witnesses.add(Witness.bbsSignature(signature, hidden, false));
    });
    witnesses.add(Witness.pedersenCommitment([r]));
    witnesses.add(Witness.pedersenCommitment([this.tag, r]));

    const proof = CompositeProof.generate(spec, witnesses, abaFromBase64Url(challenge.nonce, 'nonce'));
    return {
      version: ABA_VERSION,
      credentials: presented,
      trace: { c1: abaToBase64Url(c1), c2: abaToBase64Url(c2) },
      proof: abaToBase64Url(proof.value),
    };
  }
}
