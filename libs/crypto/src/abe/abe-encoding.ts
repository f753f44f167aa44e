import { CryptoError, CryptoErrorCode } from '../errors';
import {
  PAIRING_G1_BYTES,
  PAIRING_G2_BYTES,
  PAIRING_GT_BYTES,
  type PairingBackend,
} from '../pairing/pairing-backend';
import { frFromBytes, frToBytes } from '../pairing/scalar-field';
import { abeParseAttributeLabel, abeParsePolicy, abePolicyLeaves, abePolicyToString } from './abe-policy';
import {
  ABE_MAX_EPOCH,
  type AbeAttributeKey,
  type AbeAuthorityPublicKey,
  type AbeAuthoritySecretKey,
  type AbeCiphertext,
} from './abe-scheme';

/**
 * Versioned canonical binary encodings for RW15 objects. Every encoding starts with
 * [0xAB, kind, version]; integers are big-endian; strings are u16-length-prefixed UTF-8;
 * group elements use the backends' canonical compressed encodings (checked on decode).
 * A decoder accepts exactly one byte string per value: trailing bytes, short input, a
 * non-canonical policy or an unknown version are CryptoErrors, never crashes.
 */
export const ABE_ENCODING_MAGIC = 0xab;
export const ABE_ENCODING_VERSION = 1;
export const AbeEncodingKind = { Ciphertext: 1, AttributeKey: 2, AuthoritySecretKey: 3, WrappedDataKey: 4 } as const;
export type AbeEncodingKind = (typeof AbeEncodingKind)[keyof typeof AbeEncodingKind];

const ROW_BYTES = 4 + PAIRING_GT_BYTES + 2 * PAIRING_G1_BYTES + PAIRING_G2_BYTES;

