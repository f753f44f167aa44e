import { AnchorReportError, circlReportSchema, parseAnchorReport, rabeReportSchema } from './anchor-report.schema';

const circlDoc = () => ({
  peer: 'circl_tkn20',
  scheme: 'tkn20 (CCA variant)',
  module: 'github.com/cloudflare/circl',
  module_version: 'v1.6.5',
  curve: 'BLS12-381',
  go_version: 'go1.26.8',
  gomaxprocs: 2,
  message_bytes: 32,
  primitives: { pairing_ms: 1.4, miller_loop_ms_derived: 0.9, final_exp_ms_derived: 0.5, prod_pair_10_ms: 9.5, g1_mul_ms: 0.2, g2_mul_ms: 0.6, gt_exp_ms: 1.2 },
  results: [{ attributes: 10, encrypt_ms: 170, decrypt_ms: 21, keygen_ms: 200, keygen_ms_per_attribute: 20, iterations: 5, ciphertext_bytes: 5549, policy: 'attr0:v0 and attr1:v1' }],
});

const rabeDoc = () => ({
  peer: 'rabe',
  crate_name: 'rabe',
  crate_version: '0.4.2',
  pairing_crate: 'rabe-bn 0.4.23',
  curve: 'BN254',
  message_bytes: 32,
  primitives: { pairing_ms: 6.8, g1_mul_ms: 0.6, g2_mul_ms: 2.8, gt_exp_ms: 6.2 },
  results: [
    { scheme: 'bsw', attributes: 1, encrypt_ms: 24, decrypt_ms: 23, keygen_ms: 13, keygen_ms_per_attribute: 13, iterations: 3, authorities: 1, policy: '"ATTR0"' },
    { scheme: 'aw11', attributes: 5, encrypt_ms: 160, decrypt_ms: 90, keygen_ms: 10, keygen_ms_per_attribute: 2, iterations: 3, authorities: 2, policy: '"A" and "B"', caveat: 'not collusion resistant' },
  ],
});

describe('parseAnchorReport', () => {
  it('accepts well-formed documents from both harnesses unchanged', () => {
    expect(parseAnchorReport('circl_tkn20', JSON.stringify(circlDoc()), circlReportSchema)).toEqual(circlDoc());
    expect(parseAnchorReport('rabe', JSON.stringify(rabeDoc()), rabeReportSchema)).toEqual(rabeDoc());
  });

  it('rejects output that is not JSON, naming the peer', () => {
    expect(() => parseAnchorReport('rabe', 'thread main panicked', rabeReportSchema)).toThrow(AnchorReportError);
    expect(() => parseAnchorReport('rabe', '', rabeReportSchema)).toThrow(/rabe: output is not JSON/);
  });

  it.each([
    ['a missing figure', (d: ReturnType<typeof circlDoc>) => delete (d.results[0] as Partial<(typeof d.results)[0]>).decrypt_ms, /results\.0\.decrypt_ms/],
    ['a zero time', (d: ReturnType<typeof circlDoc>) => (d.results[0].encrypt_ms = 0), /results\.0\.encrypt_ms/],
    ['a negative time', (d: ReturnType<typeof circlDoc>) => (d.primitives.pairing_ms = -1), /primitives\.pairing_ms/],
    ['a fractional attribute count', (d: ReturnType<typeof circlDoc>) => (d.results[0].attributes = 2.5), /results\.0\.attributes/],
    ['no rows at all', (d: ReturnType<typeof circlDoc>) => (d.results = []), /results/],
    ['an unexpected field', (d: ReturnType<typeof circlDoc>) => Object.assign(d.results[0], { made_up_ms: 1 }), /results\.0/],
    ['another curve', (d: ReturnType<typeof circlDoc>) => Object.assign(d, { curve: 'BN254' }), /curve/],
  ])('rejects a CIRCL document with %s', (_name, mutate, where) => {
    const doc = circlDoc();
    mutate(doc);
    expect(() => parseAnchorReport('circl_tkn20', JSON.stringify(doc), circlReportSchema)).toThrow(where);
  });

  it('rejects a rabe row for a scheme the harness does not measure', () => {
    const doc = rabeDoc();
    Object.assign(doc.results[0], { scheme: 'lsw' });
    expect(() => parseAnchorReport('rabe', JSON.stringify(doc), rabeReportSchema)).toThrow(/results\.0\.scheme/);
  });

  it('rejects a non-finite figure, which JSON can only carry as null', () => {
    const text = JSON.stringify(rabeDoc()).replace('"pairing_ms":6.8', '"pairing_ms":null');
    expect(() => parseAnchorReport('rabe', text, rabeReportSchema)).toThrow(/primitives\.pairing_ms/);
  });
});
