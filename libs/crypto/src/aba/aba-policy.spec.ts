import fc from 'fast-check';
import { CryptoError, CryptoErrorCode } from '../errors';
import { evaluateAbaPolicy, parseAbaPolicy, selectAbaAttributes, type AbaPolicy } from './aba-policy';

const NAMES = ['doctor@a', 'nurse@a', 'cardiology@b', 'oncology@b', 'licensed@c', 'phd@c'];

function render(p: AbaPolicy): string {
  return p.kind === 'attribute' ? p.name : `(${p.children.map(render).join(p.kind === 'and' ? ' AND ' : ' or ')})`;
}

const policyArb: fc.Arbitrary<AbaPolicy> = fc.letrec<{ node: AbaPolicy }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...NAMES).map((name): AbaPolicy => ({ kind: 'attribute', name, issuer: name.split('@')[1] })),
    fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), children: fc.array(tie('node'), { minLength: 2, maxLength: 3 }) }),
  ),
})).node;

describe('ABA policies', () => {
  it('parses AND tighter than OR, with parentheses and either case of keywords', () => {
    const p = parseAbaPolicy('doctor@a or nurse@a AND (cardiology@b OR oncology@b)');
    expect(evaluateAbaPolicy(p, new Set(['doctor@a']))).toBe(true);
    expect(evaluateAbaPolicy(p, new Set(['nurse@a']))).toBe(false);
    expect(evaluateAbaPolicy(p, new Set(['nurse@a', 'oncology@b']))).toBe(true);
  });

  it.each(['', 'doctor', 'doctor@', '@a', 'doctor@a AND', '(doctor@a', 'doctor@a)', 'doctor@a nurse@a', 'AND doctor@a', 'doc tor@a', 'x@a '.repeat(2000)])(
    'rejects %j with InvalidPolicy',
    (text) => {
      expect(() => parseAbaPolicy(text)).toThrow(CryptoError);
      try {
        parseAbaPolicy(text);
      } catch (e) {
        expect((e as CryptoError).code).toBe(CryptoErrorCode.InvalidPolicy);
      }
    },
  );

  it('selection agrees with plain boolean evaluation, and picks a satisfying subset', () => {
    fc.assert(
      fc.property(policyArb, fc.subarray(NAMES), (policy, held) => {
        const heldSet = new Set(held);
        const reparsed = parseAbaPolicy(render(policy));
        expect(evaluateAbaPolicy(reparsed, heldSet)).toBe(evaluateAbaPolicy(policy, heldSet));
        const chosen = selectAbaAttributes(reparsed, heldSet);
        expect(chosen !== undefined).toBe(evaluateAbaPolicy(policy, heldSet));
        if (chosen !== undefined) {
          expect([...chosen].every((a) => heldSet.has(a))).toBe(true);
          expect(evaluateAbaPolicy(policy, chosen)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
