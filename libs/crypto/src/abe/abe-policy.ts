import { CryptoError, CryptoErrorCode } from '../errors';

/**
 * Access policies: boolean formulas over `attribute@authority`, with `and`, `or`, parentheses
 * and thresholds `k of (p1, p2, ..., pn)`. `and` binds tighter than `or`.
 *
 *   policy    := or
 *   or        := and ("or" and)*
 *   and       := factor ("and" factor)*
 *   factor    := attribute | "(" or ")" | INT "of" "(" or ("," or)* ")"
 *   attribute := NAME "@" NAME        NAME = [A-Za-z0-9_.-]+ (case-sensitive)
 */
export type AbePolicyNode =
  | { readonly kind: 'attribute'; readonly name: string; readonly authority: string }
  | { readonly kind: 'and'; readonly children: readonly AbePolicyNode[] }
  | { readonly kind: 'or'; readonly children: readonly AbePolicyNode[] }
  | { readonly kind: 'threshold'; readonly k: number; readonly children: readonly AbePolicyNode[] };

/** Limits that keep a hostile policy from costing unbounded time or memory. */
export const ABE_POLICY_LIMITS = { maxLength: 8192, maxLeaves: 256, maxDepth: 32 } as const;

const NAME = /^[A-Za-z0-9_.-]+$/;

/** `name@authority`, validated; the string form used in keys and public-key exports. */
export function abeAttributeLabel(name: string, authority: string): string {
  if (!NAME.test(name) || !NAME.test(authority)) {
    throw new CryptoError(CryptoErrorCode.InvalidPolicy, `invalid attribute ${name}@${authority}`);
  }
  return `${name}@${authority}`;
}

/** Splits `name@authority`; throws InvalidPolicy when it is not exactly that shape. */
export function abeParseAttributeLabel(label: string): { name: string; authority: string } {
  const parts = typeof label === 'string' ? label.split('@') : [];
  if (parts.length !== 2 || !NAME.test(parts[0]) || !NAME.test(parts[1])) {
    throw new CryptoError(CryptoErrorCode.InvalidPolicy, `not an attribute@authority label: ${String(label)}`);
  }
  return { name: parts[0], authority: parts[1] };
}

type Token = { t: 'name'; v: string } | { t: 'int'; v: number } | { t: '(' | ')' | ',' | '@' | 'and' | 'or' | 'of' };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:(\()|(\))|(,)|(@)|([A-Za-z0-9_.-]+))/y;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(src);
    if (m === null) throw new CryptoError(CryptoErrorCode.InvalidPolicy, `unexpected character at ${pos}`);
    pos = re.lastIndex;
    if (m[1]) out.push({ t: '(' });
    else if (m[2]) out.push({ t: ')' });
    else if (m[3]) out.push({ t: ',' });
    else if (m[4]) out.push({ t: '@' });
    else {
      const w = m[5];
      const lw = w.toLowerCase();
      if (lw === 'and' || lw === 'or' || lw === 'of') out.push({ t: lw });
      else if (/^[0-9]+$/.test(w) && src.slice(pos).match(/^\s*of\b/i)) out.push({ t: 'int', v: Number(w) });
      else out.push({ t: 'name', v: w });
    }
  }
  return out;
}

