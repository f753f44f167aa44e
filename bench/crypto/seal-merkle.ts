/**
 * Benchmarks of the signcryption envelope and the RFC 6962 Merkle tree (issue 4).
 *
 * measureSeal(): seal and verify-then-open of 4 KiB and 1 MiB records, medians, end to end
 * (AES-256-GCM, wrapping K, EIP-712 signing or recovery, encoding). C2 is made by the real
 * MA-ABE adapter (AbeDataKeyWrapper, RW15) when it loads, else by the in-memory test double;
 * each row names the wrapper used, so results stay comparable.
 * measureMerkle(): inclusion proofs generated and verified per second in a 1,000,000-leaf tree.
 *
 * Runnable alone: `npx tsx bench/crypto/seal-merkle.ts` (prints the figures as JSON).
 * bench/crypto/run.ts imports both functions into bench/results/crypto.json.
 */
import { randomBytes } from 'node:crypto';
import { Wallet } from 'ethers';
import type { DataKeyUnwrapper, DataKeyWrapper } from '../../libs/crypto/src/envelope';
import { envelopeEip712Domain, sealRecord, verifyThenOpen } from '../../libs/crypto/src/envelope';
import { PolicyKeyWrapperTestDouble } from '../../libs/crypto/src/envelope/policy-key-wrapper.test-double';
import { MerkleTree, verifyMerkleInclusion } from '../../libs/crypto/src/merkle';
import { AbeDataKeyUnwrapper, AbeDataKeyWrapper, AbeScheme } from '../../libs/crypto/src/abe';
import { loadPairingBackendByName, type PairingBackend, type PairingBackendName } from '../../libs/crypto/src/pairing';

/** One row of the seal benchmark. */
export interface SealBenchRow {
  bytes: number;
  seal_ms: number;
  open_ms: number;
  /** Which DataKeyWrapper produced C2, e.g. "abe-rw15/native" or "test-double". */
  wrapper: string;
}

/** The Merkle benchmark's result. */
export interface MerkleBenchResult {
  leaves: number;
  proofs_per_s: number;
  verifications_per_s: number;
}

const POLICY = '(doctor@hospital-a AND cardiology@board) OR patient-proxy@registry';
const PATIENT = 'patient-bench';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round = (x: number, digits = 3): number => Number(x.toFixed(digits));

interface WrapperPair {
  name: string;
  wrapper: DataKeyWrapper;
  unwrapper: DataKeyUnwrapper;
}

/** The RW15 adapter on the best backend that loads, with keys satisfying POLICY; undefined if unavailable. */
async function abeWrapper(): Promise<WrapperPair | undefined> {
  try {
    const forced = process.env['CARECHAIN_PAIRING_BACKEND'];
    const order: PairingBackendName[] = forced === 'wasm' || forced === 'native' ? [forced] : ['native', 'wasm'];
    let backend: PairingBackend | undefined;
    let backendName = '';
    for (const name of order) {
      try {
        backend = await loadPairingBackendByName(name);
        backendName = name;
        break;
      } catch {
        // try the next backend
      }
    }
    if (backend === undefined) return undefined;
    const scheme = new AbeScheme(backend);
    const authorities = new Map(['hospital-a', 'board', 'registry'].map((a) => [a, scheme.setupAuthority(a)]));
    const directory = (authority: string) => authorities.get(authority)?.publicKey;
    const gid = 'bench-user';
    const keys = [
      scheme.keygen(authorities.get('hospital-a')!.secretKey, gid, 'doctor', 0),
      scheme.keygen(authorities.get('board')!.secretKey, gid, 'cardiology', 0),
    ];
    const pair: WrapperPair = {
      name: `abe-rw15/${backendName}`,
      wrapper: new AbeDataKeyWrapper(scheme, directory),
      unwrapper: new AbeDataKeyUnwrapper(scheme, scheme.userKeySet(gid, keys)),
    };
    // Timing an adapter that does not round-trip would time nothing meaningful.
    const probe = new Uint8Array(randomBytes(32));
    const back = await pair.unwrapper.unwrap(await pair.wrapper.wrap(probe, POLICY));
    if (!Buffer.from(back).equals(Buffer.from(probe))) throw new Error('the adapter returned a different data key');
    return pair;
  } catch (err) {
    process.stderr.write(`[seal bench] MA-ABE adapter unavailable or failing its wrap/unwrap self-check, using the test double: ${String(err)}\n`);
    return undefined;
  }
}

