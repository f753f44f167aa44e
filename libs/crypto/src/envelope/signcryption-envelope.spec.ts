import fc from 'fast-check';
import { Signature, Wallet, getBytes, type TypedDataDomain, type TypedDataField } from 'ethers';
import { CryptoError, CryptoErrorCode } from '../errors';
import type { DataKeyUnwrapper } from './data-key-wrapper';
import { decodeEnvelope, encodeEnvelope, type Envelope } from './envelope-codec';
import { ENVELOPE_EIP712_TYPES, envelopeEip712Domain, sealedRecordMessage } from './envelope-eip712';
import type { PatientAddressRegistry } from './patient-address-registry';
import { PolicyKeyWrapperTestDouble } from './policy-key-wrapper.test-double';
import { resealRecord, rewrapDataKey, sealRecord, verifyEnvelope, verifyThenOpen, type EnvelopeSigner } from './signcryption-envelope';

// Fixed keys keep failures reproducible; they are test-only secrets.
const patientMain = new Wallet('0x' + '11'.repeat(32));
const patientSecond = new Wallet('0x' + '22'.repeat(32));
const stranger = new Wallet('0x' + '33'.repeat(32));
const PATIENT = 'patient-7f3a';
const POLICY = '(doctor@hospital-a AND cardiology@board) OR patient-proxy@registry';
const domain = envelopeEip712Domain(31337);

/** In-memory Registrar stand-in (unit tests only). */
class RegistryFake implements PatientAddressRegistry {
  readonly asked: Array<[string, string]> = [];
  constructor(private readonly entries: Record<string, string[]>) {}
  async isRegisteredTo(address: string, pseudonym: string): Promise<boolean> {
    this.asked.push([address, pseudonym]);
    return (this.entries[pseudonym] ?? []).includes(address);
  }
}

const registry = new RegistryFake({ [PATIENT]: [patientMain.address, patientSecond.address] });
const record = new TextEncoder().encode('{"bp":"120/80","note":"résumé ✓"}');

async function codeOf(run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await run();
    return undefined;
  } catch (err) {
    if (err instanceof CryptoError) return err.code;
    throw err; // anything else is a crash
  }
}

function mutate(bytes: Uint8Array, change: (e: Envelope) => Envelope): Uint8Array {
  return encodeEnvelope(change(decodeEnvelope(bytes)));
}

function flip(bytes: Uint8Array, index: number): Uint8Array {
  const copy = new Uint8Array(bytes);
  copy[index % copy.length] ^= 0x01;
  return copy;
}

async function sealed(wrapper = new PolicyKeyWrapperTestDouble()) {
  const result = await sealRecord({ record, patientPseudonym: PATIENT, recordId: 'rec-1', policy: POLICY }, { domain, signer: patientMain, wrapper, issuedAt: 1_700_000_000 });
  return { ...result, wrapper, unwrapper: wrapper.unwrapperFor([POLICY]) };
}

