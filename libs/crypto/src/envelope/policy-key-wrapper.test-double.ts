import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CryptoError, CryptoErrorCode } from '../errors';
import type { DataKeyUnwrapper, DataKeyWrapper } from './data-key-wrapper';
import { ByteReader, ByteWriter, utf8 } from './length-prefixed-bytes';

const TEST_DOUBLE_TAG = utf8.encode('TEST-DOUBLE/policy-key-wrap/v1');

/**
 * TEST DOUBLE, NOT MA-ABE. It stands in for the multi-authority ABE adapter in unit tests and,
 * until that adapter is exported, in the seal benchmark (which says so in its output).
 *
 * It keeps one random AES-256 key per (policy string, epoch) in memory and AES-GCM-wraps K
 * under it. "Satisfying a policy" means being handed that exact policy's key, so it models
 * the port's behaviour (policy mismatch, stale epoch, tampering) but none of ABE's security:
 * whoever holds this object can unwrap everything. Never wire it into a service.
 */
export class PolicyKeyWrapperTestDouble implements DataKeyWrapper {
  private readonly keys = new Map<string, Buffer>();
  private readonly epochs = new Map<string, number>();

  /** The current epoch of a policy (starts at 0). */
  epochOf(policy: string): number {
    return this.epochs.get(policy) ?? 0;
  }

  /** Moves a policy to a new epoch with a new key, like an authority rotating an attribute. */
  rotateEpoch(policy: string): number {
    const next = this.epochOf(policy) + 1;
    this.epochs.set(policy, next);
    return next;
  }

  async wrap(dataKey: Uint8Array, policy: string): Promise<Uint8Array> {
    const epoch = this.epochOf(policy);
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keyFor(policy, epoch), nonce);
    cipher.setAAD(utf8.encode(`${policy}#${epoch}`));
    const body = Buffer.concat([cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
    return new ByteWriter().raw(TEST_DOUBLE_TAG).u64(epoch).string32(policy).raw(nonce).bytes32(body).finish();
  }

  /** An unwrapper holding the current-epoch keys of exactly these policies (a snapshot). */
  unwrapperFor(policies: readonly string[]): DataKeyUnwrapper {
    const held = new Map(policies.map((p) => [p, { epoch: this.epochOf(p), key: this.keyFor(p, this.epochOf(p)) }]));
    return {
      async unwrap(c2: Uint8Array): Promise<Uint8Array> {
        const reader = new ByteReader(c2);
        const tag = reader.raw(TEST_DOUBLE_TAG.length, 'tag');
        if (!tag.every((b, i) => b === TEST_DOUBLE_TAG[i])) throw new CryptoError(CryptoErrorCode.MalformedInput, 'not a test-double C2');
        const epoch = reader.u64('epoch');
        const policy = reader.string32('policy', 64 * 1024);
        const nonce = reader.raw(12, 'nonce');
        const body = reader.bytes32('wrapped key', 64);
        reader.end();
        const entry = held.get(policy);
        if (entry === undefined) throw new CryptoError(CryptoErrorCode.PolicyNotSatisfied, `no key for policy ${policy}`);
        if (entry.epoch !== epoch) throw new CryptoError(CryptoErrorCode.StaleEpoch, `C2 is for epoch ${epoch}, keys are for ${entry.epoch}`);
        if (body.length !== 48) throw new CryptoError(CryptoErrorCode.MalformedInput, 'wrapped key has the wrong length');
        try {
          const decipher = createDecipheriv('aes-256-gcm', entry.key, nonce);
          decipher.setAAD(utf8.encode(`${policy}#${epoch}`));
          decipher.setAuthTag(body.subarray(32));
          return new Uint8Array(Buffer.concat([decipher.update(body.subarray(0, 32)), decipher.final()]));
        } catch (err) {
          throw new CryptoError(CryptoErrorCode.DecryptionFailed, 'C2 does not authenticate', { cause: err });
        }
      },
    };
  }

  private keyFor(policy: string, epoch: number): Buffer {
    const id = `${epoch}#${policy}`;
    let key = this.keys.get(id);
    if (key === undefined) {
      key = randomBytes(32);
      this.keys.set(id, key);
    }
    return key;
  }
}
