import { CryptoError, CryptoErrorCode } from '../errors';
import type {
  G1FixedBase,
  G1Point,
  G2FixedBase,
  G2Point,
  G2Prepared,
  GtElement,
  GtFixedBase,
  PairingBackend,
  PlainPairingTerm,
  PreparedPairingTerm,
} from '../pairing/pairing-backend';
import { frAdd, frNeg, frRandom, pairingSystemRandom, type PairingRandomSource } from '../pairing/scalar-field';
import {
  abeAttributeLabel,
  abeParsePolicy,
  abePolicyLeaves,
  abePolicyToString,
  type AbePolicyNode,
} from './abe-policy';
import { abeLsssCoefficients, abeLsssMatrix, abeLsssShares } from './lsss-matrix';

/** RFC 9380 domain separation tags: one per hashed input type, never shared with other schemes. */
export const ABE_GID_DST = new TextEncoder().encode('CARECHAIN-ABE-RW15-V1-GID_BLS12381G2_XMD:SHA-256_SSWU_RO_');
export const ABE_ATTRIBUTE_DST = new TextEncoder().encode('CARECHAIN-ABE-RW15-V1-ATTR_BLS12381G2_XMD:SHA-256_SSWU_RO_');

/** Largest epoch number (epochs are encoded as u32). */
export const ABE_MAX_EPOCH = 0xffffffff;

/** An authority's master secret (α_θ, y_θ). Never leaves the authority. */
export interface AbeAuthoritySecretKey {
  readonly authority: string;
  readonly alpha: bigint;
  readonly y: bigint;
}

/**
 * An authority's public key: e(g1,g2)^α ∈ GT, g1^y ∈ G1, and the current epoch of each of its
 * attributes (attributes not listed are at epoch 0). Publishing a new epoch for an attribute
 * is how the authority revokes: keys of older epochs stop matching new ciphertexts.
 */
export interface AbeAuthorityPublicKey {
  readonly authority: string;
  readonly eggAlpha: GtElement;
  readonly gY: G1Point;
  readonly epochs: ReadonlyMap<string, number>;
}

/** The key of one global identity for one attribute at one epoch: K ∈ G2, K' ∈ G1. */
export interface AbeAttributeKey {
  readonly gid: string;
  readonly name: string;
  readonly authority: string;
  readonly epoch: number;
  readonly k: G2Point;
  readonly kPrime: G1Point;
}

/** One LSSS row of a ciphertext (RW15 C1,x ∈ GT, C2,x ∈ G1, C3,x ∈ G1, C4,x ∈ G2) and the attribute's epoch. */
export interface AbeCiphertextRow {
  readonly epoch: number;
  readonly c1: GtElement;
  readonly c2: G1Point;
  readonly c3: G1Point;
  readonly c4: G2Point;
}

/** An RW15 ciphertext of a GT element under a policy (canonical policy string). */
export interface AbeCiphertext {
  readonly policy: string;
  readonly c0: GtElement;
  readonly rows: readonly AbeCiphertextRow[];
}

/** @internal Everything `encapsulate` decides before the per-row group operations. */
export interface AbeEncryptionPlan {
  readonly policy: string;
  readonly key: GtElement;
  readonly c0: GtElement;
  readonly rows: ReadonlyArray<{
    readonly name: string;
    readonly authority: string;
    readonly publicKey: AbeAuthorityPublicKey;
    readonly epoch: number;
    readonly lambda: bigint;
    readonly omega: bigint;
    readonly t: bigint;
  }>;
}

/** @internal Decryption up to its pairing product: E^s = c1 · Π e(prepared) · Π e(plain). */
export interface AbeDecryptionPlan {
  readonly c1: GtElement;
  readonly prepared: readonly PreparedPairingTerm[];
  readonly plain: readonly PlainPairingTerm[];
}

/** Resolves an authority name to its current public key (undefined if unknown). */
export type AbePublicKeyDirectory = (authority: string) => AbeAuthorityPublicKey | undefined;

interface AttributeHash {
  readonly label: string;
  readonly point: G2Point;
  uses: number;
}

interface PreparedKey {
  readonly key: AbeAttributeKey;
  readonly kLines: G2Prepared;
}

