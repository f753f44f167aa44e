import fc from 'fast-check';
import { CryptoError, CryptoErrorCode } from '../errors';
import type { PairingBackend } from '../pairing/pairing-backend';
import { loadBothPairingBackends } from '../pairing/pairing-test-backends';
import { pairingSeededRandom } from '../pairing/seeded-random-source';
import { AbeDataKeyUnwrapper, AbeDataKeyWrapper } from './abe-data-key-wrapper';
import {
  abeDecodeAttributeKey,
  abeDecodeAuthoritySecretKey,
  abeDecodeCiphertext,
  abeEncodeAttributeKey,
  abeEncodeAuthoritySecretKey,
  abeEncodeCiphertext,
  abeExportPublicKey,
  abeImportPublicKey,
} from './abe-encoding';
import { abeEvaluatePolicy, abePolicyToString } from './abe-policy';
import { ABE_TEST_UNIVERSE, arbitraryAbePolicy } from './abe-policy.test-arbitrary';
import { AbeScheme, type AbeAttributeKey, type AbeAuthorityPublicKey, type AbeAuthoritySecretKey } from './abe-scheme';
import { abeDecapsulateParallel, abeEncapsulateParallel } from './abe-wasm-parallel';
import { AbeWasmWorkerPool } from './abe-wasm-worker-pool';

jest.setTimeout(120_000);

let backends: { native: PairingBackend; wasm: PairingBackend };
beforeAll(async () => {
  backends = await loadBothPairingBackends();
});

async function codeOf(f: () => unknown): Promise<string | undefined> {
  try {
    await f();
  } catch (e) {
    if (e instanceof CryptoError) return e.code;
    throw e;
  }
  return undefined;
}

interface World {
  scheme: AbeScheme;
  sk: Record<string, AbeAuthoritySecretKey>;
  pk: Record<string, AbeAuthorityPublicKey>;
  directory: (a: string) => AbeAuthorityPublicKey | undefined;
  keysFor: (gid: string, labels: readonly string[], epoch?: number) => AbeAttributeKey[];
}

function world(backend: PairingBackend, seed = 'world'): World {
  const scheme = new AbeScheme(backend, pairingSeededRandom(seed));
  const h = scheme.setupAuthority('h');
  const g = scheme.setupAuthority('g');
  const sk = { h: h.secretKey, g: g.secretKey };
  const pk: Record<string, AbeAuthorityPublicKey> = { h: h.publicKey, g: g.publicKey };
  return {
    scheme,
    sk,
    pk,
    directory: (a) => pk[a],
    keysFor: (gid, labels, epoch = 0) =>
      labels.map((l) => {
        const [name, authority] = l.split('@');
        return scheme.keygen(sk[authority as 'h' | 'g'], gid, name, epoch);
      }),
  };
}

