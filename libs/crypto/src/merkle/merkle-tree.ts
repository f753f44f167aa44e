import { CryptoError, CryptoErrorCode } from '../errors';
import { MERKLE_EMPTY_ROOT, MERKLE_HASH_SIZE, hashMerkleChildren, hashMerkleLeaf } from './merkle-hash';

const H = MERKLE_HASH_SIZE;
const INITIAL_CAPACITY = 1024;

/** Largest power of two strictly smaller than n (n >= 2): the RFC 6962 split point k. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function assertSize(name: string, value: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new CryptoError(CryptoErrorCode.MalformedInput, `${name} must be an integer in [0, ${max}], got ${String(value)}`);
  }
}

/**
 * An append-only RFC 6962 / RFC 9162 Merkle tree over SHA-256.
 *
 * Guarantees: `root(n)` is MTH(D[0:n]) of RFC 6962 §2.1 for every n up to `size`;
 * `inclusionProof` and `consistencyProof` are PATH and PROOF of §2.1.1 and §2.1.2, so they
 * verify with RFC 9162 §2.1.3.2 / §2.1.4.2 (see `verifyMerkleInclusion`,
 * `verifyMerkleConsistency`). Proofs for any earlier tree size stay available because the
 * tree is append-only and a perfect subtree's hash never changes.
 *
 * Storage: level i holds the hashes of the floor(size / 2^i) perfect, aligned subtrees of
 * 2^i leaves, packed 32 bytes apiece in one growable Buffer — no per-node objects, about
 * 64 bytes per leaf in total. Hashes of the ragged right edge are computed on demand and
 * cached for the current size.
 */
export class MerkleTree {
  private readonly levels: Buffer[] = [Buffer.allocUnsafe(INITIAL_CAPACITY * H)];
  private leafCount = 0;
  /** Hashes of ranges [lo, size) that are not perfect subtrees, keyed by lo; valid for the current size only. */
  private raggedCache = new Map<number, Buffer>();

  /** Builds a tree whose leaves are the given entries, hashed with the 0x00 leaf prefix. */
  static fromLeaves(leaves: Iterable<Uint8Array>): MerkleTree {
    const tree = new MerkleTree();
    for (const leaf of leaves) tree.appendLeaf(leaf);
    return tree;
  }

  /** Number of leaves. */
  get size(): number {
    return this.leafCount;
  }

  /** Appends a leaf entry (hashed as SHA-256(0x00 || leaf)); returns its index. */
  appendLeaf(leaf: Uint8Array): number {
    return this.appendHash(hashMerkleLeaf(leaf));
  }

  /** Appends an already computed 32-byte leaf hash; returns its index. */
  appendLeafHash(leafHash: Uint8Array): number {
    if (!(leafHash instanceof Uint8Array) || leafHash.length !== H) {
      throw new CryptoError(CryptoErrorCode.MalformedInput, `a leaf hash must be ${H} bytes`);
    }
    return this.appendHash(leafHash);
  }

  /** The stored leaf hash at `index`. */
  leafHash(index: number): Buffer {
    assertSize('index', index, this.leafCount - 1);
    return Buffer.from(this.node(0, index));
  }

  /** MTH of the first `treeSize` leaves (default: all); the empty-tree root for size 0. */
  root(treeSize: number = this.leafCount): Buffer {
    assertSize('treeSize', treeSize, this.leafCount);
    if (treeSize === 0) return Buffer.from(MERKLE_EMPTY_ROOT);
    return Buffer.from(this.rangeHash(0, treeSize));
  }