/** Appends fields to a growing byte string. */
export class AbeByteWriter {
  private readonly parts: Uint8Array[] = [];
  header(kind: AbeEncodingKind): this {
    return this.bytes(Uint8Array.of(ABE_ENCODING_MAGIC, kind, ABE_ENCODING_VERSION));
  }
  bytes(b: Uint8Array): this {
    this.parts.push(b);
    return this;
  }
  u16(n: number): this {
    return this.bytes(Uint8Array.of(n >>> 8, n & 0xff));
  }
  u32(n: number): this {
    return this.bytes(Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff));
  }
  string(s: string): this {
    const b = new TextEncoder().encode(s);
    if (b.length > 0xffff) throw new CryptoError(CryptoErrorCode.MalformedInput, 'string too long to encode');
    return this.u16(b.length).bytes(b);
  }
  finish(): Uint8Array {
    const total = this.parts.reduce((s, p) => s + p.length, 0);
    const out = new Uint8Array(total);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

/** Reads fields with bounds checks; every failure is a MalformedInput CryptoError. */
export class AbeByteReader {
  private pos = 0;
  constructor(private readonly buf: Uint8Array) {
    if (!(buf instanceof Uint8Array)) throw new CryptoError(CryptoErrorCode.MalformedInput, 'expected bytes');
  }
  header(kind: AbeEncodingKind): this {
    const [magic, k, version] = this.bytes(3);
    if (magic !== ABE_ENCODING_MAGIC || k !== kind) {
      throw new CryptoError(CryptoErrorCode.MalformedInput, `not an ABE encoding of kind ${kind}`);
    }
    if (version !== ABE_ENCODING_VERSION) {
      throw new CryptoError(CryptoErrorCode.UnsupportedVersion, `ABE encoding version ${version} is not supported`);
    }
    return this;
  }
  bytes(n: number): Uint8Array {
    if (this.pos + n > this.buf.length) throw new CryptoError(CryptoErrorCode.MalformedInput, 'input is truncated');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  u16(): number {
    const b = this.bytes(2);
    return (b[0] << 8) | b[1];
  }
  u32(): number {
    const b = this.bytes(4);
    return ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
  }
  string(): string {
    const b = this.bytes(this.u16());
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(b);
    } catch (cause) {
      throw new CryptoError(CryptoErrorCode.MalformedInput, 'string is not UTF-8', { cause });
    }
  }
  remaining(): number {
    return this.buf.length - this.pos;
  }
  end(): void {
    if (this.pos !== this.buf.length) throw new CryptoError(CryptoErrorCode.MalformedInput, 'trailing bytes');
  }
}

/** Canonical bytes of a ciphertext. */
export function abeEncodeCiphertext(backend: PairingBackend, ct: AbeCiphertext): Uint8Array {
  const w = new AbeByteWriter().header(AbeEncodingKind.Ciphertext).string(ct.policy).bytes(backend.gtToBytes(ct.c0)).u16(ct.rows.length);
  for (const r of ct.rows) {
    w.u32(r.epoch).bytes(backend.gtToBytes(r.c1)).bytes(backend.g1ToBytes(r.c2)).bytes(backend.g1ToBytes(r.c3)).bytes(backend.g2ToBytes(r.c4));
  }
  return w.finish();
}

/** Decodes and fully validates a ciphertext (policy canonical, one row per leaf, points in their subgroups). */
export function abeDecodeCiphertext(backend: PairingBackend, bytes: Uint8Array): AbeCiphertext {
  const r = new AbeByteReader(bytes).header(AbeEncodingKind.Ciphertext);
  const policy = r.string();
  const tree = abeParsePolicy(policy);
  if (abePolicyToString(tree) !== policy) throw new CryptoError(CryptoErrorCode.MalformedInput, 'policy is not in canonical form');
  const c0 = backend.gtFromBytes(r.bytes(PAIRING_GT_BYTES));
  const n = r.u16();
  if (n !== abePolicyLeaves(tree).length || r.remaining() !== n * ROW_BYTES) {
    throw new CryptoError(CryptoErrorCode.MalformedInput, 'ciphertext rows do not match its policy');
  }
  const rows = Array.from({ length: n }, () => ({
    epoch: r.u32(),
    c1: backend.gtFromBytes(r.bytes(PAIRING_GT_BYTES)),
    c2: backend.g1FromBytes(r.bytes(PAIRING_G1_BYTES)),
    c3: backend.g1FromBytes(r.bytes(PAIRING_G1_BYTES)),
    c4: backend.g2FromBytes(r.bytes(PAIRING_G2_BYTES)),
  }));
  r.end();
  return { policy, c0, rows };
}

/** Canonical bytes of one attribute key (secret: hand it only to its holder). */
export function abeEncodeAttributeKey(backend: PairingBackend, key: AbeAttributeKey): Uint8Array {
  return new AbeByteWriter()
    .header(AbeEncodingKind.AttributeKey)
    .string(key.gid)
    .string(`${key.name}@${key.authority}`)
    .u32(key.epoch)
    .bytes(backend.g2ToBytes(key.k))
    .bytes(backend.g1ToBytes(key.kPrime))
    .finish();
}

export function abeDecodeAttributeKey(backend: PairingBackend, bytes: Uint8Array): AbeAttributeKey {
  const r = new AbeByteReader(bytes).header(AbeEncodingKind.AttributeKey);
  const gid = r.string();
  if (gid.length === 0) throw new CryptoError(CryptoErrorCode.MalformedInput, 'empty GID');
  const { name, authority } = abeParseAttributeLabel(r.string());
  const epoch = r.u32();
  const k = backend.g2FromBytes(r.bytes(PAIRING_G2_BYTES));
  const kPrime = backend.g1FromBytes(r.bytes(PAIRING_G1_BYTES));
  r.end();
  return { gid, name, authority, epoch, k, kPrime };
}

/** Canonical bytes of an authority's master secret. */
export function abeEncodeAuthoritySecretKey(sk: AbeAuthoritySecretKey): Uint8Array {
  return new AbeByteWriter().header(AbeEncodingKind.AuthoritySecretKey).string(sk.authority).bytes(frToBytes(sk.alpha)).bytes(frToBytes(sk.y)).finish();
}

export function abeDecodeAuthoritySecretKey(bytes: Uint8Array): AbeAuthoritySecretKey {
  const r = new AbeByteReader(bytes).header(AbeEncodingKind.AuthoritySecretKey);
  const authority = r.string();
  abeParseAttributeLabel(`x@${authority}`);
  const alpha = frFromBytes(r.bytes(32));
  const y = frFromBytes(r.bytes(32));
  r.end();
  return { authority, alpha, y };
}

/** The versioned JSON export of an authority public key. */
export interface AbePublicKeyJson {
  readonly version: 1;
  readonly scheme: 'rw15-bls12381';
  readonly authority: string;
  /** e(g1,g2)^α, canonical GT bytes, base64url. */
  readonly eggAlpha: string;
  /** g1^y, compressed G1, base64url. */
  readonly gY: string;
  /** Current epoch per attribute name; absent attributes are at epoch 0. */
  readonly epochs: Record<string, number>;
}

export function abeExportPublicKey(backend: PairingBackend, pk: AbeAuthorityPublicKey): AbePublicKeyJson {
  const epochs: Record<string, number> = {};
  for (const name of [...pk.epochs.keys()].sort()) epochs[name] = pk.epochs.get(name) as number;
  return {
    version: 1,
    scheme: 'rw15-bls12381',
    authority: pk.authority,
    eggAlpha: Buffer.from(backend.gtToBytes(pk.eggAlpha)).toString('base64url'),
    gY: Buffer.from(backend.g1ToBytes(pk.gY)).toString('base64url'),
    epochs,
  };
}

/** Imports a public key JSON (object or string); every field is checked. */
export function abeImportPublicKey(backend: PairingBackend, json: unknown): AbeAuthorityPublicKey {
  let v = json;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch (cause) {
      throw new CryptoError(CryptoErrorCode.MalformedInput, 'public key is not JSON', { cause });
    }
  }
  if (typeof v !== 'object' || v === null) throw new CryptoError(CryptoErrorCode.MalformedInput, 'public key must be an object');
  const o = v as Record<string, unknown>;
  if (o['version'] !== 1) throw new CryptoError(CryptoErrorCode.UnsupportedVersion, `public key version ${String(o['version'])} is not supported`);
  if (o['scheme'] !== 'rw15-bls12381') throw new CryptoError(CryptoErrorCode.MalformedInput, 'not an RW15 BLS12-381 public key');
  const authority = o['authority'];
  if (typeof authority !== 'string') throw new CryptoError(CryptoErrorCode.MalformedInput, 'authority missing');
  abeParseAttributeLabel(`x@${authority}`);
  const b64 = (field: string): Uint8Array => {
    const s = o[field];
    if (typeof s !== 'string' || !/^[A-Za-z0-9_-]*$/.test(s)) throw new CryptoError(CryptoErrorCode.MalformedInput, `${field} is not base64url`);
    return new Uint8Array(Buffer.from(s, 'base64url'));
  };
  const epochsIn = o['epochs'];
  if (typeof epochsIn !== 'object' || epochsIn === null || Array.isArray(epochsIn)) {
    throw new CryptoError(CryptoErrorCode.MalformedInput, 'epochs must be an object');
  }
  const epochs = new Map<string, number>();
  for (const [name, e] of Object.entries(epochsIn)) {
    abeParseAttributeLabel(`${name}@${authority}`);
    if (typeof e !== 'number' || !Number.isInteger(e) || e < 0 || e > ABE_MAX_EPOCH) {
      throw new CryptoError(CryptoErrorCode.MalformedInput, `epoch of ${name} is not a u32`);
    }
    epochs.set(name, e);
  }
  return { authority, eggAlpha: backend.gtFromBytes(b64('eggAlpha')), gY: backend.g1FromBytes(b64('gY')), epochs };
}