/**
 * The attribute keys one global identity holds, with H(GID) and every K precomputed as Miller
 * lines. Construction refuses keys of another GID, so keys of two users cannot be pooled
 * through the API (and the scheme makes pooled keys useless anyway: see the collusion test).
 */
export class AbeUserKeySet {
  private readonly byLabel = new Map<string, Map<number, PreparedKey>>();

  /** @internal use AbeScheme.userKeySet. */
  constructor(
    readonly gid: string,
    readonly gidLines: G2Prepared,
    keys: Iterable<PreparedKey>,
  ) {
    for (const k of keys) {
      const label = `${k.key.name}@${k.key.authority}`;
      let epochs = this.byLabel.get(label);
      if (epochs === undefined) {
        epochs = new Map();
        this.byLabel.set(label, epochs);
      }
      epochs.set(k.key.epoch, k);
    }
  }

  /** The prepared key for `name@authority` at `epoch`, if held. */
  get(label: string, epoch: number): PreparedKey | undefined {
    return this.byLabel.get(label)?.get(epoch);
  }

  /** Whether a key for `name@authority` is held at any epoch. */
  holds(label: string): boolean {
    return this.byLabel.has(label);
  }

  /** Labels of every attribute held. */
  labels(): string[] {
    return [...this.byLabel.keys()];
  }
}

/** Bounded insertion-ordered cache. */
class BoundedCache<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly capacity: number) {}
  get(key: K, make: () => V): V {
    const hit = this.map.get(key);
    if (hit !== undefined) return hit;
    const v = make();
    if (this.map.size >= this.capacity) this.map.delete(this.map.keys().next().value as K);
    this.map.set(key, v);
    return v;
  }
}

/**
 * Rouselakis–Waters 2015 multi-authority CP-ABE ("Efficient Statically-Secure Large-Universe
 * Multi-Authority Attribute-Based Encryption", ePrint 2015/016, section 4) on BLS12-381, over
 * any PairingBackend. Equations and group placement: docs/crypto/abe.md.
 *
 * Guarantees: a ciphertext decrypts exactly when the holder's keys for one GID, at the epochs
 * recorded in the ciphertext, satisfy the policy; otherwise a CryptoError (PolicyNotSatisfied
 * or StaleEpoch). Attribute and GID hashes are RFC 9380 hash-to-curve with their own DSTs.
 */
export class AbeScheme {
  private readonly egg: GtElement;
  private readonly eggTable: GtFixedBase;
  private readonly g1Table: G1FixedBase;
  private readonly attributeCache = new BoundedCache<string, AttributeHash>(4096);
  /** Tables of the attribute hashes used more than once (a WASM G2 table is ~0.4 MB, native ~0.2 MB). */
  private readonly attributeTables = new BoundedCache<string, G2FixedBase>(256);
  private readonly gidCache = new BoundedCache<string, G2Point>(1024);
  private readonly pkTables = new WeakMap<AbeAuthorityPublicKey, { eggAlpha: GtFixedBase; gY: G1FixedBase }>();
  /** g2^α per authority secret key object: as secret as α itself, and held exactly as long. */
  private readonly g2Alphas = new WeakMap<AbeAuthoritySecretKey, G2Point>();

  constructor(
    readonly backend: PairingBackend,
    private readonly random: PairingRandomSource = pairingSystemRandom,
  ) {
    this.egg = backend.pairing(backend.g1Generator(), backend.g2Generator());
    this.eggTable = backend.gtFixedBase(this.egg);
    this.g1Table = backend.g1FixedBase(backend.g1Generator());
  }

  /** e(g1, g2), the GT generator every RW15 GT element is a power of. */
  get gtGenerator(): GtElement {
    return this.egg;
  }

  /** AuthSetup: fresh α, y; PK = (e(g1,g2)^α, g1^y), every attribute at epoch 0. */
  setupAuthority(authority: string): { secretKey: AbeAuthoritySecretKey; publicKey: AbeAuthorityPublicKey } {
    abeAttributeLabel('x', authority);
    const alpha = frRandom(this.random);
    const y = frRandom(this.random);
    const b = this.backend;
    return {
      secretKey: { authority, alpha, y },
      publicKey: {
        authority,
        // e(g1^α, g2) = E^α through the constant-time ladder and a pairing, never a
        // variable-time GT exponentiation by the master secret.
        eggAlpha: b.pairing(b.g1Mul(b.g1Generator(), alpha), b.g2Generator()),
        gY: b.g1Mul(b.g1Generator(), y),
        epochs: new Map(),
      },
    };
  }

