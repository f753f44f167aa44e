import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { Wallet } from 'ethers';
import { CryptoError, CryptoErrorCode } from '../errors';
import { envelopeEip712Domain, sealRecord, type PatientAddressRegistry } from '../envelope';
import { PolicyKeyWrapperTestDouble } from '../envelope/policy-key-wrapper.test-double';
import { generateKeywordKey, keywordToken, recordKeywordTokens } from './keyword-blind-index';
import { openKeywordKey, sealKeywordKey } from './keyword-key-envelope';
import { normaliseKeyword } from './keyword-normalisation';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (err) {
    if (err instanceof CryptoError) return err.code;
    throw err;
  }
};

describe('keyword normalisation', () => {
  it.each([
    ['  Ménière’s   Disease ', 'meniere’s disease'],
    ['ＨＩＶ', 'hiv'],
    ['ﬁbrosis', 'fibrosis'],
    ['Straße', 'strasse'],
    ['ΟΔΥΣΣΕΥΣ', 'οδυσσευσ'],
    ['Οδυσσεύς', 'οδυσσευσ'],
    ['type\t2\n diabetes', 'type 2 diabetes'],
    ['Å', 'a'],
    ['Å', 'a'],
  ])('%j → %j', (input, expected) => {
    expect(normaliseKeyword(input)).toBe(expected);
  });

  it('is idempotent', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }), (s) => {
      let once: string;
      try {
        once = normaliseKeyword(s);
      } catch (err) {
        expect(err).toBeInstanceOf(CryptoError);
        return;
      }
      expect(normaliseKeyword(once)).toBe(once);
    }));
  });

  it('rejects empty, control, lone-surrogate and over-long keywords with MalformedInput', () => {
    for (const bad of ['', '   ', '\u0301', 'a\u0000b', 'a\u200Bb', 'x\uD800', 'x'.repeat(257), 42 as never]) {
      expect(codeOf(() => normaliseKeyword(bad))).toBe(CryptoErrorCode.MalformedInput);
    }
  });
});

describe('keyword blind index', () => {
  const key = generateKeywordKey();

  it('computes HMAC-SHA-256 over the domain tag and the normalised keyword (cross-checked against node:crypto HMAC)', () => {
    // Independent computation with node's HMAC on the documented input.
    const expected = createHmac('sha256', key).update('carechain/keyword-token/v1/norm1\u0000').update('type 2 diabetes').digest();
    expect(hex(keywordToken(key, ' Type 2  DIABETES'))).toBe(expected.toString('hex'));
  });

  it('gives equal tokens exactly for keywords that normalise equally', () => {
    expect(hex(keywordToken(key, 'Ménière'))).toBe(hex(keywordToken(key, 'MENIERE')));
    expect(hex(keywordToken(key, 'asthma'))).not.toBe(hex(keywordToken(key, 'asthma attack')));
  });

  it('keeps patients apart: the same keyword under two patients’ keys gives unrelated tokens', () => {
    expect(hex(keywordToken(key, 'asthma'))).not.toBe(hex(keywordToken(generateKeywordKey(), 'asthma')));
  });

  it('indexes a record under distinct, sorted tokens, optionally padded with dummies', () => {
    const tokens = recordKeywordTokens(key, ['Asthma', 'asthma ', 'Inhaler']);
    expect(tokens).toHaveLength(2);
    expect(Buffer.compare(tokens[0], tokens[1])).toBeLessThan(0);
    const padded = recordKeywordTokens(key, ['Asthma', 'Inhaler'], { padTo: 8 });
    expect(padded).toHaveLength(8);
    expect(padded.map(hex)).toEqual(expect.arrayContaining([hex(keywordToken(key, 'asthma')), hex(keywordToken(key, 'inhaler'))]));
    expect(codeOf(() => recordKeywordTokens(key, ['a', 'b', 'c'], { padTo: 2 }))).toBe(CryptoErrorCode.MalformedInput);
  });

  it('rejects a wrong-size key', () => {
    expect(codeOf(() => keywordToken(new Uint8Array(16), 'asthma'))).toBe(CryptoErrorCode.MalformedInput);
  });
});

describe('keyword key transport', () => {
  const patient = new Wallet('0x' + '44'.repeat(32));
  const domain = envelopeEip712Domain(31337);
  const registry: PatientAddressRegistry = { isRegisteredTo: async (a, p) => p === 'patient-kw' && a === patient.address };
  const policy = 'doctor@hospital-a AND search@registry';

  it('reaches a searcher who satisfies the policy, signed by the patient', async () => {
    const wrapper = new PolicyKeyWrapperTestDouble();
    const key = generateKeywordKey();
    const { envelope } = await sealKeywordKey({ key, keyId: '2026-1', patientPseudonym: 'patient-kw', policy }, { domain, signer: patient, wrapper });
    const opened = await openKeywordKey(envelope, { domain, registry, unwrapper: wrapper.unwrapperFor([policy]) });
    expect(opened.keyId).toBe('2026-1');
    expect(hex(opened.key)).toBe(hex(key));
    expect(hex(keywordToken(opened.key, 'asthma'))).toBe(hex(keywordToken(key, 'Asthma')));
    await expect(openKeywordKey(envelope, { domain, registry, unwrapper: wrapper.unwrapperFor(['other@x']) })).rejects.toMatchObject({
      code: CryptoErrorCode.PolicyNotSatisfied,
    });
  });

  it('refuses an ordinary record envelope as a keyword key', async () => {
    const wrapper = new PolicyKeyWrapperTestDouble();
    const { envelope } = await sealRecord(
      { record: new Uint8Array(37), patientPseudonym: 'patient-kw', recordId: 'rec-1', policy },
      { domain, signer: patient, wrapper },
    );
    await expect(openKeywordKey(envelope, { domain, registry, unwrapper: wrapper.unwrapperFor([policy]) })).rejects.toMatchObject({
      code: CryptoErrorCode.MalformedInput,
    });
  });
});
