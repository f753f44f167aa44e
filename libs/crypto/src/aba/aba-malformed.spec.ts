import fc from 'fast-check';
import { CryptoError, CryptoErrorCode } from '../errors';
import { abaFixtureContext, createAbaWorld, enrolAbaPerson, type AbaWorld } from './aba-fixture';
import type { AbaHolder } from './aba-holder';
import { AbaIssuer } from './aba-issuer';
import { AbaOpener, verifyAbaOpening } from './aba-opener';
import { AbaVerifier } from './aba-verifier';
import type { AbaChallenge, AbaPresentation } from './aba-types';

const POLICY = 'doctor@hospital-a';

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    if (e instanceof CryptoError) return e.code;
    throw e;
  }
  return 'ACCEPTED';
}

describe('ABA on malformed input', () => {
  let world: AbaWorld;
  let holder: AbaHolder;
  let verifier: AbaVerifier;
  let challenge: AbaChallenge;
  let presentation: AbaPresentation;
  const verify = (p: unknown, overrides: Record<string, unknown> = {}): string =>
    codeOf(() => verifier.verify(p, { policy: POLICY, challenge, context: abaFixtureContext(), now: world.now, ...overrides }));

  beforeAll(async () => {
    world = await createAbaWorld();
    holder = await enrolAbaPerson(world, 'person:dana', [{ issuer: world.issuers[0], attributes: [POLICY, 'nurse@hospital-a'] }]);
    verifier = await AbaVerifier.create(world.issuers.map((i) => i.publicKey()), world.opener.publicKey());
    challenge = AbaVerifier.challenge(world.now);
    presentation = holder.prove({ policy: POLICY, challenge, context: abaFixtureContext(), openerPublicKey: world.opener.publicKey() });
  });

  it('accepts the untouched presentation (so the rejections below are about the change)', () => {
    expect(verify(presentation)).toBe('ACCEPTED');
    expect(verify(JSON.stringify(presentation))).toBe('ACCEPTED');
  });

  it.each([
    ['null', null, CryptoErrorCode.MalformedInput],
    ['a number', 42, CryptoErrorCode.MalformedInput],
    ['not JSON', '{"version":', CryptoErrorCode.MalformedInput],
    ['an empty object', {}, CryptoErrorCode.MalformedInput],
  ])('a presentation that is %s', (_what, input, code) => {
    expect(verify(input)).toBe(code);
  });

  it('gives a typed code for each broken field', () => {
    const p = presentation;
    const cred = p.credentials[0];
    expect(verify({ ...p, version: 'carechain-aba/v0' })).toBe(CryptoErrorCode.UnsupportedVersion);
    expect(verify({ ...p, proof: 'not base64url!' })).toBe(CryptoErrorCode.MalformedInput);
    expect(verify({ ...p, proof: 'AAAA' })).toBe(CryptoErrorCode.InvalidProof);
    expect(verify({ ...p, trace: { ...p.trace, c1: 'AAAA' } })).toBe(CryptoErrorCode.MalformedInput);
    expect(verify({ ...p, trace: { ...p.trace, c1: Buffer.alloc(48, 7).toString('base64url') } })).toBe(CryptoErrorCode.InvalidPoint);
    expect(verify({ ...p, credentials: [] })).toBe(CryptoErrorCode.MalformedInput);
    expect(verify({ ...p, credentials: Array(9).fill(cred) })).toBe(CryptoErrorCode.MalformedInput);
    expect(verify({ ...p, credentials: [{ ...cred, attributeCount: 1e6 }] })).toBe(CryptoErrorCode.MalformedInput);
    expect(verify({ ...p, credentials: [{ ...cred, disclosed: [{ index: 0, attribute: POLICY }] }] })).toBe(CryptoErrorCode.MalformedInput);
    expect(verify({ ...p, credentials: [{ ...cred, disclosed: [...cred.disclosed, ...cred.disclosed] }] })).toBe(CryptoErrorCode.MalformedInput);
    expect(verify({ ...p, credentials: [{ ...cred, attributeCount: cred.attributeCount + 1 }] })).toBe(CryptoErrorCode.InvalidProof);
    expect(verify({ ...p, credentials: [{ ...cred, issuer: 'nobody' }] })).toBe(CryptoErrorCode.InvalidProof);
    expect(verify(p, { policy: 'doctor@@x AND' })).toBe(CryptoErrorCode.InvalidPolicy);
    expect(verify(p, { context: { ...abaFixtureContext(), method: 'BREW' } })).toBe(CryptoErrorCode.MalformedInput);
    expect(verify(p, { challenge: { ...challenge, nonce: '***' } })).toBe(CryptoErrorCode.MalformedInput);
  });

  it('never crashes on random mutations of a presentation: a typed error or (for no-op mutations) acceptance', () => {
    const paths: Array<(p: AbaPresentation, v: unknown) => void> = [
      (p, v) => ((p as unknown as Record<string, unknown>).proof = v),
      (p, v) => ((p.trace as unknown as Record<string, unknown>).c1 = v),
      (p, v) => ((p.trace as unknown as Record<string, unknown>).c2 = v),
      (p, v) => ((p.credentials[0] as unknown as Record<string, unknown>).epoch = v),
      (p, v) => ((p.credentials[0] as unknown as Record<string, unknown>).attributeCount = v),
      (p, v) => ((p.credentials[0].disclosed[0] as unknown as Record<string, unknown>).index = v),
      (p, v) => ((p.credentials[0].disclosed[0] as unknown as Record<string, unknown>).attribute = v),
      (p, v) => ((p as unknown as Record<string, unknown>).credentials = v),
    ];
    const value = fc.oneof(
      fc.anything(),
      fc.integer({ min: -3, max: 70 }),
      fc.uint8Array({ minLength: 0, maxLength: 600 }).map((b) => Buffer.from(b).toString('base64url')),
      fc.constant(presentation.trace.c2),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: paths.length - 1 }), value, (which, v) => {
        const mutated = structuredClone(presentation);
        paths[which](mutated, v);
        const code = verify(mutated);
        expect(Object.values(CryptoErrorCode).includes(code as CryptoErrorCode) || code === 'ACCEPTED').toBe(true);
        if (code === 'ACCEPTED') expect(JSON.stringify(mutated)).toBe(JSON.stringify(presentation));
      }),
      { numRuns: 60 },
    );
  });

  it('rejects malformed keys, requests, credentials and openings with typed errors', async () => {
    await expect(AbaIssuer.generate('bad id with spaces')).rejects.toMatchObject({ code: CryptoErrorCode.MalformedInput });
    await expect(AbaVerifier.create([{ version: 'carechain-aba/v1', issuer: 'x', publicKey: 'AAAA', epoch: 0 }], world.opener.publicKey())).rejects.toMatchObject({
      code: CryptoErrorCode.MalformedInput,
    });
    await expect(
      AbaVerifier.create([{ version: 'carechain-aba/v1', issuer: 'x', publicKey: Buffer.alloc(96, 3).toString('base64url'), epoch: 0 }], world.opener.publicKey()),
    ).rejects.toMatchObject({ code: CryptoErrorCode.InvalidPoint });
    await expect(AbaVerifier.create([], { version: 'carechain-aba/v1', publicKey: Buffer.alloc(48, 1).toString('base64url') })).rejects.toMatchObject({
      code: CryptoErrorCode.InvalidPoint,
    });
    const issuer = world.issuers[0];
    const terms = { enrolment: holder.enrolment, nonce: 'AQID', attributes: [POLICY], expiresOnDay: 20_000 };
    expect(codeOf(() => issuer.issue('{]', terms))).toBe(CryptoErrorCode.MalformedInput);
    expect(codeOf(() => issuer.issue({ ...holder.requestCredential(issuer.issuer, 'AQID'), proof: 'AAAA' }, terms))).toBe(CryptoErrorCode.InvalidProof);
    expect(codeOf(() => holder.acceptCredential({ bogus: true }, issuer.publicKey()))).toBe(CryptoErrorCode.MalformedInput);
    const credential = issuer.issue(holder.requestCredential(issuer.issuer, 'AQID'), terms);
    expect(codeOf(() => holder.acceptCredential({ ...credential, signature: Buffer.alloc(80).toString('base64url') }, issuer.publicKey()))).toBe(
      CryptoErrorCode.InvalidSignature,
    );
    expect(codeOf(() => holder.acceptCredential({ ...credential, expiresOnDay: 20_001 }, issuer.publicKey()))).toBe(CryptoErrorCode.InvalidSignature);
    expect(codeOf(() => world.opener.enrol('x', 'AAAA'))).toBe(CryptoErrorCode.MalformedInput);
    expect(codeOf(() => world.opener.enrol('x', holder.enrolment))).toBe(CryptoErrorCode.MalformedInput);
    const stranger = await AbaOpener.generate();
    expect(codeOf(() => stranger.open(presentation))).toBe(CryptoErrorCode.InvalidProof);
    const opening = world.opener.open(presentation);
    await expect(verifyAbaOpening(world.opener.publicKey(), presentation, { ...opening, proof: 'AAAA' })).rejects.toMatchObject({
      code: CryptoErrorCode.InvalidProof,
    });
    await expect(verifyAbaOpening(stranger.publicKey(), presentation, opening)).rejects.toMatchObject({ code: CryptoErrorCode.InvalidProof });
  });
});
