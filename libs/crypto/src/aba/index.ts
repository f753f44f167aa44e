/**
 * Anonymous, traceable attribute-based authentication (docs/crypto/aba.md): BBS credentials
 * from independent issuers over one hidden tag, one composite proof per authentication, and an
 * opener that can trace a presentation to the enrolled person.
 */
export { ABA_VERSION, abaDayOf } from './aba-encoding';
export { parseAbaPolicy, evaluateAbaPolicy, selectAbaAttributes, type AbaPolicy } from './aba-policy';
export { AbaIssuer, type AbaIssuanceTerms } from './aba-issuer';
export { AbaHolder, type AbaProveRequest } from './aba-holder';
export { AbaVerifier, type AbaVerifyRequest, type AbaVerifiedPresentation } from './aba-verifier';
export { AbaOpener, verifyAbaOpening } from './aba-opener';
export type {
  AbaChallenge,
  AbaCredential,
  AbaCredentialRequest,
  AbaIssuerPublicKey,
  AbaOpenerPublicKey,
  AbaOpening,
  AbaPresentation,
  AbaPresentedCredential,
  AbaRequestContext,
  AbaTraceCiphertext,
} from './aba-types';