  /** The same public key with `attribute` moved to `epoch` (epochs only move forward). */
  advanceEpoch(publicKey: AbeAuthorityPublicKey, attribute: string, epoch: number): AbeAuthorityPublicKey {
    abeAttributeLabel(attribute, publicKey.authority);
    checkEpoch(epoch);
    const current = publicKey.epochs.get(attribute) ?? 0;
    if (epoch <= current) {
      throw new CryptoError(CryptoErrorCode.StaleEpoch, `epoch ${epoch} of ${attribute} is not after ${current}`);
    }
    const epochs = new Map(publicKey.epochs);
    epochs.set(attribute, epoch);
    return { ...publicKey, epochs };
  }

  /** KeyGen for (GID, attribute, epoch): K = g2^α · H(GID)^y · F(u‖epoch)^t, K' = g1^t. */
  keygen(secretKey: AbeAuthoritySecretKey, gid: string, attribute: string, epoch: number): AbeAttributeKey {
    return this.keygenBatch(secretKey, gid, [{ name: attribute, epoch }])[0];
  }

  /**
   * KeyGen for several attributes of one authority and one GID, as an issuer hands out a
   * user's attributes: g2^α is computed once per secret-key object (and kept with it),
   * H(GID)^y once per call, then each attribute costs F(u‖epoch)^t and g1^t. Same keys (and the same random draws, one t per attribute in
   * order) as calling `keygen` for each attribute.
   */
  keygenBatch(secretKey: AbeAuthoritySecretKey, gid: string, attributes: ReadonlyArray<{ name: string; epoch: number }>): AbeAttributeKey[] {
    for (const { name, epoch } of attributes) {
      abeAttributeLabel(name, secretKey.authority);
      checkEpoch(epoch);
    }
    checkGid(gid);
    if (attributes.length === 0) return [];
    const b = this.backend;
    // Secret-dependent: every multiplication here is the backend's constant-time g*Mul.
    const base = b.g2Add(this.g2Alpha(secretKey), b.g2Mul(this.hashGid(gid), secretKey.y));
    return attributes.map(({ name, epoch }) => {
      const t = frRandom(this.random);
      const k = b.g2Add(base, b.g2Mul(this.hashAttribute(name, secretKey.authority, epoch), t));
      return { gid, name, authority: secretKey.authority, epoch, k, kPrime: b.g1Mul(b.g1Generator(), t) };
    });
  }

  /** Groups keys of one GID and precomputes their Miller lines; refuses keys of another GID. */
  userKeySet(gid: string, keys: readonly AbeAttributeKey[]): AbeUserKeySet {
    checkGid(gid);
    for (const k of keys) {
      if (k.gid !== gid) {
        throw new CryptoError(CryptoErrorCode.MalformedInput, 'attribute keys of different global identities cannot be combined');
      }
    }
    return this.unsafeKeySet(gid, keys);
  }

  /** @internal A key set without the GID check; exists so tests can show pooled keys fail cryptographically. */
  unsafeKeySet(gid: string, keys: readonly AbeAttributeKey[]): AbeUserKeySet {
    const b = this.backend;
    return new AbeUserKeySet(
      gid,
      b.g2Prepare(this.hashGid(gid)),
      keys.map((key) => ({ key, kLines: b.g2Prepare(key.k) })),
    );
  }

  /**
   * Encrypt: a fresh random M = e(g1,g2)^m ∈ GT under `policy`, at each attribute's current
   * epoch in `directory`. Returns M (the KEM key) and the ciphertext.
   */
  encapsulate(policy: string, directory: AbePublicKeyDirectory): { key: GtElement; ciphertext: AbeCiphertext } {
    const plan = this.planEncryption(policy, directory);
    const rows = plan.rows.map((_, x) => this.encryptRow(plan, x));
    return { key: plan.key, ciphertext: { policy: plan.policy, c0: plan.c0, rows } };
  }