describe.each(['native', 'wasm'] as const)('RW15 MA-CP-ABE on the %s backend', (name) => {
  const b = (): PairingBackend => backends[name];

  it('decrypts exactly when the attribute set satisfies the policy (random policies and sets)', () => {
    const w = world(b());
    const keyCache = new Map<string, AbeAttributeKey>();
    const keyOf = (l: string): AbeAttributeKey => {
      let k = keyCache.get(l);
      if (k === undefined) {
        k = w.keysFor('alice', [l])[0];
        keyCache.set(l, k);
      }
      return k;
    };
    fc.assert(
      fc.property(arbitraryAbePolicy, fc.subarray(ABE_TEST_UNIVERSE), (policy, held) => {
        const { key, ciphertext } = w.scheme.encapsulate(abePolicyToString(policy), w.directory);
        const keys = w.scheme.userKeySet('alice', held.map(keyOf));
        if (abeEvaluatePolicy(policy, new Set(held))) {
          expect(b().gtEquals(w.scheme.decapsulate(ciphertext, keys), key)).toBe(true);
        } else {
          expect(() => w.scheme.decapsulate(ciphertext, keys)).toThrow(
            expect.objectContaining({ code: CryptoErrorCode.PolicyNotSatisfied }) as Error,
          );
        }
      }),
      { numRuns: name === 'native' ? 40 : 15 },
    );
  });

  it('rejects an unsatisfied policy', async () => {
    const w = world(b());
    const { ciphertext } = w.scheme.encapsulate('a@h and d@g', w.directory);
    const keys = w.scheme.userKeySet('alice', w.keysFor('alice', ['a@h', 'b@h']));
    expect(await codeOf(() => w.scheme.decapsulate(ciphertext, keys))).toBe(CryptoErrorCode.PolicyNotSatisfied);
  });

  it('resists collusion: two GIDs that together but not alone satisfy the policy learn nothing', async () => {
    const w = world(b());
    const { key, ciphertext } = w.scheme.encapsulate('a@h and d@g', w.directory);
    const alice = w.keysFor('alice', ['a@h']);
    const bob = w.keysFor('bob', ['d@g']);
    expect(await codeOf(() => w.scheme.userKeySet('alice', [...alice, ...bob]))).toBe(CryptoErrorCode.MalformedInput);
    // Bypassing the API check: the pooled keys reconstruct garbage under either GID.
    for (const gid of ['alice', 'bob']) {
      const pooled = w.scheme.unsafeKeySet(gid, [...alice, ...bob]);
      expect(b().gtEquals(w.scheme.decapsulate(ciphertext, pooled), key)).toBe(false);
    }
    // Each alone holds one of the two attributes.
    expect(await codeOf(() => w.scheme.decapsulate(ciphertext, w.scheme.userKeySet('alice', alice)))).toBe(CryptoErrorCode.PolicyNotSatisfied);
    // And the same two attributes under one GID do decrypt.
    const carol = w.scheme.userKeySet('carol', w.keysFor('carol', ['a@h', 'd@g']));
    expect(b().gtEquals(w.scheme.decapsulate(ciphertext, carol), key)).toBe(true);
  });

  it('rejects a key from a stale epoch, and a re-wrapped C2 under the new epoch only opens with new keys', async () => {
    const w = world(b());
    const oldKeys = w.scheme.userKeySet('alice', w.keysFor('alice', ['a@h', 'd@g'], 0));
    w.pk['h'] = w.scheme.advanceEpoch(w.pk['h'], 'a', 1);
    const wrapper = new AbeDataKeyWrapper(w.scheme, w.directory);
    const dataKey = new Uint8Array(32).map((_, i) => i);
    const c2 = await wrapper.wrap(dataKey, 'a@h and d@g');
    expect(await codeOf(() => new AbeDataKeyUnwrapper(w.scheme, oldKeys).unwrap(c2))).toBe(CryptoErrorCode.StaleEpoch);
    // A stale key cannot be relabelled: its K was made for F(a@h#0).
    const relabelled = w.keysFor('alice', ['a@h', 'd@g'], 0).map((k) => ({ ...k, epoch: k.name === 'a' ? 1 : k.epoch }));
    const forged = await new AbeDataKeyUnwrapper(w.scheme, w.scheme.userKeySet('alice', relabelled)).unwrap(c2).catch((e: unknown) => e);
    expect(forged).toBeInstanceOf(CryptoError);
    expect((forged as CryptoError).code).toBe(CryptoErrorCode.DecryptionFailed);
    const newKeys = w.scheme.userKeySet('alice', [w.scheme.keygen(w.sk.h, 'alice', 'a', 1), ...w.keysFor('alice', ['d@g'], 0)]);
    expect(await new AbeDataKeyUnwrapper(w.scheme, newKeys).unwrap(c2)).toEqual(dataKey);
    // A holder of both epochs' keys opens C2s wrapped before and after the rotation.
    const before = await new AbeDataKeyWrapper(w.scheme, (a) => (a === 'h' ? { ...w.pk['h'], epochs: new Map() } : w.pk[a])).wrap(dataKey, 'a@h and d@g');
    const both = w.scheme.userKeySet('alice', [...w.keysFor('alice', ['a@h', 'd@g'], 0), w.scheme.keygen(w.sk.h, 'alice', 'a', 1)]);
    for (const c of [before, c2]) expect(await new AbeDataKeyUnwrapper(w.scheme, both).unwrap(c)).toEqual(dataKey);
    expect(await codeOf(() => w.scheme.advanceEpoch(w.pk['h'], 'a', 1))).toBe(CryptoErrorCode.StaleEpoch);
  });

  it('decrypts threshold policies (non-unit coefficients)', () => {
    const w = world(b());
    const { key, ciphertext } = w.scheme.encapsulate('2 of (a@h, b@h, d@g) and e@g', w.directory);
    const keys = w.scheme.userKeySet('alice', w.keysFor('alice', ['b@h', 'd@g', 'e@g']));
    expect(b().gtEquals(w.scheme.decapsulate(ciphertext, keys), key)).toBe(true);
  });

  it('wraps and unwraps a data key through the envelope port, and detects tampering', async () => {
    const w = world(b());
    const dataKey = new Uint8Array(32).fill(7);
    const c2 = await new AbeDataKeyWrapper(w.scheme, w.directory).wrap(dataKey, 'a@h or d@g');
    const unwrapper = new AbeDataKeyUnwrapper(w.scheme, w.scheme.userKeySet('alice', w.keysFor('alice', ['d@g'])));
    expect(await unwrapper.unwrap(c2)).toEqual(dataKey);
    const tampered = Uint8Array.from(c2);
    tampered[tampered.length - 1] ^= 1;
    expect(await codeOf(() => unwrapper.unwrap(tampered))).toBe(CryptoErrorCode.DecryptionFailed);
    expect(await codeOf(() => new AbeDataKeyWrapper(w.scheme, w.directory).wrap(new Uint8Array(31), 'a@h'))).toBe(CryptoErrorCode.MalformedInput);
    expect(await codeOf(() => new AbeDataKeyWrapper(w.scheme, w.directory).wrap(dataKey, 'a@nowhere'))).toBe(CryptoErrorCode.InvalidPolicy);
  });

  it('round-trips every encoding and rejects malformed bytes with typed errors', async () => {
    const w = world(b());
    const be = b();
    const { ciphertext } = w.scheme.encapsulate('(a@h or b@h) and d@g', w.directory);
    const bytes = abeEncodeCiphertext(be, ciphertext);
    expect(abeEncodeCiphertext(be, abeDecodeCiphertext(be, bytes))).toEqual(bytes);
    const key = w.keysFor('alice', ['a@h'])[0];
    expect(abeEncodeAttributeKey(be, abeDecodeAttributeKey(be, abeEncodeAttributeKey(be, key)))).toEqual(abeEncodeAttributeKey(be, key));
    expect(abeDecodeAuthoritySecretKey(abeEncodeAuthoritySecretKey(w.sk.h))).toEqual(w.sk.h);
    const pkJson = JSON.stringify(abeExportPublicKey(be, w.scheme.advanceEpoch(w.pk['h'], 'b', 4)));
    const pk = abeImportPublicKey(be, pkJson);
    expect(pk.epochs.get('b')).toBe(4);
    expect(be.gtEquals(pk.eggAlpha, w.pk['h'].eggAlpha)).toBe(true);

    expect(await codeOf(() => abeDecodeCiphertext(be, bytes.subarray(0, bytes.length - 1)))).toBe(CryptoErrorCode.MalformedInput);
    expect(await codeOf(() => abeDecodeCiphertext(be, Uint8Array.from([...bytes, 0])))).toBe(CryptoErrorCode.MalformedInput);
    expect(await codeOf(() => abeDecodeCiphertext(be, Uint8Array.from([0xab, 1, 9, ...bytes.subarray(3)])))).toBe(CryptoErrorCode.UnsupportedVersion);
    const flipped = Uint8Array.from(bytes);
    flipped[bytes.length - 50] ^= 0x40;
    expect(await codeOf(() => abeDecodeCiphertext(be, flipped))).toBe(CryptoErrorCode.InvalidPoint);
    expect(await codeOf(() => abeImportPublicKey(be, '{"version":2}'))).toBe(CryptoErrorCode.UnsupportedVersion);
    expect(await codeOf(() => abeImportPublicKey(be, 'not json'))).toBe(CryptoErrorCode.MalformedInput);
    expect(await codeOf(() => abeImportPublicKey(be, { ...JSON.parse(pkJson), gY: 'AAAA' }))).toBe(CryptoErrorCode.MalformedInput);
    const unwrapper = new AbeDataKeyUnwrapper(w.scheme, w.scheme.userKeySet('alice', [key]));
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), fc.integer({ min: 0, max: bytes.length - 1 }), async (junk, cut) => {
        for (const input of [junk, bytes.subarray(0, cut), Uint8Array.from([0xab, 4, 1, ...junk])]) {
          const err = await unwrapper.unwrap(input).catch((e: unknown) => e);
          expect(err).toBeInstanceOf(CryptoError);
          const err2 = (() => {
            try {
              abeDecodeCiphertext(be, input);
            } catch (e) {
              return e;
            }
            return undefined;
          })();
          expect(err2).toBeInstanceOf(CryptoError);
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe('RW15 across backends', () => {
  it('produces identical ciphertext bytes from the same seeds', () => {
    const policy = '(a@h and 2 of (b@h, d@g, e@g)) or f@g';
    const out = (['native', 'wasm'] as const).map((name) => {
      const w = world(backends[name], 'same-seed');
      const { key, ciphertext } = w.scheme.encapsulate(policy, w.directory);
      return {
        key: Buffer.from(backends[name].gtToBytes(key)).toString('hex'),
        ct: Buffer.from(abeEncodeCiphertext(backends[name], ciphertext)).toString('hex'),
        k: Buffer.from(abeEncodeAttributeKey(backends[name], w.keysFor('alice', ['a@h'])[0])).toString('hex'),
      };
    });
    expect(out[1]).toEqual(out[0]);
  });

  it('decrypts on one backend what the other encrypted, with keys issued on the other', async () => {
    for (const [from, to] of [['native', 'wasm'], ['wasm', 'native']] as const) {
      const src = world(backends[from], `cross-${from}`);
      const dst = backends[to];
      const dataKey = new Uint8Array(32).fill(from === 'native' ? 1 : 2);
      const c2 = await new AbeDataKeyWrapper(src.scheme, src.directory).wrap(dataKey, 'a@h and (d@g or e@g)');
      const keys = src.keysFor('alice', ['a@h', 'e@g']).map((k) => abeDecodeAttributeKey(dst, abeEncodeAttributeKey(backends[from], k)));
      const scheme = new AbeScheme(dst);
      expect(await new AbeDataKeyUnwrapper(scheme, scheme.userKeySet('alice', keys)).unwrap(c2)).toEqual(dataKey);
    }
  });
});

describe('RW15 on two threads (WASM worker)', () => {
  let pool: AbeWasmWorkerPool;
  beforeAll(async () => {
    pool = await AbeWasmWorkerPool.create();
  });
  afterAll(async () => {
    await pool.close();
  });

  it('encrypts to the same bytes as one thread and decrypts to the same key', async () => {
    const policy = '(a@h and 2 of (b@h, d@g, e@g)) and f@g';
    const one = world(backends.wasm, 'two-threads');
    const two = world(backends.wasm, 'two-threads');
    // Three rounds: attribute hashes are multiplied directly on first use and through a
    // fixed-base table afterwards, on both threads; the bytes must not change either way.
    let seq = one.scheme.encapsulate(policy, one.directory);
    let par = await abeEncapsulateParallel(two.scheme, pool, policy, two.directory);
    for (let round = 0; round < 3; round++) {
      if (round > 0) {
        seq = one.scheme.encapsulate(policy, one.directory);
        par = await abeEncapsulateParallel(two.scheme, pool, policy, two.directory);
      }
      expect(Buffer.from(par.ciphertext).equals(Buffer.from(abeEncodeCiphertext(backends.wasm, seq.ciphertext)))).toBe(true);
    }
    const keys = one.scheme.userKeySet('alice', one.keysFor('alice', ['a@h', 'd@g', 'e@g', 'f@g']));
    const ct = abeDecodeCiphertext(backends.wasm, par.ciphertext);
    expect(backends.wasm.gtEquals(await abeDecapsulateParallel(one.scheme, pool, ct, keys), seq.key)).toBe(true);
    const short = one.scheme.userKeySet('alice', one.keysFor('alice', ['a@h', 'd@g']));
    await expect(abeDecapsulateParallel(one.scheme, pool, ct, short)).rejects.toMatchObject({ code: CryptoErrorCode.PolicyNotSatisfied });
  });

  it('wraps and unwraps through the port with the worker', async () => {
    const w = world(backends.wasm, 'two-threads-port');
    const dataKey = new Uint8Array(32).fill(9);
    const c2 = await new AbeDataKeyWrapper(w.scheme, w.directory, { pool }).wrap(dataKey, 'a@h and d@g');
    const keys = w.scheme.userKeySet('alice', w.keysFor('alice', ['a@h', 'd@g']));
    expect(await new AbeDataKeyUnwrapper(w.scheme, keys, { pool }).unwrap(c2)).toEqual(dataKey);
    expect(await new AbeDataKeyUnwrapper(w.scheme, keys).unwrap(c2)).toEqual(dataKey);
  });
});