  /** PATH(index, D[0:treeSize]) of RFC 6962 §2.1.1, leaf-side sibling first. */
  inclusionProof(index: number, treeSize: number = this.leafCount): Buffer[] {
    assertSize('treeSize', treeSize, this.leafCount);
    if (treeSize === 0) throw new CryptoError(CryptoErrorCode.MalformedInput, 'no inclusion proof exists in an empty tree');
    assertSize('index', index, treeSize - 1);
    const proof: Buffer[] = [];
    let lo = 0;
    let hi = treeSize;
    // Walk from the root down, then reverse: the RFC lists the deepest sibling first.
    while (hi - lo > 1) {
      const k = splitPoint(hi - lo);
      if (index < lo + k) {
        proof.push(this.rangeHash(lo + k, hi));
        hi = lo + k;
      } else {
        proof.push(this.rangeHash(lo, lo + k));
        lo += k;
      }
    }
    return proof.reverse().map((h) => Buffer.from(h));
  }

  /**
   * PROOF(size1, D[0:size2]) of RFC 6962 §2.1.2. Following the shared vectors' convention, a
   * proof from the empty tree is refused (it proves nothing), and size1 = size2 gives [].
   */
  consistencyProof(size1: number, size2: number = this.leafCount): Buffer[] {
    assertSize('size2', size2, this.leafCount);
    assertSize('size1', size1, size2);
    if (size1 === 0) throw new CryptoError(CryptoErrorCode.MalformedInput, 'a consistency proof from the empty tree proves nothing');
    const proof: Buffer[] = [];
    let lo = 0;
    let hi = size2;
    let m = size1; // relative to lo
    let completeSubtree = true;
    while (m !== hi - lo) {
      const k = splitPoint(hi - lo);
      if (m <= k) {
        proof.push(this.rangeHash(lo + k, hi));
        hi = lo + k;
      } else {
        proof.push(this.rangeHash(lo, lo + k));
        m -= k;
        lo += k;
        completeSubtree = false;
      }
    }
    // SUBPROOF(m, D[m], false) contributes MTH(D[m]); with b = true the old root is implied.
    if (!completeSubtree) proof.push(this.rangeHash(lo, hi));
    return proof.reverse().map((h) => Buffer.from(h));
  }

  private appendHash(leafHash: Uint8Array): number {
    const index = this.leafCount;
    this.write(0, index, leafHash);
    // Each completed pair of siblings completes its parent: amortised one hash per append.
    let level = 0;
    let j = index;
    while (j % 2 === 1) {
      const parent = hashMerkleChildren(this.node(level, j - 1), this.node(level, j));
      level += 1;
      j = (j - 1) / 2;
      this.write(level, j, parent);
    }
    this.leafCount = index + 1;
    if (this.raggedCache.size > 0) this.raggedCache = new Map();
    return index;
  }

  private write(level: number, index: number, value: Uint8Array): void {
    let buf = this.levels[level];
    if (buf === undefined) {
      buf = Buffer.allocUnsafe(INITIAL_CAPACITY * H);
      this.levels[level] = buf;
    }
    if ((index + 1) * H > buf.length) {
      const grown = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(grown, 0, 0, index * H);
      this.levels[level] = grown;
      buf = grown;
    }
    buf.set(value, index * H);
  }

  /** A view (not a copy) of the stored hash of the perfect subtree `index` at `level`. */
  private node(level: number, index: number): Buffer {
    return this.levels[level].subarray(index * H, index * H + H);
  }

  /** MTH(D[lo:hi]) for 0 <= lo < hi <= size, by RFC 6962's recursive split. */
  private rangeHash(lo: number, hi: number): Buffer {
    const n = hi - lo;
    if (n === 1) return this.node(0, lo);
    // A perfect, aligned subtree is stored: O(1).
    if ((n & (n - 1)) === 0 && lo % n === 0) return this.node(Math.log2(n), lo / n);
    const cacheable = hi === this.leafCount;
    if (cacheable) {
      const cached = this.raggedCache.get(lo);
      if (cached !== undefined) return cached;
    }
    const k = splitPoint(n);
    const result = hashMerkleChildren(this.rangeHash(lo, lo + k), this.rangeHash(lo + k, hi));
    if (cacheable) this.raggedCache.set(lo, result);
    return result;
  }
}
