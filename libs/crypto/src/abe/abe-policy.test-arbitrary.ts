import fc from 'fast-check';
import type { AbePolicyNode } from './abe-policy';

/** Test-only: a small attribute universe over two authorities (h, g). */
export const ABE_TEST_UNIVERSE = ['a@h', 'b@h', 'c@h', 'd@g', 'e@g', 'f@g'];

/** Random policy trees over a small universe (attributes may repeat), with AND, OR and k-of-n. */
export const arbitraryAbePolicy: fc.Arbitrary<AbePolicyNode> = fc.letrec<{ node: AbePolicyNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...ABE_TEST_UNIVERSE).map((l): AbePolicyNode => {
      const [name, authority] = l.split('@');
      return { kind: 'attribute', name, authority };
    }),
    fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((children): AbePolicyNode => ({ kind: 'and', children })),
    fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((children): AbePolicyNode => ({ kind: 'or', children })),
    fc
      .array(tie('node'), { minLength: 3, maxLength: 4 })
      .chain((children) => fc.integer({ min: 2, max: children.length - 1 }).map((k): AbePolicyNode => ({ kind: 'threshold', k, children }))),
  ),
})).node;

