import {
  BBSPublicKey,
  BBSSignatureParams,
  CompositeProof,
  MetaStatements,
  ProofSpec,
  SetupParam,
  Statement,
  Statements,
  WitnessEqualityMetaStatement,
} from '@docknetwork/crypto-wasm-ts';
import { CryptoError, CryptoErrorCode } from '../errors';
import { ABA_DOMAIN, ABA_G1_GENERATOR, ABA_VERSION, abaAttributeMessage, abaIntegerScalar } from './aba-encoding';
import type { AbaPresentedCredential, AbaRequestContext } from './aba-types';

/**
 * The relation one ABA presentation proves, built identically by prover and verifier.
 *
 * Credential layout (BBS message indices): 0 = tag, 1 = epoch, 2 = expiry day,
 * 3.. = `attribute@issuer` names in sorted order.
 *
 * Statements, for k credentials:
 *   0..k-1  PoK of a BBS signature under issuer i's key, with epoch, expiry and the
 *           policy's attributes revealed;
 *   k       PoK of r with c1 = g^r                         (Pedersen, key [g]);
 *   k+1     PoK of (tag, r) with c2 = g^tag · pk_O^r       (Pedersen, key [g, pk_O]).
 * Witness equalities: {(i, 0) for all i} ∪ {(k+1, 0)}   (one tag across all credentials and c2);
 *                     {(k, 0), (k+1, 1)}                (the same r in c1 and c2).
 */
export const ABA_INDEX = { tag: 0, epoch: 1, expiry: 2, firstAttribute: 3 } as const;

const paramsBySize = new Map<number, BBSSignatureParams>();

/** BBS generators for n messages, derived from a fixed public label and shared by every issuer. */
export function abaBbsParams(messageCount: number): BBSSignatureParams {
  let params = paramsBySize.get(messageCount);
  if (params === undefined) {
    params = BBSSignatureParams.generate(messageCount, Buffer.from(ABA_DOMAIN.bbsParams, 'utf8'));
    paramsBySize.set(messageCount, params);
  }
  return params;
}

/** The full message vector of a credential, given its hidden tag. */
export function abaCredentialMessages(tag: Uint8Array, epoch: number, expiresOnDay: number, attributes: readonly string[]): Uint8Array[] {
  return [tag, abaIntegerScalar(epoch), abaIntegerScalar(expiresOnDay), ...attributes.map(abaAttributeMessage)];
}

/** The revealed messages of one presented credential, keyed by message index. */
export function abaRevealedMessages(credential: AbaPresentedCredential): Map<number, Uint8Array> {
  const revealed = new Map<number, Uint8Array>();
  revealed.set(ABA_INDEX.epoch, abaIntegerScalar(credential.epoch));
  revealed.set(ABA_INDEX.expiry, abaIntegerScalar(credential.expiresOnDay));
  for (const d of credential.disclosed) revealed.set(d.index, abaAttributeMessage(d.attribute));
  return revealed;
}

/**
 * The proof's context bytes: everything about the request the proof must be bound to that the
 * statements do not already fix. A JSON array of strings has one serialisation, so both sides agree.
 */
export function abaContextBytes(context: AbaRequestContext, policy: string): Uint8Array {
  return Buffer.from(
    JSON.stringify([ABA_DOMAIN.context, ABA_VERSION, context.method, context.path, context.bodySha256, context.audience, policy]),
    'utf8',
  );
}

export interface AbaRelationInput {
  readonly credentials: readonly AbaPresentedCredential[];
  /** Issuer public keys, one per credential, in the same order; only the verifier needs them. */
  readonly issuerKeys?: readonly Uint8Array[];
  readonly c1: Uint8Array;
  readonly c2: Uint8Array;
  readonly openerKey: Uint8Array;
  readonly context: Uint8Array;
}

/** Builds the proof spec of the relation above, for the prover (no keys) or the verifier. */
export function abaProofSpec(input: AbaRelationInput): ProofSpec {
  const statements = new Statements();
  const metas = new MetaStatements();
  const setup: SetupParam[] = [];
  const paramRefs = new Map<number, number>();
  const tagEquality = new WitnessEqualityMetaStatement();

  input.credentials.forEach((credential, i) => {
    const size = ABA_INDEX.firstAttribute + credential.attributeCount;
    let paramRef = paramRefs.get(size);
    if (paramRef === undefined) {
      paramRef = setup.push(SetupParam.bbsSignatureParams(abaBbsParams(size))) - 1;
      paramRefs.set(size, paramRef);
    }
    const revealed = abaRevealedMessages(credential);
    const key = input.issuerKeys?.[i];
    const statement =
      key === undefined
        ? Statement.bbsSignatureProverFromSetupParamRefs(paramRef, revealed, false)
        : Statement.bbsSignatureVerifierFromSetupParamRefs(
            paramRef,
            setup.push(SetupParam.bbsPlusSignaturePublicKeyG2(new BBSPublicKey(key))) - 1,
            revealed,
            false,
          );
    tagEquality.addWitnessRef(statements.add(statement), ABA_INDEX.tag);
  });

  const c1Index = statements.add(Statement.pedersenCommitmentG1([ABA_G1_GENERATOR], input.c1));
  const c2Index = statements.add(Statement.pedersenCommitmentG1([ABA_G1_GENERATOR, input.openerKey], input.c2));
  tagEquality.addWitnessRef(c2Index, 0);
  const randomnessEquality = new WitnessEqualityMetaStatement();
  randomnessEquality.addWitnessRef(c1Index, 0);
  randomnessEquality.addWitnessRef(c2Index, 1);
  metas.addWitnessEquality(tagEquality);
  metas.addWitnessEquality(randomnessEquality);
  return new ProofSpec(statements, metas, setup, input.context);
}

/** Verifies a composite proof; every failure, including WASM deserialisation errors, is InvalidProof. */
export function abaVerifyComposite(proofBytes: Uint8Array, spec: () => ProofSpec, nonce: Uint8Array, what: string): void {
  let result: { verified: boolean; error?: string };
  try {
    result = new CompositeProof(proofBytes).verify(spec(), nonce);
  } catch (cause) {
    throw new CryptoError(CryptoErrorCode.InvalidProof, `${what} does not verify`, { cause });
  }
  if (!result.verified) {
    throw new CryptoError(CryptoErrorCode.InvalidProof, `${what} does not verify${result.error ? `: ${result.error}` : ''}`);
  }
}
