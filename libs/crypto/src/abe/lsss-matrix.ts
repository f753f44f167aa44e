import { frAdd, frInv, frMul, frNeg, frReduce, frSub } from '../pairing/scalar-field';
import type { AbePolicyNode } from './abe-policy';

/**
 * A linear secret-sharing scheme for a policy, built by the Lewko–Waters method ("Decentralizing
 * Attribute-Based Encryption", EUROCRYPT 2011, appendix G), extended to k-of-n gates:
 *
 * - the root is labelled (1); c counts the columns in use;
 * - an n-ary AND with label v gives its children v + e_{c+1}, -e_{c+1} + e_{c+2}, ...,
 *   -e_{c+n-1} (a chain of Lewko–Waters binary ANDs), so the children's labels sum to v;
 * - an OR gives every child v;
 * - a k-of-n gate (1 < k < n) gives child i (1-based) v + Σ_{j=1..k-1} i^j e_{c+j}, i.e. a
 *   Shamir polynomial of degree k-1 whose value at 0 is v's share.
 *
 * Row x belongs to the x-th leaf. Rows are sparse: column → entry (mod r).
 */
export interface AbeLsssMatrix {
  readonly rows: ReadonlyArray<ReadonlyMap<number, bigint>>;
  readonly columns: number;
}

/** Builds the LSSS matrix of a parsed policy. */
export function abeLsssMatrix(policy: AbePolicyNode): AbeLsssMatrix {
  const rows: Map<number, bigint>[] = [];
  let columns = 1;
  const walk = (node: AbePolicyNode, label: Map<number, bigint>): void => {
    switch (node.kind) {
      case 'attribute':
        rows.push(label);
        return;
      case 'or':
        for (const c of node.children) walk(c, new Map(label));
        return;
      case 'and': {
        const n = node.children.length;
        const base = columns;
        columns += n - 1;
        node.children.forEach((c, i) => {
          const l = i === 0 ? new Map(label) : new Map<number, bigint>();
          if (i > 0) l.set(base + i - 1, frNeg(1n));
          if (i < n - 1) l.set(base + i, 1n);
          walk(c, l);
        });
        return;
      }
      case 'threshold': {
        const base = columns;
        columns += node.k - 1;
        node.children.forEach((c, idx) => {
          const x = BigInt(idx + 1);
          const l = new Map(label);
          let p = 1n;
          for (let j = 1; j < node.k; j++) {
            p = frMul(p, x);
            l.set(base + j - 1, p);
          }
          walk(c, l);
        });
        return;
      }
    }
  };
  walk(policy, new Map([[0, 1n]]));
  return { rows, columns };
}

/** λ_x = <A_x, v> for every row x. */
export function abeLsssShares(matrix: AbeLsssMatrix, vector: readonly bigint[]): bigint[] {
  return matrix.rows.map((row) => {
    let acc = 0n;
    for (const [col, a] of row) acc += a === 1n ? vector[col] : a * vector[col];
    return frReduce(acc);
  });
}

/**
 * Reconstruction coefficients {c_x} with Σ c_x A_x = (1, 0, ..., 0), using only rows for which
 * `usable(x)` holds, chosen to use as few rows as possible. Returns undefined if the usable
 * rows do not satisfy the policy. For AND/OR-only policies every coefficient is 1, which is
 * what lets decryption skip GT exponentiations.
 */
export function abeLsssCoefficients(
  policy: AbePolicyNode,
  usable: (row: number) => boolean,
): Map<number, bigint> | undefined {
  // First pass: the minimal number of rows each subtree needs (Infinity if unsatisfiable).
  let leaf = 0;
  const plan = (node: AbePolicyNode): { cost: number; pick: (c: bigint, out: Map<number, bigint>) => void } => {
    if (node.kind === 'attribute') {
      const x = leaf++;
      return { cost: usable(x) ? 1 : Infinity, pick: (c, out) => out.set(x, frAdd(out.get(x) ?? 0n, c)) };
    }
    const kids = node.children.map(plan);
    if (node.kind === 'and') {
      return { cost: kids.reduce((s, k) => s + k.cost, 0), pick: (c, out) => kids.forEach((k) => k.pick(c, out)) };
    }
    const order = kids.map((k, i) => ({ k, i })).sort((a, b) => a.k.cost - b.k.cost);
    const need = node.kind === 'or' ? 1 : node.k;
    const chosen = order.slice(0, need);
    const cost = chosen.reduce((s, o) => s + o.k.cost, 0);
    if (node.kind === 'or') return { cost, pick: (c, out) => chosen[0].k.pick(c, out) };
    const xs = chosen.map((o) => BigInt(o.i + 1));
    return {
      cost,
      pick: (c, out) => chosen.forEach((o, j) => o.k.pick(frMul(c, lagrangeAtZero(xs, j)), out)),
    };
  };
  const root = plan(policy);
  if (!Number.isFinite(root.cost)) return undefined;
  const out = new Map<number, bigint>();
  root.pick(1n, out);
  return out;
}

/** The Lagrange basis polynomial for xs[j], evaluated at 0. */
function lagrangeAtZero(xs: readonly bigint[], j: number): bigint {
  let num = 1n;
  let den = 1n;
  xs.forEach((x, m) => {
    if (m === j) return;
    num = frMul(num, frNeg(x));
    den = frMul(den, frSub(xs[j], x));
  });
  return frMul(num, frInv(den));
}
