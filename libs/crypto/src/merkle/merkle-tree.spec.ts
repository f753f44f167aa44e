import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { CryptoError, CryptoErrorCode } from '../errors';
import { MERKLE_EMPTY_ROOT, hashMerkleLeaf } from './merkle-hash';
import { rootFromMerkleInclusionProof, verifyMerkleConsistency, verifyMerkleInclusion } from './merkle-proof';
import { MerkleTree } from './merkle-tree';

/** MTH of RFC 6962 §2.1, written straight from the definition as an independent reference. */
function referenceRoot(leaves: Uint8Array[]): Buffer {
  const sha = (...parts: Uint8Array[]) => {
    const h = createHash('sha256');
    for (const p of parts) h.update(p);
    return h.digest();
  };
  if (leaves.length === 0) return sha();
  if (leaves.length === 1) return sha(Uint8Array.of(0), leaves[0]);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha(Uint8Array.of(1), referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

const leavesOf = (n: number): Uint8Array[] => Array.from({ length: n }, (_, i) => Buffer.from(`leaf-${i}`));

/** The eight leaves of the RFC 6962 reference test tree, from which the shared vectors were made. */
const RFC6962_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(
  (hex) => Buffer.from(hex, 'hex'),
);

/** Vendored copy of the shared vectors (see merkle-vectors.spec.ts). */
const vectorDir = resolve(__dirname, '../../test-vectors/rfc6962-merkle');
const readVector = (name: string) => JSON.parse(readFileSync(join(vectorDir, name), 'utf8'));
const b64 = (bufs: Buffer[]) => bufs.map((b) => b.toString('base64'));

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (err) {
    if (err instanceof CryptoError) return err.code;
    throw err;
  }
}

describe('MerkleTree', () => {
  it('has the SHA-256 empty-string root when empty', () => {
    expect(new MerkleTree().root().toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(Buffer.from(MERKLE_EMPTY_ROOT).equals(new MerkleTree().root())).toBe(true);
  });

  it('matches the reference MTH for every size up to 70 and every prefix', () => {
    const leaves = leavesOf(70);
    const tree = MerkleTree.fromLeaves(leaves);
    for (let n = 0; n <= 70; n++) expect(tree.root(n).equals(referenceRoot(leaves.slice(0, n)))).toBe(true);
  });

  it('generates exactly the proofs in the shared happy-path vectors', () => {
    const tree = MerkleTree.fromLeaves(RFC6962_LEAVES);
    for (const set of ['1', '2', '3', '4']) {
      const inc = readVector(`inclusion/${set}/happy-path.json`);
      expect(b64(tree.inclusionProof(inc.leafIdx, inc.treeSize))).toEqual(inc.proof);
      expect(tree.root(inc.treeSize).toString('base64')).toBe(inc.root);
      const con = readVector(`consistency/${set}/happy-path.json`);
      expect(b64(tree.consistencyProof(con.size1, con.size2))).toEqual(con.proof);
      expect(tree.root(con.size1).toString('base64')).toBe(con.root1);
    }
  });

  it('gives inclusion proofs that verify for every index of every size up to 40', () => {
    const tree = MerkleTree.fromLeaves(leavesOf(40));
    for (let n = 1; n <= 40; n++) {
      const root = tree.root(n);
      for (let i = 0; i < n; i++) {
        const proof = tree.inclusionProof(i, n);
        expect(() => verifyMerkleInclusion(tree.leafHash(i), i, n, proof, root)).not.toThrow();
      }
    }
  });

  it('gives consistency proofs that verify for every 1 <= m <= n <= 40', () => {
    const tree = MerkleTree.fromLeaves(leavesOf(40));
    for (let n = 1; n <= 40; n++) {
      for (let m = 1; m <= n; m++) {
        expect(() => verifyMerkleConsistency(m, n, tree.consistencyProof(m, n), tree.root(m), tree.root(n))).not.toThrow();
      }
    }
  });

  it('rejects any single flipped bit in an inclusion proof, leaf hash or root', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 300 }), fc.nat(), fc.nat(), fc.nat(7), (n, rawIndex, rawTarget, bit) => {
        const tree = MerkleTree.fromLeaves(leavesOf(n));
        const index = rawIndex % n;
        const proof = tree.inclusionProof(index);
        const parts = [tree.leafHash(index), tree.root(), ...proof];
        const target = parts[rawTarget % parts.length];
        target[rawTarget % 32] ^= 1 << bit;
        expect(codeOf(() => verifyMerkleInclusion(parts[0], index, n, parts.slice(2), parts[1]))).toBe(
          CryptoErrorCode.InvalidMerkleProof,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('rejects a consistency proof between two trees that differ in an old leaf (a rewritten log)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 120 }), fc.nat(), fc.nat(), (n, rawM, rawChanged) => {
        const m = 1 + (rawM % (n - 1));
        const honest = MerkleTree.fromLeaves(leavesOf(n));
        const forkedLeaves = leavesOf(n);
        forkedLeaves[rawChanged % m] = Buffer.from('rewritten');
        const forked = MerkleTree.fromLeaves(forkedLeaves);
        expect(codeOf(() => verifyMerkleConsistency(m, n, forked.consistencyProof(m, n), honest.root(m), forked.root(n)))).toBe(
          CryptoErrorCode.InvalidMerkleProof,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('keeps old roots and proofs valid as it grows (append-only)', () => {
    const tree = new MerkleTree();
    const snapshots: Array<{ size: number; root: Buffer }> = [];
    for (let i = 0; i < 1500; i++) {
      tree.appendLeaf(Buffer.from(`entry ${i}`));
      if (i % 97 === 0) snapshots.push({ size: tree.size, root: tree.root() });
    }
    for (const s of snapshots) {
      expect(tree.root(s.size).equals(s.root)).toBe(true);
      verifyMerkleConsistency(s.size, tree.size, tree.consistencyProof(s.size), s.root, tree.root());
      const last = s.size - 1;
      expect(rootFromMerkleInclusionProof(tree.leafHash(last), last, s.size, tree.inclusionProof(last, s.size)).equals(s.root)).toBe(true);
    }
  });

  it('answers bad arguments with typed errors, never a crash', () => {
    const tree = MerkleTree.fromLeaves(leavesOf(5));
    expect(codeOf(() => tree.inclusionProof(5))).toBe(CryptoErrorCode.MalformedInput);
    expect(codeOf(() => tree.inclusionProof(-1))).toBe(CryptoErrorCode.MalformedInput);
    expect(codeOf(() => tree.inclusionProof(0.5))).toBe(CryptoErrorCode.MalformedInput);
    expect(codeOf(() => tree.root(6))).toBe(CryptoErrorCode.MalformedInput);
    expect(codeOf(() => tree.consistencyProof(0))).toBe(CryptoErrorCode.MalformedInput);
    expect(codeOf(() => tree.consistencyProof(4, 3))).toBe(CryptoErrorCode.MalformedInput);
    expect(codeOf(() => new MerkleTree().inclusionProof(0, 0))).toBe(CryptoErrorCode.MalformedInput);
    expect(codeOf(() => tree.appendLeafHash(new Uint8Array(31)))).toBe(CryptoErrorCode.MalformedInput);
    const root = tree.root();
    expect(codeOf(() => verifyMerkleInclusion(tree.leafHash(0), 0, 5, 'x' as never, root))).toBe(CryptoErrorCode.MalformedInput);
    expect(codeOf(() => verifyMerkleInclusion(tree.leafHash(0), 0, 5, [null] as never, root))).toBe(CryptoErrorCode.MalformedInput);
    expect(codeOf(() => verifyMerkleInclusion(tree.leafHash(0), 0, Number.NaN, [], root))).toBe(CryptoErrorCode.MalformedInput);
    expect(codeOf(() => verifyMerkleInclusion(tree.leafHash(0), 2 ** 60, 2 ** 61, [], root))).toBe(CryptoErrorCode.MalformedInput);
    expect(codeOf(() => verifyMerkleConsistency(1, 2, [], root.subarray(1), root))).toBe(CryptoErrorCode.MalformedInput);
  });

  it('verifies a proof in a tree of a size near 2^53 by shape alone (no 32-bit overflow)', () => {
    // A right-edge leaf of a huge tree: the proof has one sibling per level of the ragged edge.
    const size = 2 ** 40 + 1;
    const leaf = hashMerkleLeaf(Buffer.from('last'));
    const sibling = Buffer.alloc(32, 9);
    const root = rootFromMerkleInclusionProof(leaf, size - 1, size, [sibling]);
    expect(() => verifyMerkleInclusion(leaf, size - 1, size, [sibling], root)).not.toThrow();
    expect(codeOf(() => verifyMerkleInclusion(leaf, size - 1, size, [sibling, sibling], root))).toBe(CryptoErrorCode.InvalidMerkleProof);
  });
});
