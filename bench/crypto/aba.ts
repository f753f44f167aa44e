/**
 * Benchmark of anonymous traceable attribute-based authentication (issue 4, ABA).
 *
 * measureAba(): medians of one presentation's prove and verify time for 1, 2 and 3 issuers.
 * Each presentation discloses one attribute per issuer out of three held, proves one tag across
 * the credentials, and includes the ElGamal encryption of g^tag to the opener with its proof
 * (everything AbaHolder.prove and AbaVerifier.verify do, JSON parsing included).
 * Wall-clock medians are the contract; process-CPU medians sit beside them so that figures
 * taken on a loaded, shared machine can still be compared.
 *
 * Runnable alone: `npx tsx bench/crypto/aba.ts` prints the table.
 * bench/crypto/run.ts imports measureAba into bench/results/crypto.json.
 */
import { ABA_FIXTURE_ISSUERS, abaFixtureContext, createAbaWorld, enrolAbaPerson } from '../../libs/crypto/src/aba/aba-fixture';
import { AbaVerifier } from '../../libs/crypto/src/aba/aba-verifier';
import { loadavg } from 'node:os';

/** One row: medians in milliseconds for a presentation over `issuers` credentials. */
export interface AbaBenchRow {
  issuers: number;
  prove_ms: number;
  verify_ms: number;
  /** Process CPU time (user + system) per prove, median. */
  prove_cpu_ms: number;
  /** Process CPU time (user + system) per verify, median. */
  verify_cpu_ms: number;
}

const WARMUP = 3;
const RUNS = 15;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round = (x: number): number => Number(x.toFixed(2));

function timed<T>(run: () => T): { value: T; wall: number; cpu: number } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = run();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { value, wall, cpu: (cpu.user + cpu.system) / 1000 };
}

/** Medians of prove and verify for 1, 2 and 3 issuers; throws if any presentation fails to verify. */
export async function measureAba(): Promise<AbaBenchRow[]> {
  const world = await createAbaWorld();
  const rows: AbaBenchRow[] = [];
  for (const count of [1, 2, 3]) {
    const used = world.issuers.slice(0, count);
    const holder = await enrolAbaPerson(
      world,
      `person:bench-${count}`,
      used.map((issuer) => ({
        issuer,
        attributes: ['role', 'department', 'staff-number'].map((a) => `${a}-${count}@${issuer.issuer}`),
      })),
    );
    const policy = ABA_FIXTURE_ISSUERS.slice(0, count)
      .map((id) => `role-${count}@${id}`)
      .join(' AND ');
    const verifier = await AbaVerifier.create(
      world.issuers.map((i) => i.publicKey()),
      world.opener.publicKey(),
    );
    const context = abaFixtureContext();
    const openerPublicKey = world.opener.publicKey();
    const prove: number[] = [];
    const verify: number[] = [];
    const proveCpu: number[] = [];
    const verifyCpu: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const challenge = AbaVerifier.challenge(world.now);
      // JSON round trip: the verifier sees what travels, not the prover's objects.
      const p = timed(() => JSON.stringify(holder.prove({ policy, challenge, context, openerPublicKey })));
      const v = timed(() => verifier.verify(p.value, { policy, challenge, context, now: world.now }));
      if (v.value.attributes.length !== count) throw new Error(`ABA bench: expected ${count} disclosed attributes`);
      if (i >= WARMUP) {
        prove.push(p.wall);
        verify.push(v.wall);
        proveCpu.push(p.cpu);
        verifyCpu.push(v.cpu);
      }
    }
    rows.push({
      issuers: count,
      prove_ms: round(median(prove)),
      verify_ms: round(median(verify)),
      prove_cpu_ms: round(median(proveCpu)),
      verify_cpu_ms: round(median(verifyCpu)),
    });
  }
  return rows;
}

if (process.argv[1]?.endsWith('aba.ts')) {
  measureAba()
    .then((rows) => {
      console.log(`ABA (BBS + ElGamal trace), medians of ${RUNS} runs; load average ${loadavg().map((x: number) => x.toFixed(1)).join(' ')}`);
      console.table(rows);
      console.log(JSON.stringify({ aba: rows }));
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
