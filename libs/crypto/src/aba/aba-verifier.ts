import { randomBytes } from 'node:crypto';
import { CryptoError, CryptoErrorCode } from '../errors';
import { ABA_VERSION, abaAssertG1, abaDayOf, abaFromBase64Url, abaToBase64Url, abaWasmReady } from './aba-encoding';
import { abaIssuerKeyBytes } from './aba-issuer';
import { abaSplitAttribute, evaluateAbaPolicy, parseAbaPolicy } from './aba-policy';
import { ABA_INDEX, abaContextBytes, abaProofSpec, abaVerifyComposite } from './aba-statements';
import {
  AbaChallengeSchema,
  AbaOpenerPublicKeySchema,
  AbaPresentationSchema,
  AbaRequestContextSchema,
  parseAba,
  parseAbaPlain,
  type AbaChallenge,
  type AbaIssuerPublicKey,
  type AbaPresentation,
} from './aba-types';

/** What one verification checks a presentation against; all of it comes from the verifier's side. */
export interface AbaVerifyRequest {
  readonly policy: string;
  /** The challenge this verifier issued for the request; the caller enforces single use. */
  readonly challenge: AbaChallenge;
  readonly context: unknown;
  /** Verification time in ms since 1970 (default: now); credentials expiring before its day are refused. */
  readonly now?: number;
}

/** What a successful verification tells the verifier: the disclosed attributes and the trace ciphertext to store for audit. */
export interface AbaVerifiedPresentation {
  readonly attributes: readonly string[];
  readonly presentation: AbaPresentation;
}

/**
 * A relying party (the auth service). It trusts a fixed set of issuer keys (with their current
 * epochs) and one opener key. verify() either returns or throws a CryptoError:
 * MalformedInput / UnsupportedVersion for bad encodings, StaleEpoch for an old epoch, CredentialExpired for an
 * expired credential, PolicyNotSatisfied if the disclosed attributes do not satisfy the policy,
 * InvalidProof if the composite proof fails (wrong nonce, context, tag mismatch, tampering).
 */
export class AbaVerifier {
  private constructor(
    private readonly issuers: ReadonlyMap<string, { key: AbaIssuerPublicKey; bytes: Uint8Array }>,
    private readonly openerKey: Uint8Array,
  ) {}

  /** A verifier trusting these issuer keys and this opener. */
  static async create(issuerPublicKeys: readonly unknown[], openerPublicKey: unknown): Promise<AbaVerifier> {
    await abaWasmReady();
    const issuers = new Map<string, { key: AbaIssuerPublicKey; bytes: Uint8Array }>();
    for (const input of issuerPublicKeys) {
      const entry = abaIssuerKeyBytes(input);
      issuers.set(entry.key.issuer, entry);
    }
    const opener = parseAba(AbaOpenerPublicKeySchema, openerPublicKey, 'opener public key');
    const openerKey = abaFromBase64Url(opener.publicKey, 'opener public key', 48);
    abaAssertG1(openerKey, 'opener public key');
    return new AbaVerifier(issuers, openerKey);
  }

  /** A fresh challenge: 32 random bytes of nonce and the verifier's time. */
  static challenge(now = Date.now()): AbaChallenge {
    return { version: ABA_VERSION, nonce: abaToBase64Url(randomBytes(32)), issuedAt: now };
  }

  /** Verifies a presentation; see the class comment for the errors. */
  verify(presentationInput: unknown, request: AbaVerifyRequest): AbaVerifiedPresentation {
    const presentation = parseAba(AbaPresentationSchema, presentationInput, 'presentation');
    const challenge = parseAba(AbaChallengeSchema, request.challenge, 'challenge');
    const context = parseAbaPlain(AbaRequestContextSchema, request.context, 'request context');
    const policy = parseAbaPolicy(request.policy);
    const today = abaDayOf(request.now ?? Date.now());

    const keys: Uint8Array[] = [];
    const disclosed = new Set<string>();
    for (const credential of presentation.credentials) {
      const issuer = this.issuers.get(credential.issuer);
      if (issuer === undefined) throw new CryptoError(CryptoErrorCode.InvalidProof, `unknown issuer ${credential.issuer}`);
      if (credential.epoch !== issuer.key.epoch) {
        throw new CryptoError(CryptoErrorCode.StaleEpoch, `credential of ${credential.issuer} is from epoch ${credential.epoch}, current is ${issuer.key.epoch}`);
      }
      if (credential.expiresOnDay < today) {
        throw new CryptoError(CryptoErrorCode.CredentialExpired, `credential of ${credential.issuer} expired on day ${credential.expiresOnDay}`);
      }
      const seen = new Set<number>();
      for (const d of credential.disclosed) {
        if (d.index < ABA_INDEX.firstAttribute || d.index >= ABA_INDEX.firstAttribute + credential.attributeCount || seen.has(d.index)) {
          throw new CryptoError(CryptoErrorCode.MalformedInput, `disclosed index ${d.index} is out of range or repeated`);
        }
        seen.add(d.index);
        // An issuer's key only vouches for its own attributes.
        if (abaSplitAttribute(d.attribute).issuer !== credential.issuer) {
          throw new CryptoError(CryptoErrorCode.InvalidProof, `${d.attribute} is presented under ${credential.issuer}'s key`);
        }
        disclosed.add(d.attribute);
      }
      keys.push(issuer.bytes);
    }
    if (!evaluateAbaPolicy(policy, disclosed)) {
      throw new CryptoError(CryptoErrorCode.PolicyNotSatisfied, 'the disclosed attributes do not satisfy the policy');
    }

    const c1 = abaFromBase64Url(presentation.trace.c1, 'c1', 48);
    const c2 = abaFromBase64Url(presentation.trace.c2, 'c2', 48);
    abaAssertG1(c1, 'c1');
    abaAssertG1(c2, 'c2');
    abaVerifyComposite(
      abaFromBase64Url(presentation.proof, 'proof'),
      () =>
        abaProofSpec({
          credentials: presentation.credentials,
          issuerKeys: keys,
          c1,
          c2,
          openerKey: this.openerKey,
          context: abaContextBytes(context, request.policy),
        }),
      abaFromBase64Url(challenge.nonce, 'nonce'),
      'presentation proof',
    );
    return { attributes: [...disclosed].sort(), presentation };
  }
}
