import { formatAnchorsTable } from './anchors-table';
import type { Anchors } from './index';

const row = { attributes: 10, keygen_ms: 200, keygen_ms_per_attribute: 20, encrypt_ms: 300, decrypt_ms: 60, iterations: 3, policy: 'p' };

function anchors(): Anchors {
  return {
    circl_tkn20: [{ ...row, encrypt_cpu_ms: 100, decrypt_cpu_ms: 20, keygen_cpu_ms: 70, ciphertext_bytes: 5549 }],
    rabe: [{ ...row, scheme: 'aw11', authorities: 2, caveat: 'not collusion resistant' }],
    primitives: {
      circl_bls12_381: { pairing_ms: 3, pairing_cpu_ms: 1, prod_pair_10_ms: 10, g1_mul_ms: 0.2, g2_mul_ms: 0.7, gt_exp_ms: 1.3 },
      rabe_bn254: { pairing_ms: 6, g1_mul_ms: 0.6, g2_mul_ms: 2.8, gt_exp_ms: 6 },
    },
    peers: {
      circl_tkn20: { available: true, library: 'github.com/cloudflare/circl v1.6.5', curve: 'BLS12-381', toolchain: 'go1.26.8', built: false, run_seconds: 40, load_average_1m: { before: 12, after: 14 }, cpus: 2 },
      rabe: { available: false, reason: 'toolchain missing: cargo not found on PATH' },
    },
  };
}

describe('formatAnchorsTable', () => {
  const lines = formatAnchorsTable(anchors()).split('\n');

  it('counts pairings in CPU time when both the row and the pairing have it', () => {
    const circl = lines.find((l) => l.startsWith('circl tkn20'))!;
    // 100 / 1 and 20 / 1 (CPU over CPU), not 300 / 3 and 60 / 3 (wall over wall).
    expect(circl.trim().split(/\s+/).slice(-2)).toEqual(['100.0', '20.0']);
  });

  it('falls back to wall over wall, and marks a caveated scheme', () => {
    const aw11 = lines.find((l) => l.startsWith('rabe aw11*'))!;
    expect(aw11.trim().split(/\s+/).slice(-4)).toEqual(['n/a', 'n/a', '50.0', '10.0']);
    expect(lines).toContain('* not collusion resistant');
  });

  it('says when the Miller loop could not be derived, and why a peer is missing', () => {
    expect(lines.some((l) => l.includes('Miller loop/final exp not derivable this run'))).toBe(true);
    expect(lines).toContain('rabe: UNAVAILABLE: toolchain missing: cargo not found on PATH');
  });
});