describe('signcryption envelope', () => {
  it('seals and verify-then-opens back to the record, naming the signer', async () => {
    const { envelope, unwrapper, digest, dataKey } = await sealed();
    expect(dataKey).toHaveLength(32);
    const opened = await verifyThenOpen(envelope, { domain, registry, unwrapper });
    expect(Buffer.from(opened.record).equals(Buffer.from(record))).toBe(true);
    expect(opened.metadata).toEqual({ patientPseudonym: PATIENT, recordId: 'rec-1', version: 1, issuedAt: 1_700_000_000 });
    expect(opened.policy).toBe(POLICY);
    expect(opened.signer).toBe(patientMain.address);
    expect(opened.digest).toBe(digest);
    expect(registry.asked).toContainEqual([patientMain.address, PATIENT]);
  });

  it('encodes canonically: decode then encode gives the same bytes', async () => {
    const { envelope } = await sealed();
    expect(Buffer.from(encodeEnvelope(decodeEnvelope(envelope))).equals(Buffer.from(envelope))).toBe(true);
  });

  it('accepts a signature from any of the patient’s registered addresses', async () => {
    const wrapper = new PolicyKeyWrapperTestDouble();
    const { envelope } = await sealRecord({ record, patientPseudonym: PATIENT, recordId: 'rec-2', policy: POLICY }, { domain, signer: patientSecond, wrapper });
    const opened = await verifyThenOpen(envelope, { domain, registry, unwrapper: wrapper.unwrapperFor([POLICY]) });
    expect(opened.signer).toBe(patientSecond.address);
  });

  describe('rejections', () => {
    it.each([
      ['C1', (e: Envelope) => ({ ...e, c1: flip(e.c1, 20) })],
      ['C2', (e: Envelope) => ({ ...e, c2: flip(e.c2, 40) })],
      ['the policy', (e: Envelope) => ({ ...e, policy: 'doctor@hospital-a' })],
      ['the record id', (e: Envelope) => ({ ...e, metadata: { ...e.metadata, recordId: 'rec-9' } })],
      ['the version', (e: Envelope) => ({ ...e, metadata: { ...e.metadata, version: 2 } })],
      ['the time', (e: Envelope) => ({ ...e, metadata: { ...e.metadata, issuedAt: e.metadata.issuedAt + 1 } })],
      ['the patient', (e: Envelope) => ({ ...e, metadata: { ...e.metadata, patientPseudonym: 'patient-other' } })],
      ['σ (r)', (e: Envelope) => ({ ...e, signature: flip(e.signature, 3) })],
      ['σ (v)', (e: Envelope) => ({ ...e, signature: Uint8Array.from([...e.signature.subarray(0, 64), e.signature[64] === 27 ? 28 : 27]) })],
    ])('a tampered %s fails σ before anything is unwrapped', async (_what, change) => {
      const { envelope, unwrapper } = await sealed();
      const spy: DataKeyUnwrapper = { unwrap: jest.fn((c2: Uint8Array) => unwrapper.unwrap(c2)) };
      expect(await codeOf(() => verifyThenOpen(mutate(envelope, change), { domain, registry, unwrapper: spy }))).toBe(CryptoErrorCode.InvalidSignature);
      expect(spy.unwrap).not.toHaveBeenCalled();
    });

    it('refuses a valid signature from an address not registered to the patient', async () => {
      const wrapper = new PolicyKeyWrapperTestDouble();
      const { envelope } = await sealRecord({ record, patientPseudonym: PATIENT, recordId: 'rec-1', policy: POLICY }, { domain, signer: stranger, wrapper });
      expect(await codeOf(() => verifyThenOpen(envelope, { domain, registry, unwrapper: wrapper.unwrapperFor([POLICY]) }))).toBe(
        CryptoErrorCode.InvalidSignature,
      );
    });

    it('refuses a signature made for another chain (EIP-712 domain separation)', async () => {
      const { envelope, unwrapper } = await sealed();
      expect(await codeOf(() => verifyThenOpen(envelope, { domain: envelopeEip712Domain(1), registry, unwrapper }))).toBe(CryptoErrorCode.InvalidSignature);
    });

    it('reports an unsatisfied policy from the unwrapper after σ holds', async () => {
      const { envelope, wrapper } = await sealed();
      expect(await codeOf(() => verifyThenOpen(envelope, { domain, registry, unwrapper: wrapper.unwrapperFor(['nurse@hospital-b']) }))).toBe(
        CryptoErrorCode.PolicyNotSatisfied,
      );
    });

    it('binds C1 to its record: the patient’s own C1 moved into another record fails to decrypt', async () => {
      const wrapper = new PolicyKeyWrapperTestDouble();
      const a = await sealRecord({ record, patientPseudonym: PATIENT, recordId: 'rec-A', policy: POLICY }, { domain, signer: patientMain, wrapper });
      // A legitimately re-signed envelope for rec-B that carries rec-A's C1 and C2.
      const spliced = await rewrapDataKey(a.envelope, a.dataKey, POLICY, { domain, signer: patientMain, wrapper });
      const moved = decodeEnvelope(spliced.envelope);
      const forged = await sealRecord({ record, patientPseudonym: PATIENT, recordId: 'rec-B', policy: POLICY }, { domain, signer: patientMain, wrapper });
      const forgedEnvelope = decodeEnvelope(forged.envelope);
      const message = sealedRecordMessage(forgedEnvelope.metadata, POLICY, moved.c1, moved.c2);
      const signature = getBytes(Signature.from(await patientMain.signTypedData(domain, ENVELOPE_EIP712_TYPES, { ...message })).serialized);
      const bytes = encodeEnvelope({ ...forgedEnvelope, c1: moved.c1, c2: moved.c2, signature });
      expect(await codeOf(() => verifyThenOpen(bytes, { domain, registry, unwrapper: wrapper.unwrapperFor([POLICY]) }))).toBe(
        CryptoErrorCode.DecryptionFailed,
      );
    });

    it('rejects every single-bit change anywhere in the envelope with a CryptoError', async () => {
      const { envelope, unwrapper } = await sealed();
      await fc.assert(
        fc.asyncProperty(fc.nat(envelope.length - 1), fc.nat(7), async (index, bit) => {
          const bad = new Uint8Array(envelope);
          bad[index] ^= 1 << bit;
          expect(await codeOf(() => verifyThenOpen(bad, { domain, registry, unwrapper }))).toBeDefined();
        }),
        { numRuns: 300 },
      );
    });

    it('rejects every truncation and any trailing byte as malformed input', async () => {
      const { envelope, unwrapper } = await sealed();
      for (let len = 0; len < envelope.length; len++) {
        const code = await codeOf(() => verifyThenOpen(envelope.subarray(0, len), { domain, registry, unwrapper }));
        expect(code).toBe(CryptoErrorCode.MalformedInput);
      }
      const longer = Uint8Array.from([...envelope, 0]);
      expect(await codeOf(() => verifyThenOpen(longer, { domain, registry, unwrapper }))).toBe(CryptoErrorCode.MalformedInput);
    });

    it('decodes arbitrary bytes to a typed error, never a crash', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 400 }), fc.boolean(), (junk, withHeader) => {
          const bytes = withHeader ? Uint8Array.from([0x43, 0x43, 0x45, 1, ...junk]) : junk;
          try {
            decodeEnvelope(bytes);
          } catch (err) {
            expect(err).toBeInstanceOf(CryptoError);
          }
        }),
        { numRuns: 2000 },
      );
    });

    it('names an unknown format version as such', async () => {
      const { envelope } = await sealed();
      const v2 = new Uint8Array(envelope);
      v2[3] = 2;
      expect(() => decodeEnvelope(v2)).toThrow(expect.objectContaining({ code: CryptoErrorCode.UnsupportedVersion }));
      expect(() => decodeEnvelope('not bytes' as never)).toThrow(expect.objectContaining({ code: CryptoErrorCode.MalformedInput }));
    });

    it('refuses the malleable high-s twin of a valid signature, and normalises a high-s signer', async () => {
      const { envelope, unwrapper } = await sealed();
      const e = decodeEnvelope(envelope);
      const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
      const s = BigInt('0x' + Buffer.from(e.signature.subarray(32, 64)).toString('hex'));
      const twin = Uint8Array.from([...e.signature.subarray(0, 32), ...Buffer.from((n - s).toString(16).padStart(64, '0'), 'hex'), e.signature[64] === 27 ? 28 : 27]);
      const twinBytes = new Uint8Array(envelope);
      twinBytes.set(twin, envelope.length - 65);
      expect(await codeOf(() => verifyThenOpen(twinBytes, { domain, registry, unwrapper }))).toBe(CryptoErrorCode.MalformedInput);

      const highS: EnvelopeSigner = {
        async signTypedData(d: TypedDataDomain, t: Record<string, TypedDataField[]>, v: Record<string, unknown>) {
          const sig = Signature.from(await patientMain.signTypedData(d, t, v));
          const highSHex = (n - BigInt(sig.s)).toString(16).padStart(64, '0');
          return sig.r + highSHex + (sig.v === 27 ? '1c' : '1b');
        },
      };
      const wrapper = new PolicyKeyWrapperTestDouble();
      const viaHighS = await sealRecord({ record, patientPseudonym: PATIENT, recordId: 'rec-1', policy: POLICY }, { domain, signer: highS, wrapper });
      expect((await verifyThenOpen(viaHighS.envelope, { domain, registry, unwrapper: wrapper.unwrapperFor([POLICY]) })).signer).toBe(patientMain.address);
    });

    it('validates what the patient passes in', async () => {
      const wrapper = new PolicyKeyWrapperTestDouble();
      const ctx = { domain, signer: patientMain, wrapper };
      const base = { record, patientPseudonym: PATIENT, recordId: 'rec-1', policy: POLICY };
      expect(await codeOf(() => sealRecord({ ...base, policy: '' }, ctx))).toBe(CryptoErrorCode.MalformedInput);
      expect(await codeOf(() => sealRecord({ ...base, recordId: '' }, ctx))).toBe(CryptoErrorCode.MalformedInput);
      expect(await codeOf(() => sealRecord({ ...base, patientPseudonym: 'bad\uD800' }, ctx))).toBe(CryptoErrorCode.MalformedInput);
      expect(await codeOf(() => sealRecord({ ...base, record: 'text' as never }, ctx))).toBe(CryptoErrorCode.MalformedInput);
      expect(await codeOf(() => sealRecord(base, { ...ctx, issuedAt: -1 }))).toBe(CryptoErrorCode.MalformedInput);
      const { envelope } = await sealed(wrapper);
      expect(await codeOf(() => resealRecord(envelope, record, new Uint8Array(31), ctx))).toBe(CryptoErrorCode.MalformedInput);
    });
  });

  describe('modify (reseal)', () => {
    it('re-encrypts under the same K with version + 1, keeping C2 and the policy', async () => {
      const { envelope, dataKey, unwrapper } = await sealed();
      const changed = new TextEncoder().encode('{"bp":"135/85"}');
      const next = await resealRecord(envelope, changed, dataKey, { domain, signer: patientMain, issuedAt: 1_700_000_100 });
      const opened = await verifyThenOpen(next.envelope, { domain, registry, unwrapper });
      expect(new TextDecoder().decode(opened.record)).toBe('{"bp":"135/85"}');
      expect(opened.metadata.version).toBe(2);
      expect(Buffer.from(decodeEnvelope(next.envelope).c2).equals(Buffer.from(decodeEnvelope(envelope).c2))).toBe(true);
      expect(next.digest).not.toBe((await verifyEnvelope(envelope, { domain, registry })).digest);
    });

    it('refuses a key that is not the envelope’s K', async () => {
      const { envelope } = await sealed();
      expect(await codeOf(() => resealRecord(envelope, record, new Uint8Array(32), { domain, signer: patientMain }))).toBe(
        CryptoErrorCode.DecryptionFailed,
      );
    });
  });

  describe('rewrap', () => {
    it('moves K to a new policy without touching C1', async () => {
      const { envelope, dataKey, wrapper } = await sealed();
      const newPolicy = `${POLICY} OR gp@clinic-c`;
      const next = await rewrapDataKey(envelope, dataKey, newPolicy, { domain, signer: patientMain, wrapper });
      const [before, after] = [decodeEnvelope(envelope), decodeEnvelope(next.envelope)];
      expect(Buffer.from(after.c1).equals(Buffer.from(before.c1))).toBe(true);
      expect(after.metadata.version).toBe(before.metadata.version);
      expect(after.policy).toBe(newPolicy);
      const opened = await verifyThenOpen(next.envelope, { domain, registry, unwrapper: wrapper.unwrapperFor([newPolicy]) });
      expect(Buffer.from(opened.record).equals(Buffer.from(record))).toBe(true);
      expect(await codeOf(() => verifyThenOpen(next.envelope, { domain, registry, unwrapper: wrapper.unwrapperFor([POLICY]) }))).toBe(
        CryptoErrorCode.PolicyNotSatisfied,
      );
    });

    it('re-wraps to a new epoch after a key update, which the old C2 cannot serve', async () => {
      const { envelope, dataKey, wrapper } = await sealed();
      wrapper.rotateEpoch(POLICY);
      const current = wrapper.unwrapperFor([POLICY]);
      expect(await codeOf(() => verifyThenOpen(envelope, { domain, registry, unwrapper: current }))).toBe(CryptoErrorCode.StaleEpoch);
      const next = await rewrapDataKey(envelope, dataKey, POLICY, { domain, signer: patientMain, wrapper });
      expect(Buffer.from((await verifyThenOpen(next.envelope, { domain, registry, unwrapper: current })).record).equals(Buffer.from(record))).toBe(true);
    });
  });
});