/** Parses a policy string; throws InvalidPolicy with the reason on any syntax or limit error. */
export function abeParsePolicy(src: string): AbePolicyNode {
  if (typeof src !== 'string' || src.length === 0 || src.length > ABE_POLICY_LIMITS.maxLength) {
    throw new CryptoError(CryptoErrorCode.InvalidPolicy, 'policy must be a non-empty string of bounded length');
  }
  const toks = tokenize(src);
  let i = 0;
  let leaves = 0;
  const peek = (): Token | undefined => toks[i];
  const expect = (t: Token['t']): Token => {
    const tok = toks[i++];
    if (tok?.t !== t) throw new CryptoError(CryptoErrorCode.InvalidPolicy, `expected ${t} at token ${i - 1}`);
    return tok;
  };
  const flatten = (kind: 'and' | 'or', kids: AbePolicyNode[]): AbePolicyNode[] =>
    kids.flatMap((c) => (c.kind === kind ? c.children : [c]));

  const parseOr = (depth: number): AbePolicyNode => {
    if (depth > ABE_POLICY_LIMITS.maxDepth) throw new CryptoError(CryptoErrorCode.InvalidPolicy, 'policy nests too deeply');
    const kids = [parseAnd(depth)];
    while (peek()?.t === 'or') {
      i++;
      kids.push(parseAnd(depth));
    }
    return kids.length === 1 ? kids[0] : { kind: 'or', children: flatten('or', kids) };
  };
  const parseAnd = (depth: number): AbePolicyNode => {
    const kids = [parseFactor(depth)];
    while (peek()?.t === 'and') {
      i++;
      kids.push(parseFactor(depth));
    }
    return kids.length === 1 ? kids[0] : { kind: 'and', children: flatten('and', kids) };
  };
  const parseFactor = (depth: number): AbePolicyNode => {
    const tok = peek();
    if (tok?.t === '(') {
      i++;
      const inner = parseOr(depth + 1);
      expect(')');
      return inner;
    }
    if (tok?.t === 'int') {
      i++;
      expect('of');
      expect('(');
      const kids = [parseOr(depth + 1)];
      while (peek()?.t === ',') {
        i++;
        kids.push(parseOr(depth + 1));
      }
      expect(')');
      const k = tok.v;
      if (!Number.isInteger(k) || k < 1 || k > kids.length) {
        throw new CryptoError(CryptoErrorCode.InvalidPolicy, `threshold ${k} of ${kids.length} is out of range`);
      }
      if (k === 1) return kids.length === 1 ? kids[0] : { kind: 'or', children: flatten('or', kids) };
      if (k === kids.length) return { kind: 'and', children: flatten('and', kids) };
      return { kind: 'threshold', k, children: kids };
    }
    if (tok?.t === 'name') {
      i++;
      expect('@');
      const auth = expect('name') as { t: 'name'; v: string };
      if (++leaves > ABE_POLICY_LIMITS.maxLeaves) throw new CryptoError(CryptoErrorCode.InvalidPolicy, 'policy has too many attributes');
      abeAttributeLabel(tok.v, auth.v);
      return { kind: 'attribute', name: tok.v, authority: auth.v };
    }
    throw new CryptoError(CryptoErrorCode.InvalidPolicy, `unexpected token at ${i}`);
  };

  const root = parseOr(0);
  if (i !== toks.length) throw new CryptoError(CryptoErrorCode.InvalidPolicy, `trailing input at token ${i}`);
  return root;
}

/** The canonical string of a policy: fully parenthesised, lower-case operators, single spaces. */
export function abePolicyToString(node: AbePolicyNode): string {
  switch (node.kind) {
    case 'attribute':
      return `${node.name}@${node.authority}`;
    case 'and':
    case 'or':
      return `(${node.children.map(abePolicyToString).join(` ${node.kind} `)})`;
    case 'threshold':
      return `${node.k} of (${node.children.map(abePolicyToString).join(', ')})`;
  }
}

/** The leaves in left-to-right order: row x of the LSSS matrix belongs to leaf x. */
export function abePolicyLeaves(node: AbePolicyNode): Array<{ name: string; authority: string }> {
  if (node.kind === 'attribute') return [{ name: node.name, authority: node.authority }];
  return node.children.flatMap(abePolicyLeaves);
}

/** Plain boolean evaluation of the policy over a set of `name@authority` labels. */
export function abeEvaluatePolicy(node: AbePolicyNode, held: ReadonlySet<string>): boolean {
  switch (node.kind) {
    case 'attribute':
      return held.has(`${node.name}@${node.authority}`);
    case 'and':
      return node.children.every((c) => abeEvaluatePolicy(c, held));
    case 'or':
      return node.children.some((c) => abeEvaluatePolicy(c, held));
    case 'threshold':
      return node.children.filter((c) => abeEvaluatePolicy(c, held)).length >= node.k;
  }
}