  /**
   * @internal The whole of encryption except the per-row group operations: policy, LSSS
   * shares, every random value (drawn in the same order as `encapsulate` always did), C0 and M.
   * Rows can then be computed in any order or on another thread with identical results.
   */
  planEncryption(policy: string, directory: AbePublicKeyDirectory): AbeEncryptionPlan {
    const tree = abeParsePolicy(policy);
    const leaves = abePolicyLeaves(tree);
    const pks = leaves.map(({ authority }) => {
      const pk = directory(authority);
      if (pk === undefined || pk.authority !== authority) {
        throw new CryptoError(CryptoErrorCode.InvalidPolicy, `unknown authority ${authority}`);
      }
      return pk;
    });
    const b = this.backend;
    const matrix = abeLsssMatrix(tree);
    const rand = (): bigint => frRandom(this.random);
    const m = rand();
    const v = Array.from({ length: matrix.columns }, rand);
    const w = Array.from({ length: matrix.columns }, (_, i) => (i === 0 ? 0n : rand()));
    const lambda = abeLsssShares(matrix, v);
    const omega = abeLsssShares(matrix, w);
    const rows = leaves.map(({ name, authority }, x) => ({
      name,
      authority,
      publicKey: pks[x],
      epoch: pks[x].epochs.get(name) ?? 0,
      lambda: lambda[x],
      omega: omega[x],
      t: rand(),
    }));
    return {
      policy: abePolicyToString(tree),
      key: b.gtFixedPowProduct([this.eggTable], [m]),
      c0: b.gtFixedPowProduct([this.eggTable], [frAdd(m, v[0])]),
      rows,
    };
  }

  /** @internal Row x of a planned encryption. */
  encryptRow(plan: AbeEncryptionPlan, x: number): AbeCiphertextRow {
    const b = this.backend;
    const row = plan.rows[x];
    const tables = this.publicKeyTables(row.publicKey);
    return {
      epoch: row.epoch,
      c1: b.gtFixedPowProduct([this.eggTable, tables.eggAlpha], [row.lambda, row.t]),
      c2: b.g1FixedMul(this.g1Table, frNeg(row.t)),
      c3: b.g1FixedMulSum([tables.gY, this.g1Table], [row.t, row.omega]),
      c4: this.attributePower(row.name, row.authority, row.epoch, row.t),
    };
  }

  /**
   * Decrypt: picks a minimal set I of rows whose attribute keys (same GID, same epoch) satisfy
   * the policy, with coefficients c_x, and computes
   *   e(g1,g2)^s = Π_x C1_x^{c_x} · Π_x e(c_x·C2_x, K_x) · e(Σ_x c_x·C3_x, H(GID)) · Π_x e(c_x·K'_x, C4_x)
   * as one pairing product (2|I|+1 Miller loops, one final exponentiation), then M = C0 / e(g1,g2)^s.
   */
  decapsulate(ciphertext: AbeCiphertext, keys: AbeUserKeySet): GtElement {
    const plan = this.planDecryption(ciphertext, keys);
    const b = this.backend;
    const eggS = b.gtMul(plan.c1, b.pairingProduct(plan.prepared, plan.plain));
    return b.gtMul(ciphertext.c0, b.gtInv(eggS));
  }

  /**
   * @internal Decryption up to the pairing product: the chosen rows with their coefficients
   * applied, Π C1_x^{c_x}, the prepared pairs (c_x·C2_x, K_x) and (Σ c_x·C3_x, H(GID)), and
   * the plain pairs (c_x·K'_x, C4_x). E^s = c1 · Π pairs.
   */
  planDecryption(ciphertext: AbeCiphertext, keys: AbeUserKeySet): AbeDecryptionPlan {
    const tree = abeParsePolicy(ciphertext.policy);
    const leaves = abePolicyLeaves(tree);
    if (leaves.length !== ciphertext.rows.length) {
      throw new CryptoError(CryptoErrorCode.MalformedInput, 'ciphertext rows do not match its policy');
    }
    const labels = leaves.map(({ name, authority }) => `${name}@${authority}`);
    const held = labels.map((label, x) => keys.get(label, ciphertext.rows[x].epoch));
    const coefficients = abeLsssCoefficients(tree, (x) => held[x] !== undefined);
    if (coefficients === undefined) throw this.whyUnsatisfied(tree, labels.map((l) => keys.holds(l)));
    const b = this.backend;
    const prepared: PreparedPairingTerm[] = [];
    const plain: PlainPairingTerm[] = [];
    const c3s: G1Point[] = [];
    const c3Scalars: bigint[] = [];
    let c1 = b.gtOne();
    let allOnes = true;
    for (const [x, c] of coefficients) {
      const row = ciphertext.rows[x];
      const key = held[x] as PreparedKey;
      if (c === 1n) {
        c1 = b.gtMul(c1, row.c1);
        prepared.push({ g1: row.c2, g2: key.kLines });
        plain.push({ g1: key.key.kPrime, g2: row.c4 });
      } else {
        allOnes = false;
        c1 = b.gtMul(c1, b.gtPow(row.c1, c));
        prepared.push({ g1: b.g1Mul(row.c2, c), g2: key.kLines });
        plain.push({ g1: b.g1Mul(key.key.kPrime, c), g2: row.c4 });
      }
      c3s.push(row.c3);
      c3Scalars.push(c);
    }
    const c3 = allOnes ? c3s.reduce((acc, p) => b.g1Add(acc, p)) : b.g1Msm(c3s, c3Scalars);
    prepared.push({ g1: c3, g2: keys.gidLines });
    return { c1, prepared, plain };
  }

