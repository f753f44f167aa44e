import { CompositeProof, MetaStatements, ProofSpec, Statement, Statements, Witness, Witnesses, WitnessEqualityMetaStatement } from '@docknetwork/crypto-wasm-ts';
import { CryptoError, CryptoErrorCode } from '../errors';
import {
  ABA_DOMAIN,
  ABA_G1_GENERATOR,
  ABA_VERSION,
  abaAssertG1,
  abaFromBase64Url,
  abaG1MultiExp,
  abaG1Power,
  abaNegateScalar,
  abaRandomScalar,
  abaScalarToBytes,
  abaToBase64Url,
  abaWasmReady,
} from './aba-encoding';
import { abaVerifyComposite } from './aba-statements';
import {
  AbaOpenerPublicKeySchema,
  AbaOpeningSchema,
  AbaPresentationSchema,
  parseAba,
  type AbaOpenerPublicKey,
  type AbaOpening,
  type AbaTraceCiphertext,
} from './aba-types';

/**
 * Proof of a correct opening (Chaum–Pedersen, as two Pedersen statements with witness equality):
 * the opener knows sk with pk = g^sk and D = c1^sk, where D = c2 / M. The context binds c1, c2 and M.
 */
function openingProofSpec(openerKey: Uint8Array, c1: Uint8Array, c2: Uint8Array, tagPoint: Uint8Array): ProofSpec {
  const minusOne = abaNegateScalar(abaScalarToBytes(1n));
  const d = abaG1MultiExp([c2, tagPoint], [abaScalarToBytes(1n), minusOne]);
  const statements = new Statements();
  const a = statements.add(Statement.pedersenCommitmentG1([ABA_G1_GENERATOR], openerKey));
  const b = statements.add(Statement.pedersenCommitmentG1([c1], d));
  const eq = new WitnessEqualityMetaStatement();
  eq.addWitnessRef(a, 0);
  eq.addWitnessRef(b, 0);
  const metas = new MetaStatements();
  metas.addWitnessEquality(eq);
  const context = Buffer.concat([Buffer.from(ABA_DOMAIN.opening, 'utf8'), c1, c2, tagPoint]);
  return new ProofSpec(statements, metas, [], context);
}

/** Openings are not challenge-response; the context already binds c1, c2 and M, so the nonce is fixed. */
const OPENING_NONCE = new Uint8Array(0);

function traceOf(input: unknown): { c1: Uint8Array; c2: Uint8Array } {
  const trace: AbaTraceCiphertext = parseAba(AbaPresentationSchema, input, 'presentation').trace;
  const c1 = abaFromBase64Url(trace.c1, 'c1', 48);
  const c2 = abaFromBase64Url(trace.c2, 'c2', 48);
  abaAssertG1(c1, 'c1');
  abaAssertG1(c2, 'c2');
  return { c1, c2 };
}

/**
 * The tracing authority. It holds the ElGamal secret key sk (pk = g^sk in G1) and the
 * enrolment table T = g^tag → person id. From a stored presentation it recovers
 * M = c2 · c1^(−sk) = g^tag and names the person, with a proof anyone can check.
 * It never learns tag itself, only g^tag.
 */
export class AbaOpener {
  private readonly enrolments = new Map<string, string>();

  private constructor(
    private readonly secretKey: Uint8Array,
    private readonly publicKeyBytes: Uint8Array,
  ) {}

  /** A fresh opener key pair. */
  static async generate(): Promise<AbaOpener> {
    await abaWasmReady();
    const sk = abaRandomScalar();
    return new AbaOpener(sk, abaG1Power(sk));
  }

  /** The opener's public key, versioned JSON. */
  publicKey(): AbaOpenerPublicKey {
    return { version: ABA_VERSION, publicKey: abaToBase64Url(this.publicKeyBytes) };
  }

  /** Registers T = g^tag for a person. A T already registered (to anyone) is refused. */
  enrol(personId: string, enrolment: string): void {
    if (typeof personId !== 'string' || personId.length === 0) throw new CryptoError(CryptoErrorCode.MalformedInput, 'person id is empty');
    const t = abaFromBase64Url(enrolment, 'enrolment', 48);
    abaAssertG1(t, 'enrolment');
    const key = abaToBase64Url(t);
    if (this.enrolments.has(key)) throw new CryptoError(CryptoErrorCode.MalformedInput, 'this enrolment is already registered');
    this.enrolments.set(key, personId);
  }

  /**
   * Decrypts the presentation's trace ciphertext and looks g^tag up. Throws InvalidProof if
   * g^tag is not enrolled (which a verified presentation rules out, since issuers sign only
   * enrolled tags).
   */
  open(presentation: unknown): AbaOpening {
    const { c1, c2 } = traceOf(presentation);
    const tagPoint = abaG1MultiExp([c2, c1], [abaScalarToBytes(1n), abaNegateScalar(this.secretKey)]);
    const personId = this.enrolments.get(abaToBase64Url(tagPoint));
    if (personId === undefined) throw new CryptoError(CryptoErrorCode.InvalidProof, 'the trace decrypts to no enrolled person');
    const witnesses = new Witnesses();
    witnesses.add(Witness.pedersenCommitment([this.secretKey]));
    witnesses.add(Witness.pedersenCommitment([this.secretKey]));
    const proof = CompositeProof.generate(openingProofSpec(this.publicKeyBytes, c1, c2, tagPoint), witnesses, OPENING_NONCE);
    return { version: ABA_VERSION, personId, tagPoint: abaToBase64Url(tagPoint), proof: abaToBase64Url(proof.value) };
  }
}

/**
 * Checks an opening against the opener's public key and the presentation: the decryption is
 * correct, so the presentation was made with the tag enrolled as `tagPoint`. Mapping tagPoint to
 * the person id is the opener's table; an auditor holding the enrolment T checks T = tagPoint.
 */
export async function verifyAbaOpening(openerPublicKey: unknown, presentation: unknown, opening: unknown): Promise<void> {
  await abaWasmReady();
  const opener = parseAba(AbaOpenerPublicKeySchema, openerPublicKey, 'opener public key');
  const openerKey = abaFromBase64Url(opener.publicKey, 'opener public key', 48);
  abaAssertG1(openerKey, 'opener public key');
  const parsed = parseAba(AbaOpeningSchema, opening, 'opening');
  const tagPoint = abaFromBase64Url(parsed.tagPoint, 'tag point', 48);
  abaAssertG1(tagPoint, 'tag point');
  const { c1, c2 } = traceOf(presentation);
  abaVerifyComposite(abaFromBase64Url(parsed.proof, 'opening proof'), () => openingProofSpec(openerKey, c1, c2, tagPoint), OPENING_NONCE, 'opening proof');
}
