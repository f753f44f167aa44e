import fc from 'fast-check';
import { CryptoError, CryptoErrorCode } from '../errors';
import { frAdd, frMul } from '../pairing/scalar-field';
import { abeEvaluatePolicy, abeParsePolicy, abePolicyLeaves, abePolicyToString } from './abe-policy';
import { abeLsssCoefficients, abeLsssMatrix } from './lsss-matrix';
import { ABE_TEST_UNIVERSE as UNIVERSE, arbitraryAbePolicy } from './abe-policy.test-arbitrary';

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    if (e instanceof CryptoError) return e.code;
    throw e;
  }
  return undefined;
};

describe('ABE policy parser', () => {
  it('parses AND/OR precedence, parentheses and thresholds into a canonical string', () => {
    expect(abePolicyToString(abeParsePolicy('a@h and b@h or c@g'))).toBe('((a@h and b@h) or c@g)');
    expect(abePolicyToString(abeParsePolicy('a@h AND (b@h Or c@g)'))).toBe('(a@h and (b@h or c@g))');
    expect(abePolicyToString(abeParsePolicy('2 of (a@h, b@h, c@g)'))).toBe('2 of (a@h, b@h, c@g)');
    expect(abePolicyToString(abeParsePolicy('3 of (a@h, b@h, c@g)'))).toBe('(a@h and b@h and c@g)');
    expect(abePolicyToString(abeParsePolicy('1 of (a@h, b@h)'))).toBe('(a@h or b@h)');
  });

  it('re-parses its canonical string to the same tree', () => {
    fc.assert(
      fc.property(arbitraryAbePolicy, (p) => {
        const s = abePolicyToString(p);
        expect(abePolicyToString(abeParsePolicy(s))).toBe(abePolicyToString(abeParsePolicy(abePolicyToString(abeParsePolicy(s)))));
        expect(abePolicyLeaves(abeParsePolicy(s))).toHaveLength(abePolicyLeaves(p).length);
      }),
    );
  });

  it('rejects malformed policies with InvalidPolicy', () => {
    for (const bad of ['', 'a', 'a@', '@h', 'a@h and', '(a@h', 'a@h b@h', '0 of (a@h)', '3 of (a@h, b@h)', 'a@h@g', 'a@h or ()', 'a b@h']) {
      expect(codeOf(() => abeParsePolicy(bad))).toBe(CryptoErrorCode.InvalidPolicy);
    }
    expect(codeOf(() => abeParsePolicy('('.repeat(40) + 'a@h' + ')'.repeat(40)))).toBe(CryptoErrorCode.InvalidPolicy);
    expect(codeOf(() => abeParsePolicy(Array.from({ length: 300 }, (_, i) => `a${i}@h`).join(' or ')))).toBe(CryptoErrorCode.InvalidPolicy);
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        try {
          abeParsePolicy(s);
        } catch (e) {
          expect(e).toBeInstanceOf(CryptoError);
        }
      }),
    );
  });
});

describe('Lewko–Waters LSSS', () => {
  it('finds coefficients exactly when the attribute set satisfies the policy, and Σ c_x A_x = (1, 0, ..., 0)', () => {
    fc.assert(
      fc.property(arbitraryAbePolicy, fc.subarray(UNIVERSE), (policy, held) => {
        const heldSet = new Set(held);
        const leaves = abePolicyLeaves(policy);
        const coefficients = abeLsssCoefficients(policy, (x) => heldSet.has(`${leaves[x].name}@${leaves[x].authority}`));
        expect(coefficients !== undefined).toBe(abeEvaluatePolicy(policy, heldSet));
        if (coefficients === undefined) return;
        const { rows, columns } = abeLsssMatrix(policy);
        expect(rows).toHaveLength(leaves.length);
        const sum = new Array<bigint>(columns).fill(0n);
        for (const [x, c] of coefficients) {
          expect(heldSet.has(`${leaves[x].name}@${leaves[x].authority}`)).toBe(true);
          for (const [col, a] of rows[x]) sum[col] = frAdd(sum[col], frMul(c, a));
        }
        expect(sum).toEqual([1n, ...new Array<bigint>(columns - 1).fill(0n)]);
      }),
      { numRuns: 300 },
    );
  });

  it('uses only coefficients 1 for AND/OR policies', () => {
    const p = abeParsePolicy('(a@h and (b@h or c@g)) and (d@g or (e@g and f@g))');
    const c = abeLsssCoefficients(p, () => true);
    expect(c).toBeDefined();
    expect([...(c as Map<number, bigint>).values()].every((v) => v === 1n)).toBe(true);
    expect((c as Map<number, bigint>).size).toBe(3);
  });
});