  /** F(name@authority#epoch) ∈ G2, cached. */
  hashAttribute(name: string, authority: string, epoch: number): G2Point {
    return this.attributeHash(name, authority, epoch).point;
  }

  /**
   * F(u‖epoch)^t for one-time encryption randomness t. The first use of an attribute hash
   * multiplies directly (MSM path); from the second use on, a fixed-base table is built and
   * kept (bounded), since building one costs about as much as 15–20 multiplications.
   */
  private attributePower(name: string, authority: string, epoch: number, t: bigint): G2Point {
    const h = this.attributeHash(name, authority, epoch);
    const b = this.backend;
    h.uses++;
    if (h.uses < 2) return b.g2Msm([h.point], [t]);
    return b.g2FixedMul(this.attributeTables.get(h.label, () => b.g2FixedBase(h.point)), t);
  }

  private attributeHash(name: string, authority: string, epoch: number): AttributeHash {
    const label = `${abeAttributeLabel(name, authority)}#${epoch}`;
    return this.attributeCache.get(label, () => ({
      label,
      point: this.backend.g2HashToCurve(new TextEncoder().encode(label), ABE_ATTRIBUTE_DST),
      uses: 0,
    }));
  }

  /** H(GID) ∈ G2, cached. */
  hashGid(gid: string): G2Point {
    return this.gidCache.get(gid, () => this.backend.g2HashToCurve(new TextEncoder().encode(gid), ABE_GID_DST));
  }

  private g2Alpha(secretKey: AbeAuthoritySecretKey): G2Point {
    let g = this.g2Alphas.get(secretKey);
    if (g === undefined) {
      g = this.backend.g2Mul(this.backend.g2Generator(), secretKey.alpha);
      this.g2Alphas.set(secretKey, g);
    }
    return g;
  }

  private publicKeyTables(pk: AbeAuthorityPublicKey): { eggAlpha: GtFixedBase; gY: G1FixedBase } {
    let t = this.pkTables.get(pk);
    if (t === undefined) {
      t = { eggAlpha: this.backend.gtFixedBase(pk.eggAlpha), gY: this.backend.g1FixedBase(pk.gY) };
      this.pkTables.set(pk, t);
    }
    return t;
  }

  private whyUnsatisfied(tree: AbePolicyNode, heldAtAnyEpoch: readonly boolean[]): CryptoError {
    if (abeLsssCoefficients(tree, (x) => heldAtAnyEpoch[x]) !== undefined) {
      return new CryptoError(CryptoErrorCode.StaleEpoch, 'the attribute keys held are from other epochs than the ciphertext');
    }
    return new CryptoError(CryptoErrorCode.PolicyNotSatisfied, 'the attribute keys held do not satisfy the policy');
  }
}

function checkEpoch(epoch: number): void {
  if (!Number.isInteger(epoch) || epoch < 0 || epoch > ABE_MAX_EPOCH) {
    throw new CryptoError(CryptoErrorCode.MalformedInput, 'epoch must be an integer in [0, 2^32)');
  }
}

function checkGid(gid: string): void {
  if (typeof gid !== 'string' || gid.length === 0 || gid.length > 1024) {
    throw new CryptoError(CryptoErrorCode.MalformedInput, 'GID must be a non-empty string of at most 1024 characters');
  }
}
