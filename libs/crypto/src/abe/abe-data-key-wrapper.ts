import { createCipheriv, createDecipheriv, hkdfSync, randomFillSync } from 'node:crypto';
import { CryptoError, CryptoErrorCode } from '../errors';
import type { DataKeyUnwrapper, DataKeyWrapper } from '../envelope/data-key-wrapper';
import { AbeByteReader, AbeByteWriter, AbeEncodingKind, abeDecodeCiphertext, abeEncodeCiphertext } from './abe-encoding';
import type { AbePublicKeyDirectory, AbeScheme, AbeUserKeySet } from './abe-scheme';
import { abeDecapsulateParallel, abeEncapsulateParallel } from './abe-wasm-parallel';
import type { AbeWasmWorkerPool } from './abe-wasm-worker-pool';

/** HKDF info string binding K_wrap to this construction and version. */
export const ABE_WRAP_KDF_INFO = 'carechain/abe-rw15/v1/data-key-wrap';
const DATA_KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** K_wrap = HKDF-SHA-256(ikm = canonical bytes of M, salt = empty, info = ABE_WRAP_KDF_INFO), 32 bytes. */
function wrapKey(m: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', m, new Uint8Array(0), ABE_WRAP_KDF_INFO, 32));
}

/**
 * DataKeyWrapper over RW15: C2 = [0xAB, 4, 1] ‖ u32 len ‖ ABE ciphertext of a fresh random
 * M ∈ GT ‖ nonce ‖ AES-256-GCM_{K_wrap}(K) with the bytes before the nonce as associated data.
 * Re-wrapping (new policy, new epochs from the directory) produces a new C2 and touches
 * nothing else of the record.
 */
export class AbeDataKeyWrapper implements DataKeyWrapper {
  /** With `pool` on the WASM backend, half of the rows are computed on a worker thread. */
  constructor(
    private readonly scheme: AbeScheme,
    private readonly directory: AbePublicKeyDirectory,
    private readonly options: { pool?: AbeWasmWorkerPool } = {},
  ) {}

  async wrap(dataKey: Uint8Array, policy: string): Promise<Uint8Array> {
    if (!(dataKey instanceof Uint8Array) || dataKey.length !== DATA_KEY_BYTES) {
      throw new CryptoError(CryptoErrorCode.MalformedInput, `data key must be ${DATA_KEY_BYTES} bytes`);
    }
    const b = this.scheme.backend;
    const pool = b.name === 'wasm' ? this.options.pool : undefined;
    let key;
    let abe: Uint8Array;
    if (pool !== undefined) {
      ({ key, ciphertext: abe } = await abeEncapsulateParallel(this.scheme, pool, policy, this.directory));
    } else {
      const out = this.scheme.encapsulate(policy, this.directory);
      key = out.key;
      abe = abeEncodeCiphertext(b, out.ciphertext);
    }
    const head = new AbeByteWriter().header(AbeEncodingKind.WrappedDataKey).u32(abe.length).bytes(abe).finish();
    const nonce = randomFillSync(new Uint8Array(NONCE_BYTES));
    const cipher = createCipheriv('aes-256-gcm', wrapKey(b.gtToBytes(key)), nonce);
    cipher.setAAD(head);
    const body = Buffer.concat([cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
    return new AbeByteWriter().bytes(head).bytes(nonce).bytes(body).finish();
  }
}

/** DataKeyUnwrapper over RW15 with the attribute keys of one GID. */
export class AbeDataKeyUnwrapper implements DataKeyUnwrapper {
  /** With `pool` on the WASM backend, half of the Miller loops run on a worker thread. */
  constructor(
    private readonly scheme: AbeScheme,
    private readonly keys: AbeUserKeySet,
    private readonly options: { pool?: AbeWasmWorkerPool } = {},
  ) {}

  async unwrap(c2: Uint8Array): Promise<Uint8Array> {
    const b = this.scheme.backend;
    const r = new AbeByteReader(c2).header(AbeEncodingKind.WrappedDataKey);
    const abe = r.bytes(r.u32());
    const headLength = 3 + 4 + abe.length;
    const nonce = r.bytes(NONCE_BYTES);
    const body = r.bytes(DATA_KEY_BYTES + TAG_BYTES);
    r.end();
    const ct = abeDecodeCiphertext(b, abe);
    const pool = b.name === 'wasm' ? this.options.pool : undefined;
    const m = pool !== undefined ? await abeDecapsulateParallel(this.scheme, pool, ct, this.keys) : this.scheme.decapsulate(ct, this.keys);
    const decipher = createDecipheriv('aes-256-gcm', wrapKey(b.gtToBytes(m)), nonce);
    decipher.setAAD(c2.subarray(0, headLength));
    decipher.setAuthTag(body.subarray(DATA_KEY_BYTES));
    try {
      return new Uint8Array(Buffer.concat([decipher.update(body.subarray(0, DATA_KEY_BYTES)), decipher.final()]));
    } catch (cause) {
      throw new CryptoError(CryptoErrorCode.DecryptionFailed, 'wrapped data key failed authentication', { cause });
    }
  }
}