/** Seal and verify-then-open medians at 4 KiB and 1 MiB. */
export async function measureSeal(): Promise<SealBenchRow[]> {
  const pair: WrapperPair = (await abeWrapper()) ?? (() => {
    const td = new PolicyKeyWrapperTestDouble();
    return { name: 'test-double', wrapper: td, unwrapper: td.unwrapperFor([POLICY]) };
  })();
  const patient = Wallet.createRandom();
  const domain = envelopeEip712Domain(31337);
  const registry = { isRegisteredTo: async (address: string, pseudonym: string) => pseudonym === PATIENT && address === patient.address };
  const sizes = [4096, 1024 * 1024];
  const records = sizes.map((bytes) => randomBytes(bytes));
  const sealTimes = sizes.map((): number[] => []);
  const openTimes = sizes.map((): number[] => []);
  const warmup = 5;
  const runs = 21;
  // Sizes alternate within each round so that load on the shared machine drifts over both alike.
  for (let i = 0; i < warmup + runs; i++) {
    for (let s = 0; s < sizes.length; s++) {
      const t0 = performance.now();
      const { envelope } = await sealRecord({ record: records[s], patientPseudonym: PATIENT, recordId: `rec-${i}`, policy: POLICY }, { domain, signer: patient, wrapper: pair.wrapper });
      const t1 = performance.now();
      const opened = await verifyThenOpen(envelope, { domain, registry, unwrapper: pair.unwrapper });
      const t2 = performance.now();
      if (opened.record.length !== sizes[s]) throw new Error('seal bench: opened record has the wrong length');
      if (i >= warmup) {
        sealTimes[s].push(t1 - t0);
        openTimes[s].push(t2 - t1);
      }
    }
  }
  const rows = sizes.map((bytes, s) => ({ bytes, seal_ms: round(median(sealTimes[s])), open_ms: round(median(openTimes[s])), wrapper: pair.name }));
  return rows;
}

/** Inclusion proofs generated and verified per second at 1,000,000 leaves (median of 5 rounds). */
export async function measureMerkle(leaves = 1_000_000): Promise<MerkleBenchResult> {
  const tree = new MerkleTree();
  const entry = Buffer.alloc(64);
  for (let i = 0; i < leaves; i++) {
    entry.writeUInt32BE(i, 0);
    tree.appendLeaf(entry);
  }
  const root = tree.root();
  const batch = 20_000;
  const indices = Array.from({ length: batch }, () => Math.floor(Math.random() * leaves));
  const proofRates: number[] = [];
  const verifyRates: number[] = [];
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    const proofs = indices.map((i) => tree.inclusionProof(i));
    const t1 = performance.now();
    for (let k = 0; k < batch; k++) verifyMerkleInclusion(tree.leafHash(indices[k]), indices[k], leaves, proofs[k], root);
    const t2 = performance.now();
    proofRates.push(batch / ((t1 - t0) / 1000));
    verifyRates.push(batch / ((t2 - t1) / 1000));
  }
  return { leaves, proofs_per_s: Math.round(median(proofRates)), verifications_per_s: Math.round(median(verifyRates)) };
}

if (require.main === module) {
  void (async () => {
    const seal = await measureSeal();
    const merkle = await measureMerkle();
    process.stdout.write(JSON.stringify({ seal, merkle }, null, 2) + '\n');
  })();
}
