import { ABA_SCALAR_ORDER, abaExpandMessageXmd, abaHashToScalar, abaNegateScalar, abaScalarFromBytes, abaScalarToBytes } from './aba-encoding';
import { CryptoError } from '../errors';

describe('ABA encodings', () => {
  // RFC 9380 Appendix K.1 (expand_message_xmd, SHA-256, DST QUUX-V01-CS02-with-expander-SHA256-128).
  const DST = 'QUUX-V01-CS02-with-expander-SHA256-128';
  it.each([
    ['', 0x20, '68a985b87eb6b46952128911f2a4412bbc302a9d759667f87f7a21d803f07235'],
    ['abc', 0x20, 'd8ccab23b5985ccea865c6c97b6e5b8350e794e603b4b97902f53a8a0d605615'],
  ])('expand_message_xmd(%j, %i) matches RFC 9380', (msg, len, hex) => {
    expect(Buffer.from(abaExpandMessageXmd(Buffer.from(msg), DST, len)).toString('hex')).toBe(hex);
  });

  it('hash_to_field matches @noble/curves for an attribute name (computed once with noble 2.4)', () => {
    expect(abaHashToScalar(Buffer.from('doctor@hospital-a'), 'CARECHAIN-ABA-V1-ATTRIBUTE').toString(16)).toBe(
      '45be59be5a38469589901b73d81759853bfcdc2f77a4f36e0c68f88f5ba6a133',
    );
  });

  it('round-trips scalars little-endian and rejects non-canonical ones', () => {
    for (const v of [0n, 1n, 255n, 256n, ABA_SCALAR_ORDER - 1n]) expect(abaScalarFromBytes(abaScalarToBytes(v))).toBe(v);
    expect(abaScalarToBytes(1n)[0]).toBe(1);
    const r = Buffer.alloc(32);
    let x = ABA_SCALAR_ORDER;
    for (let i = 0; i < 32; i++, x >>= 8n) r[i] = Number(x & 0xffn);
    expect(() => abaScalarFromBytes(r)).toThrow(CryptoError);
    expect(abaScalarFromBytes(abaNegateScalar(abaScalarToBytes(5n)))).toBe(ABA_SCALAR_ORDER - 5n);
  });
});
