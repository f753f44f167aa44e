import type { Anchors } from './index';

function cell(value: string, width: number, alignLeft = false): string {
  return alignLeft ? value.padEnd(width) : value.padStart(width);
}

function ms(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

type TableRow = {
  attributes: number;
  keygen_ms: number;
  keygen_ms_per_attribute: number;
  encrypt_ms: number;
  decrypt_ms: number;
  encrypt_cpu_ms?: number;
  decrypt_cpu_ms?: number;
};

/**
 * A fixed-width text table of the anchors, one line per (peer, scheme, attribute count):
 * wall-clock medians, thread-CPU medians, and encrypt/decrypt in pairings of the peer's own
 * curve (CPU time over one pairing's CPU time when both exist, else wall over wall), then the
 * primitives and each peer's provenance or the reason it is unavailable.
 */
export function formatAnchorsTable(anchors: Anchors): string {
  const header = ['peer', 'attrs', 'keygen ms', 'keygen/attr', 'encrypt ms', 'decrypt ms', 'enc cpu ms', 'dec cpu ms', 'enc pairings', 'dec pairings'];
  const widths = [22, 5, 10, 11, 10, 10, 10, 10, 12, 12];
  const lines: string[] = [header.map((h, i) => cell(h, widths[i], i === 0)).join('  ')];
  const add = (label: string, pairing: { pairing_ms: number; pairing_cpu_ms?: number } | undefined, r: TableRow): void => {
    const inPairings = (wall: number, cpu: number | undefined): string => {
      if (!pairing) return 'n/a';
      return cpu !== undefined && pairing.pairing_cpu_ms !== undefined ? (cpu / pairing.pairing_cpu_ms).toFixed(1) : (wall / pairing.pairing_ms).toFixed(1);
    };
    const opt = (v: number | undefined): string => (v === undefined ? 'n/a' : ms(v));
    const values = [
      label,
      String(r.attributes),
      ms(r.keygen_ms),
      ms(r.keygen_ms_per_attribute),
      ms(r.encrypt_ms),
      ms(r.decrypt_ms),
      opt(r.encrypt_cpu_ms),
      opt(r.decrypt_cpu_ms),
      inPairings(r.encrypt_ms, r.encrypt_cpu_ms),
      inPairings(r.decrypt_ms, r.decrypt_cpu_ms),
    ];
    lines.push(values.map((v, i) => cell(v, widths[i], i === 0)).join('  '));
  };
  for (const r of anchors.circl_tkn20) add('circl tkn20 BLS12-381', anchors.primitives.circl_bls12_381, r);
  for (const r of anchors.rabe) add(`rabe ${r.scheme}${r.caveat ? '*' : ''} BN254`, anchors.primitives.rabe_bn254, r);

  const p = anchors.primitives;
  if (p.circl_bls12_381) {
    const c = p.circl_bls12_381;
    const derived = c.miller_loop_ms_derived !== undefined ? `, Miller loop ~${c.miller_loop_ms_derived} ms and final exp ~${c.final_exp_ms_derived} ms (derived)` : ', Miller loop/final exp not derivable this run';
    lines.push(`circl BLS12-381: pairing ${c.pairing_ms} ms (cpu ${c.pairing_cpu_ms ?? 'n/a'} ms)${derived}, G1 mul ${c.g1_mul_ms} ms, G2 mul ${c.g2_mul_ms} ms, GT exp ${c.gt_exp_ms} ms`);
  }
  if (p.rabe_bn254) {
    const r = p.rabe_bn254;
    lines.push(`rabe-bn BN254: pairing ${r.pairing_ms} ms (cpu ${r.pairing_cpu_ms ?? 'n/a'} ms), G1 mul ${r.g1_mul_ms} ms, G2 mul ${r.g2_mul_ms} ms, GT exp ${r.gt_exp_ms} ms`);
  }
  const caveat = anchors.rabe.find((r) => r.caveat)?.caveat;
  if (caveat) lines.push(`* ${caveat}`);
  for (const [peer, status] of Object.entries(anchors.peers)) {
    lines.push(
      status.available
        ? `${peer}: ${status.library}; ${status.toolchain}; ${status.built ? 'built this run' : 'cached build'}; ran ${status.run_seconds.toFixed(1)} s; 1-min load ${status.load_average_1m.before.toFixed(1)} -> ${status.load_average_1m.after.toFixed(1)} on ${status.cpus} CPUs`
        : `${peer}: UNAVAILABLE: ${status.reason}`,
    );
  }
  return lines.join('\n');
}
