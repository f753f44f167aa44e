import fc from 'fast-check';
import { CryptoError, CryptoErrorCode } from '../errors';
import type { PairingBackend } from './pairing-backend';
import { loadBothPairingBackends } from './pairing-test-backends';
import { frMul, frRandom, PAIRING_SCALAR_ORDER } from './scalar-field';
import { pairingSeededRandom } from './seeded-random-source';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const scalar = fc.bigInt({ min: 0n, max: PAIRING_SCALAR_ORDER - 1n });

let backends: { native: PairingBackend; wasm: PairingBackend };
beforeAll(async () => {
  backends = await loadBothPairingBackends();
});

describe.each(['native', 'wasm'] as const)('%s pairing backend', (name) => {
  const b = (): PairingBackend => backends[name];

  it('is bilinear: e(aP, bQ) = e(P, Q)^(ab) = e(abP, Q)', () => {
    fc.assert(
      fc.property(scalar, scalar, (x, y) => {
        const be = b();
        const lhs = be.pairing(be.g1Mul(be.g1Generator(), x), be.g2Mul(be.g2Generator(), y));
        const rhs = be.gtPow(be.pairing(be.g1Generator(), be.g2Generator()), frMul(x, y));
        expect(be.gtEquals(lhs, rhs)).toBe(true);
        expect(be.gtEquals(lhs, be.pairing(be.g1Mul(be.g1Generator(), frMul(x, y)), be.g2Generator()))).toBe(true);
      }),
      { numRuns: 4 },
    );
  });

  it('agrees across multiplication paths: fixed-base, MSM and the constant-time ladder', () => {
    const be = b();
    const [x, y] = [frRandom(), frRandom()];
    const p = be.g1Mul(be.g1Generator(), 7n);
    const q = be.g2Mul(be.g2Generator(), 11n);
    expect(be.g1Equals(be.g1FixedMul(be.g1FixedBase(p), x), be.g1Mul(p, x))).toBe(true);
    expect(be.g2Equals(be.g2FixedMul(be.g2FixedBase(q), x), be.g2Mul(q, x))).toBe(true);
    expect(be.g1Equals(be.g1Msm([p, be.g1Generator()], [x, y]), be.g1Add(be.g1Mul(p, x), be.g1Mul(be.g1Generator(), y)))).toBe(true);
    expect(be.g2Equals(be.g2Msm([q, be.g2Generator()], [x, y]), be.g2Add(be.g2Mul(q, x), be.g2Mul(be.g2Generator(), y)))).toBe(true);
    const e = be.pairing(p, q);
    expect(be.gtEquals(be.gtFixedPowProduct([be.gtFixedBase(e), be.gtFixedBase(e)], [x, y]), be.gtPow(e, (x + y) % PAIRING_SCALAR_ORDER))).toBe(true);
    expect(be.gtEquals(be.gtMul(e, be.gtInv(e)), be.gtOne())).toBe(true);
    expect(be.g1IsIdentity(be.g1Add(p, be.g1Neg(p)))).toBe(true);
    expect(be.g2IsIdentity(be.g2Mul(q, 0n))).toBe(true);
  });

  it('computes fixed-base multiples equal to the plain computation, edge scalars included', () => {
    const be = b();
    const p = be.g1HashToCurve(enc('fixed-base g1'), enc('CARECHAIN-TEST_BLS12381G1_XMD:SHA-256_SSWU_RO_'));
    const q = be.g2HashToCurve(enc('fixed-base g2'), enc('CARECHAIN-TEST_BLS12381G2_XMD:SHA-256_SSWU_RO_'));
    const e = be.pairing(p, q);
    const [tp, tq, te, tg] = [be.g1FixedBase(p), be.g2FixedBase(q), be.gtFixedBase(e), be.g1FixedBase(be.g1Generator())];
    const r = PAIRING_SCALAR_ORDER;
    // 0, 1, r−1, every byte 0x80 (each signed digit carries), all-ones words, powers of two at window edges.
    const edges = [0n, 1n, 2n, r - 1n, r - 2n, BigInt('0x' + '80'.repeat(31)), (1n << 254n) - 1n, 1n << 254n, 1n << 48n, (1n << 48n) - 1n, 0x7fn, 0x80n, 0x81n];
    const check = (x: bigint, z: bigint): void => {
      expect(be.g1Equals(be.g1FixedMul(tp, x), be.g1Mul(p, x))).toBe(true);
      expect(be.g2Equals(be.g2FixedMul(tq, x), be.g2Mul(q, x))).toBe(true);
      expect(be.gtEquals(be.gtFixedPowProduct([te], [x]), be.gtPow(e, x))).toBe(true);
      expect(be.g1Equals(be.g1FixedMulSum([tp, tg], [x, z]), be.g1Add(be.g1Mul(p, x), be.g1Mul(be.g1Generator(), z)))).toBe(true);
      expect(be.gtEquals(be.gtFixedPowProduct([te, te], [x, z]), be.gtPow(e, (x + z) % r))).toBe(true);
    };
    edges.forEach((x, i) => check(x, edges[(i + 3) % edges.length]));
    fc.assert(fc.property(scalar, scalar, check), { numRuns: 8 });
    expect(be.g1IsIdentity(be.g1FixedMulSum([], []))).toBe(true);
    expect(be.gtEquals(be.gtFixedPowProduct([], []), be.gtOne())).toBe(true);
  });

  it('computes a pairing product as Miller loops (prepared and plain) with one final exponentiation', () => {
    const be = b();
    const ps = [3n, 5n, 7n, 9n].map((k) => be.g1Mul(be.g1Generator(), k));
    const qs = [2n, 4n, 6n, 8n].map((k) => be.g2Mul(be.g2Generator(), k));
    const expected = ps.reduce((acc, p, i) => be.gtMul(acc, be.pairing(p, qs[i])), be.gtOne());
    const prepared = [0, 1].map((i) => ({ g1: ps[i], g2: be.g2Prepare(qs[i]) }));
    const plain = [2, 3].map((i) => ({ g1: ps[i], g2: qs[i] }));
    expect(be.gtEquals(be.pairingProduct(prepared, plain), expected)).toBe(true);
    expect(be.gtEquals(be.finalExponentiation(be.millerLoop(prepared, plain)), expected)).toBe(true);
    // Odd and even numbers of prepared terms (the WASM backend runs them two per loop).
    const allPrepared = [0, 1, 2].map((i) => ({ g1: ps[i], g2: be.g2Prepare(qs[i]) }));
    expect(be.gtEquals(be.pairingProduct(allPrepared, [plain[1]]), expected)).toBe(true);
    expect(be.gtEquals(be.pairingProduct([...allPrepared, { g1: ps[3], g2: be.g2Prepare(qs[3]) }], []), expected)).toBe(true);
    expect(be.gtEquals(be.pairingProduct([], ps.map((p, i) => ({ g1: p, g2: qs[i] }))), expected)).toBe(true);
    expect(be.gtEquals(be.pairingProduct([], []), be.gtOne())).toBe(true);
    // e(P, Q) · e(-P, Q) = 1, and the identity contributes nothing.
    const cancel = be.pairingProduct([{ g1: be.g1Neg(ps[0]), g2: be.g2Prepare(qs[0]) }], [
      { g1: ps[0], g2: qs[0] },
      { g1: be.g1Identity(), g2: qs[1] },
    ]);
    expect(be.gtEquals(cancel, be.gtOne())).toBe(true);
  });

  it('round-trips canonical encodings', () => {
    fc.assert(
      fc.property(scalar, (x) => {
        const be = b();
        const p = be.g1Mul(be.g1Generator(), x);
        const q = be.g2Mul(be.g2Generator(), x);
        const e = be.pairing(p, be.g2Generator());
        expect(be.g1Equals(be.g1FromBytes(be.g1ToBytes(p)), p)).toBe(true);
        expect(be.g2Equals(be.g2FromBytes(be.g2ToBytes(q)), q)).toBe(true);
        expect(be.gtEquals(be.gtFromBytes(be.gtToBytes(e)), e)).toBe(true);
      }),
      { numRuns: 5 },
    );
    const be = b();
    expect(hex(be.g1ToBytes(be.g1Identity()))).toBe('c0' + '00'.repeat(47));
  });

  it('hashes to G1 per RFC 9380 (suite BLS12381G1_XMD:SHA-256_SSWU_RO_, msg = "")', () => {
    const be = b();
    const p = be.g1HashToCurve(new Uint8Array(0), enc('QUUX-V01-CS02-with-BLS12381G1_XMD:SHA-256_SSWU_RO_'));
    // RFC 9380 appendix J.9.1: P.x = 0x052926add2...79a1 (compressed: flag bits 0b100 on the top byte).
    expect(hex(be.g1ToBytes(p))).toBe(
      '852926add2207b76ca4fa57a8734416c8dc95e24501772c814278700eed6d1e4e8cf62d9c09db0fac349612b759e79a1',
    );
    const dstA = enc('CARECHAIN-TEST-A_BLS12381G2_XMD:SHA-256_SSWU_RO_');
    const dstB = enc('CARECHAIN-TEST-B_BLS12381G2_XMD:SHA-256_SSWU_RO_');
    expect(be.g2Equals(be.g2HashToCurve(enc('x'), dstA), be.g2HashToCurve(enc('x'), dstB))).toBe(false);
  });

  it('rejects malformed encodings with typed errors', () => {
    const be = b();
    const codeOf = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        if (e instanceof CryptoError) return e.code;
        throw e;
      }
      return undefined;
    };
    expect(codeOf(() => be.g1FromBytes(new Uint8Array(47)))).toBe(CryptoErrorCode.MalformedInput);
    expect(codeOf(() => be.g2FromBytes(new Uint8Array(95)))).toBe(CryptoErrorCode.MalformedInput);
    expect(codeOf(() => be.gtFromBytes(new Uint8Array(10)))).toBe(CryptoErrorCode.MalformedInput);
    // (0, 2) lies on y^2 = x^3 + 4 but not in the order-r subgroup.
    expect(codeOf(() => be.g1FromBytes(Uint8Array.from([0x80, ...new Uint8Array(47)])))).toBe(CryptoErrorCode.InvalidPoint);
    // The uncompressed flag is not canonical for a 48-byte encoding.
    const g = be.g1ToBytes(be.g1Generator());
    expect(codeOf(() => be.g1FromBytes(Uint8Array.from([g[0] & 0x7f, ...g.subarray(1)])))).toBe(CryptoErrorCode.InvalidPoint);
    // Zero is not in GT; neither is an element of F_p^12 outside the order-r subgroup.
    expect(codeOf(() => be.gtFromBytes(new Uint8Array(576)))).toBe(CryptoErrorCode.InvalidPoint);
    const e = be.gtToBytes(be.pairing(be.g1Generator(), be.g2Generator()));
    e[575] ^= 1;
    expect(codeOf(() => be.gtFromBytes(e))).toBe(CryptoErrorCode.InvalidPoint);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 48, maxLength: 48 }), fc.uint8Array({ minLength: 96, maxLength: 96 }), (x, y) => {
        // Random strings decode (rarely) or fail with a CryptoError, never anything else.
        for (const f of [() => be.g1FromBytes(x), () => be.g2FromBytes(y)]) {
          try {
            f();
          } catch (err) {
            expect(err).toBeInstanceOf(CryptoError);
          }
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe('native and wasm backends', () => {
  it('produce identical bytes for the same inputs', () => {
    const { native: n, wasm: w } = backends;
    const rn = pairingSeededRandom('cross-check');
    const dst1 = enc('CARECHAIN-X_BLS12381G1_XMD:SHA-256_SSWU_RO_');
    const dst2 = enc('CARECHAIN-X_BLS12381G2_XMD:SHA-256_SSWU_RO_');
    for (let i = 0; i < 4; i++) {
      const [x, y] = [frRandom(rn), frRandom(rn)];
      const msg = enc(`message ${i}`);
      const both = (f: (b: PairingBackend) => Uint8Array): void => expect(hex(f(w))).toBe(hex(f(n)));
      both((b) => b.g1ToBytes(b.g1Mul(b.g1Generator(), x)));
      both((b) => b.g2ToBytes(b.g2Mul(b.g2Generator(), y)));
      both((b) => b.g1ToBytes(b.g1HashToCurve(msg, dst1)));
      both((b) => b.g2ToBytes(b.g2HashToCurve(msg, dst2)));
      both((b) => b.gtToBytes(b.pairing(b.g1Mul(b.g1Generator(), x), b.g2HashToCurve(msg, dst2))));
      both((b) => b.gtToBytes(b.gtPow(b.pairing(b.g1Generator(), b.g2Generator()), y)));
      both((b) => b.g1ToBytes(b.g1FixedMulSum([b.g1FixedBase(b.g1Generator()), b.g1FixedBase(b.g1HashToCurve(msg, dst1))], [x, y])));
      both((b) => b.g2ToBytes(b.g2FixedMul(b.g2FixedBase(b.g2HashToCurve(msg, dst2)), x)));
      both((b) => b.gtToBytes(b.gtFixedPowProduct([b.gtFixedBase(b.pairing(b.g1Generator(), b.g2Generator()))], [y])));
    }
  });

  it('decode each other’s encodings', () => {
    const { native: n, wasm: w } = backends;
    const x = frRandom();
    const p = n.g1Mul(n.g1Generator(), x);
    const q = w.g2Mul(w.g2Generator(), x);
    expect(n.g2Equals(n.g2FromBytes(w.g2ToBytes(q)), n.g2Mul(n.g2Generator(), x))).toBe(true);
    expect(w.g1Equals(w.g1FromBytes(n.g1ToBytes(p)), w.g1Mul(w.g1Generator(), x))).toBe(true);
    const e = n.pairing(p, n.g2Generator());
    expect(w.gtEquals(w.gtFromBytes(n.gtToBytes(e)), w.pairing(w.g1Mul(w.g1Generator(), x), w.g2Generator()))).toBe(true);
  });
});
