import { CryptoError, CryptoErrorCode } from '../errors';

/**
 * Access policies for ABA: boolean formulas over `attribute@issuer` names with AND, OR and
 * parentheses, AND binding tighter than OR (the same surface syntax MA-ABE policies use).
 */
export type AbaPolicy =
  | { readonly kind: 'attribute'; readonly name: string; readonly issuer: string }
  | { readonly kind: 'and' | 'or'; readonly children: readonly AbaPolicy[] };

/** `attribute@issuer`: both parts non-empty, from a conservative character set. */
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.:-]+@[A-Za-z0-9_.:-]+$/;
const MAX_POLICY_LENGTH = 4096;
const MAX_DEPTH = 32;

/** Splits `attribute@issuer` into its parts, or throws InvalidPolicy. */
export function abaSplitAttribute(name: string): { attribute: string; issuer: string } {
  if (typeof name !== 'string' || !ATTRIBUTE_NAME.test(name)) {
    throw new CryptoError(CryptoErrorCode.InvalidPolicy, `not an attribute@issuer name: ${String(name).slice(0, 80)}`);
  }
  const at = name.indexOf('@');
  return { attribute: name.slice(0, at), issuer: name.slice(at + 1) };
}

/** Parses a policy string; any syntax error is a CryptoError with code InvalidPolicy. */
export function parseAbaPolicy(text: string): AbaPolicy {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_POLICY_LENGTH) {
    throw new CryptoError(CryptoErrorCode.InvalidPolicy, 'policy must be a non-empty string of at most 4096 characters');
  }
  const tokens = text.match(/\(|\)|[^\s()]+/g) ?? [];
  let pos = 0;
  const fail = (why: string): never => {
    throw new CryptoError(CryptoErrorCode.InvalidPolicy, `policy: ${why} at token ${pos}`);
  };
  const isOp = (t: string | undefined, op: string): boolean => t !== undefined && t.toUpperCase() === op;

  const parseOr = (depth: number): AbaPolicy => {
    const children = [parseAnd(depth)];
    while (isOp(tokens[pos], 'OR')) {
      pos++;
      children.push(parseAnd(depth));
    }
    return children.length === 1 ? children[0] : { kind: 'or', children };
  };
  const parseAnd = (depth: number): AbaPolicy => {
    const children = [parseAtom(depth)];
    while (isOp(tokens[pos], 'AND')) {
      pos++;
      children.push(parseAtom(depth));
    }
    return children.length === 1 ? children[0] : { kind: 'and', children };
  };
  const parseAtom = (depth: number): AbaPolicy => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    const token = tokens[pos];
    if (token === undefined) return fail('unexpected end');
    if (token === '(') {
      pos++;
      const inner = parseOr(depth + 1);
      if (tokens[pos] !== ')') fail('missing )');
      pos++;
      return inner;
    }
    if (token === ')' || isOp(token, 'AND') || isOp(token, 'OR')) fail(`unexpected ${token}`);
    pos++;
    const { attribute, issuer } = abaSplitAttribute(token);
    return { kind: 'attribute', name: `${attribute}@${issuer}`, issuer };
  };

  const policy = parseOr(0);
  if (pos !== tokens.length) fail('trailing input');
  return policy;
}

/** Plain boolean evaluation: true iff the held `attribute@issuer` names satisfy the policy. */
export function evaluateAbaPolicy(policy: AbaPolicy, held: ReadonlySet<string>): boolean {
  switch (policy.kind) {
    case 'attribute':
      return held.has(policy.name);
    case 'and':
      return policy.children.every((c) => evaluateAbaPolicy(c, held));
    case 'or':
      return policy.children.some((c) => evaluateAbaPolicy(c, held));
  }
}

/**
 * A smallest-effort satisfying subset of `held`: for OR the branch needing the fewest issuers,
 * then the fewest attributes (fewer credentials in the proof means a faster proof and less
 * disclosed). Returns undefined if the policy is not satisfiable from `held`.
 */
export function selectAbaAttributes(policy: AbaPolicy, held: ReadonlySet<string>): Set<string> | undefined {
  switch (policy.kind) {
    case 'attribute':
      return held.has(policy.name) ? new Set([policy.name]) : undefined;
    case 'and': {
      const union = new Set<string>();
      for (const child of policy.children) {
        const part = selectAbaAttributes(child, held);
        if (part === undefined) return undefined;
        part.forEach((a) => union.add(a));
      }
      return union;
    }
    case 'or': {
      let best: Set<string> | undefined;
      for (const child of policy.children) {
        const part = selectAbaAttributes(child, held);
        if (part !== undefined && (best === undefined || cost(part) < cost(best))) best = part;
      }
      return best;
    }
  }
}

function cost(set: Set<string>): number {
  const issuers = new Set([...set].map((a) => a.slice(a.indexOf('@') + 1)));
  return issuers.size * 1000 + set.size;
}
