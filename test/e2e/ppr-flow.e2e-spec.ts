/**
 * Issue 5's main acceptance end to end, through the built services only: 1,000 `ppr.requested`
 * events for 50 patients across 3 providers go over the real broker to the chain-relay
 * process, which batches them onto the proof-of-work chain; the registry process indexes the
 * ledger and serves each patient's Summary. The test then checks, from chain data alone, that
 * every announced inclusion proof verifies against the root the ledger logged, and that every
 * served Summary equals what a verifier recomputes (and what the test itself expects).
 * A second test runs EHR add and modify from the provider's side: records uploaded to the
 * provider-storage process are anchored by the relay and only then become visible there.
 */
import {
  BatchTree,
  ChainError,
  ChainErrorCode,
  operationLeafHash,
  PprLedger__factory,
  pprOperationKind,
  PseudonymKind,
  Registrar__factory,
  RegistrarRole,
  verifyPatientSummary,
  type PprOperation,
} from '@carechain/chain';
import { decodeEvent, encodeEvent, PprAnchored, PprRequested, RecordCommitted, RecordFailed, type EventDefinition } from '@carechain/contracts';
import { verifyMerkleInclusion } from '@carechain/crypto';
import { getInfrastructure, type Infrastructure } from '@carechain/testing';
import { getBytes, hexlify, JsonRpcProvider, NonceManager, randomBytes, sha256, Wallet, ZeroHash } from 'ethers';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import type { z } from 'zod';
import { deployPlatformContracts } from '../../scripts/lib/platform-contracts';
import { registrationStatement } from '../../services/registry/src/domain/identity';
import { freePorts } from '../../libs/testing/src/engine/free-ports';
import {
  DEFAULT_SERVICE_PORTS,
  platformServiceSpecs,
  startServices,
  type PlatformContracts,
  type RunningServices,
  type ServiceName,
} from '../../libs/testing/src/services';

/** Dev account that enrols this file's patients as a second relay party; no other test file uses it. */
const ENROLLER = 16;
const PATIENTS = 50;
const OPS_PER_PATIENT = 20;
const K = 3;

type Requested = z.input<typeof PprRequested.schema>;
type Anchored = z.output<typeof PprAnchored.schema>;
interface ServedSummary {
  patient: { pseudonym: string; index: number };
  atBlock: { number: number; hash: string };
  head: string;
  operations: { pprId: string; anchor: { txHash: string; leafIndex: number; batchId: string; batchSize: number; inclusionProof: string[] } }[];
  live: { pprId: string; provider: number; pprHash: string; policyHash?: string; history: string[] }[];
}

const id32 = () => hexlify(randomBytes(32));
/** The ledger keeps the first 16 bytes of a request's 32-byte id (see docs/chain.md). */
const ledgerId = (pprId: string) => pprId.slice(0, 34);

let infra: Infrastructure;
let contracts: PlatformContracts;
let provider: JsonRpcProvider;
let platform: RunningServices;
let kafka: Kafka;
let producer: Producer;
let patients: string[];
let providers: string[];
const index = new Map<string, number>();

beforeAll(async () => {
  infra = await getInfrastructure();
  contracts = await deployPlatformContracts(infra);
  const node = infra.chain.nodes.find((n) => n.name === 'provider') ?? infra.chain.nodes[0];
  provider = new JsonRpcProvider(node.rpcUrl, infra.chain.chainId, { staticNetwork: true, cacheTimeout: -1, pollingInterval: 250 });

  // Three health providers and 50 patient pseudonyms, enrolled by a second relay party so the
  // platform relay's own nonces are left to the running service.
  const owner = new NonceManager(new Wallet(infra.chain.accounts[0].privateKey, provider));
  const registrar = Registrar__factory.connect(contracts.registrarAddress, owner);
  const enroller = new Wallet(infra.chain.accounts[ENROLLER].privateKey, provider);
  providers = [0, 1, 2].map(() => Wallet.createRandom().address.toLowerCase());
  const parties = [
    await registrar.registerParty(enroller.address, RegistrarRole.Relay, 'e2e enrolment relay', ZeroHash),
    ...(await Promise.all(providers.map((p, i) => registrar.registerParty(p, RegistrarRole.Provider, `e2e provider ${i}`, id32())))),
  ];
  await Promise.all(parties.map((tx) => tx.wait()));
  patients = Array.from({ length: PATIENTS }, () => Wallet.createRandom().address.toLowerCase());
  await (await registrar.connect(enroller).registerPseudonyms(PseudonymKind.Patient, patients)).wait();
  for (const p of patients) index.set(p, Number(await registrar.pseudonymIndexOf(p)));
  for (const p of providers) index.set(p, Number(await registrar.partyIndexOf(p)));

  const names = Object.keys(DEFAULT_SERVICE_PORTS) as ServiceName[];
  const ports = Object.fromEntries((await freePorts(names.length)).map((port, i) => [names[i], port])) as Record<ServiceName, number>;
  const specs = platformServiceSpecs(infra, contracts, ports, { databasePrefix: `e2eppr${Date.now().toString(36)}`, logLevel: 'warn' });
  platform = await startServices(
    specs.filter((s) => s.name === 'registry' || s.name === 'chain-relay' || s.name === 'provider-storage').map((s) => (s.name === 'chain-relay' ? { ...s, env: { ...s.env, RELAY_CONFIRMATIONS: String(K) } } : s)),
    { readyTimeoutMs: 120_000 },
  );
  kafka = new Kafka({ clientId: 'e2e-ppr', brokers: infra.kafka.brokers, logLevel: logLevel.NOTHING });
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
}, 300_000);

afterAll(async () => {
  await producer?.disconnect();
  await platform?.stop();
  provider?.destroy();
});

/**
 * Twenty operations per patient in an order the Summary rules accept: adds at all three
 * providers, modifies that replace a live link, policy changes, deletes. Returns the requests
 * and, per patient, the live ledger ids the test itself expects afterwards.
 */
function plan(): { requests: Requested[]; live: Map<string, Set<string>> } {
  const requests: Requested[] = [];
  const live = new Map<string, Set<string>>();
  for (const [p, patient] of patients.entries()) {
    const links: string[] = [];
    const push = (r: Omit<Requested, 'patient' | 'requestedAt'>) => requests.push({ ...r, patient, requestedAt: new Date().toISOString() });
    for (let j = 0; j < OPS_PER_PATIENT; j++) {
      const at = providers[(p + j) % providers.length];
      const step = j % 5;
      if (step === 3 && links.length > 1) {
        const replaced = links.shift()!;
        const pprId = id32();
        links.push(pprId);
        push({ kind: 'modify', pprId, provider: at, pprHash: id32(), replacedPprId: replaced });
      } else if (step === 4 && links.length > 2) {
        push({ kind: j % 10 === 4 ? 'delete' : 'policy', pprId: links[0], provider: at, pprHash: j % 10 === 4 ? ZeroHash : id32() });
        if (j % 10 === 4) links.shift();
      } else {
        const pprId = id32();
        links.push(pprId);
        push({ kind: 'add', pprId, provider: at, pprHash: id32() });
      }
    }
    live.set(patient, new Set(links.map(ledgerId)));
  }
  return { requests, live };
}

function ledgerOperation(r: Requested): PprOperation {
  return {
    kind: pprOperationKind(r.kind),
    pprId: ledgerId(r.pprId),
    patient: index.get(r.patient)!,
    provider: index.get(r.provider)!,
    pprHash: r.pprHash,
    ...(r.replacedPprId ? { replacedPprId: ledgerId(r.replacedPprId) } : {}),
  };
}

/**
 * Collects one event type from now on. The group's offsets are set to the topic's end before it
 * joins, so nothing published after this returns is missed, however late the join completes.
 */
async function collectFromNow<D extends EventDefinition>(definition: D, groupId: string): Promise<{ consumer: Consumer; items: z.output<D['schema']>[]; ids: string[] }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(definition.topic);
    await admin.setOffsets({ groupId, topic: definition.topic, partitions: offsets.map((o) => ({ partition: o.partition, offset: o.high })) });
  } finally {
    await admin.disconnect();
  }
  const consumer = kafka.consumer({ groupId });
  const items: z.output<D['schema']>[] = [];
  const ids: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: definition.topic });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const event = decodeEvent(definition, { key: message.key, value: message.value, headers: message.headers });
      items.push(event.data);
      ids.push(event.id);
    },
  });
  return { consumer, items, ids };
}

const collectAnchored = (groupId: string) => collectFromNow(PprAnchored, groupId) as Promise<{ consumer: Consumer; items: Anchored[] }>;

function countBy(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

async function waitFor(what: string, ok: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

it('anchors 1,000 requests for 50 patients across 3 providers through the relay, and the registry serves Summaries a verifier recomputes from chain data alone', async () => {
  const { requests, live } = plan();
  expect(requests).toHaveLength(PATIENTS * OPS_PER_PATIENT);
  const anchored = await collectAnchored(`e2e-ppr-${Date.now().toString(36)}`);
  try {
    for (let i = 0; i < requests.length; i += 250) {
      const records = requests.slice(i, i + 250).map((data) => encodeEvent(PprRequested, data, { source: 'carechain://e2e', key: data.patient }));
      await producer.send({ topic: PprRequested.topic, acks: -1, messages: records.map((r) => ({ key: r.key, value: r.value, headers: r.headers })) });
    }
    // Every request must stand in an announcement, k-confirmed, whose proof verifies against the
    // root the ledger logged in that transaction. Delete and policy operations name the pprId of
    // the link they change, so a leaf is matched against every request with the announced pprId.
    // Announcements withdrawn by a natural reorg between the miners have no receipt any more.
    const ledger = PprLedger__factory.connect(contracts.ledgerAddress, provider);
    const roots = new Map<string, string | null>();
    const verified = new Set<Requested>();
    const byPprId = new Map<string, Requested[]>();
    for (const r of requests) byPprId.set(r.pprId, [...(byPprId.get(r.pprId) ?? []), r]);
    let checked = 0;
    await waitFor('every request announced k-confirmed with a verifying proof', async () => {
      for (; checked < anchored.items.length; checked++) {
        const a = anchored.items[checked];
        if (!roots.has(a.txHash)) {
          const receipt = await provider.getTransactionReceipt(a.txHash);
          const committed = receipt?.logs.map((l) => ledger.interface.parseLog(l)).find((l) => l?.name === 'BatchCommitted');
          roots.set(a.txHash, committed ? (committed.args.getValue('root') as string) : null);
        }
        const root = roots.get(a.txHash);
        if (!root) continue;
        expect(a.batchRoot).toBe(root);
        expect(a.confirmations).toBeGreaterThanOrEqual(K);
        for (const r of byPprId.get(a.pprId) ?? []) {
          const leaf = operationLeafHash(ledgerOperation(r));
          try {
            verifyMerkleInclusion(leaf, a.leafIndex, a.batchSize, a.inclusionProof.map((h) => getBytes(h)), getBytes(root));
            verified.add(r);
          } catch {
            // another operation on the same link
          }
        }
      }
      return verified.size === requests.length;
    }, 480_000).catch((error: Error) => {
      const missing = requests.filter((r) => !verified.has(r));
      throw new Error(`${error.message}: ${missing.length} not anchored, by kind ${JSON.stringify(countBy(missing.map((r) => r.kind)))}`);
    });

    // Every announcement names the provider its PPR names, so providers can skip the others'.
    expect(new Set(anchored.items.map((a) => a.provider))).toEqual(new Set(providers));

    // The registry's Summary for every patient equals the verifier's, read at the block it names.
    const registry = platform.get('registry').url;
    for (const patient of patients) {
      let served: ServedSummary | undefined;
      await waitFor(`the registry to index patient ${patient}`, async () => {
        const res = await fetch(`${registry}/v1/patients/${patient}/summary`);
        if (res.status !== 200) return false;
        served = (await res.json()) as ServedSummary;
        return served.operations.length === OPS_PER_PATIENT;
      }, 120_000);
      const s = served!;
      expect(s.patient.index).toBe(index.get(patient));
      const v = await verifyPatientSummary(provider, { address: contracts.ledgerAddress, fromBlock: contracts.ledgerDeployBlock }, index.get(patient)!, {
        atBlock: s.atBlock.number,
      });
      expect(v.headMatches).toBe(true);
      expect(s.head).toBe(v.onChainHead.toLowerCase());
      expect(v.operations).toHaveLength(OPS_PER_PATIENT);
      expect(s.operations.map((o) => [o.anchor.txHash, o.anchor.leafIndex])).toEqual(v.operations.map((o) => [o.txHash, o.leafIndex]));
      expect(s.live.map((l) => l.pprId).sort()).toEqual([...v.summary.keys()].sort());
      expect(new Set(s.live.map((l) => l.pprId))).toEqual(live.get(patient));
      expect(new Set(s.live.map((l) => l.provider)).size).toBeGreaterThanOrEqual(2);
      for (const [i, op] of s.operations.entries()) {
        const leaf = new BatchTree([v.operations[i].operation]).leafHashes[0];
        const root = getBytes(await ledger.batchRoot(BigInt(op.anchor.batchId)));
        expect(() => verifyMerkleInclusion(leaf, op.anchor.leafIndex, op.anchor.batchSize, op.anchor.inclusionProof.map((h) => getBytes(h)), root)).not.toThrow();
      }
    }
  } finally {
    await anchored.consumer.disconnect();
  }
}, 900_000);

/** A patient registers its own address with the registry (it signs its registration statement). */
async function registerPatient(wallet: Pick<Wallet, 'address' | 'signMessage'>): Promise<void> {
  const issuedAt = new Date();
  const signature = await wallet.signMessage(registrationStatement(wallet.address, 'patient', issuedAt));
  const res = await fetch(`${platform.get('registry').url}/v1/identities`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ address: wallet.address, role: 'patient', issuedAt: issuedAt.toISOString(), signature }),
  });
  expect(res.status).toBe(201);
  expect(await res.json()).toMatchObject({ chain: { state: 'pending' } });
}

/** Waits until the registry has enrolled each address on chain; returns their Registrar indexes. */
async function enrolledIndexes(addresses: string[]): Promise<Map<string, number>> {
  const enrolled = new Map<string, number>();
  await waitFor('the registry to enrol the patients k blocks deep', async () => {
    for (const p of addresses) {
      const body = (await (await fetch(`${platform.get('registry').url}/v1/identities/${p}`)).json()) as { chain?: { state: string; index?: number } };
      if (body.chain?.state === 'enrolled') enrolled.set(p, body.chain.index!);
    }
    return enrolled.size === addresses.length;
  }, 120_000);
  return enrolled;
}

interface ServedRecord {
  version: number;
  state: string;
  pprId: string;
  pprHash: string;
  sealed?: string;
  anchor?: { blockNumber: number; blockHash: string; txHash: string; confirmations: number };
  failure?: { code: string; reason: string };
}

const sealedBytes = (text: string) => Buffer.from(`sealed envelope ${text}`);

/** Uploads a sealed record version to the provider; returns the HTTP status and body. */
async function uploadRecord(recordId: string, patient: string, version: number, bytes: Buffer): Promise<{ status: number; body: ServedRecord }> {
  const res = await fetch(`${platform.get('provider-storage').url}/v1/records`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ recordId, patient, version, sealed: bytes.toString('base64') }),
  });
  return { status: res.status, body: (await res.json()) as ServedRecord };
}

async function readRecord(recordId: string, version?: number): Promise<{ status: number; body: ServedRecord }> {
  const res = await fetch(`${platform.get('provider-storage').url}/v1/records/${recordId}${version ? `?version=${version}` : ''}`);
  return { status: res.status, body: (await res.json()) as ServedRecord };
}

it('registers patients through the registry, which enrols them on chain; their records uploaded to a provider are committed only once the relay has anchored them', async () => {
  // Two patients register themselves with the registry (each signs its own statement); the
  // registry's enroller puts them into the on-chain Registrar, which the relay requires.
  const registry = platform.get('registry').url;
  const [aliceKey, bobKey] = [0, 1].map(() => Wallet.createRandom());
  const [alice, bob] = [aliceKey, bobKey].map((w) => w.address.toLowerCase());
  await registerPatient(aliceKey);
  await registerPatient(bobKey);
  const registrar = Registrar__factory.connect(contracts.registrarAddress, provider);
  const enrolled = await enrolledIndexes([alice, bob]);
  for (const [p, i] of enrolled) expect(Number(await registrar.pseudonymIndexOf(p))).toBe(i);
  const aliceIndex = enrolled.get(alice)!;
  const storage = `${platform.get('provider-storage').url}/v1/records`;
  const committed = await collectFromNow(RecordCommitted, `e2e-records-${Date.now().toString(36)}`);
  const run = Date.now().toString(36);
  const sealed = sealedBytes;
  const upload = async (recordId: string, patient: string, version: number, bytes: Buffer) => {
    const { status, body } = await uploadRecord(recordId, patient, version, bytes);
    expect(status).toBe(202);
    return body;
  };
  const read = readRecord;

  try {
    const labs = `labs-${run}`;
    const scan = `scan-${run}`;
    const labsV1 = await upload(labs, alice, 1, sealed('labs v1'));
    const scanV1 = await upload(scan, bob, 1, sealed('scan v1'));
    expect(labsV1).toMatchObject({ state: 'pending', pprHash: sha256(sealed('labs v1')) });
    // Nothing is visible until anchored: the latest is 404, the version itself has no bytes.
    expect((await read(labs)).status).toBe(404);
    expect((await read(labs, 1)).body).toMatchObject({ state: 'pending' });
    expect((await read(labs, 1)).body.sealed).toBeUndefined();
    // A version with a gap is refused; version 2 replaces version 1.
    const gap = await fetch(storage, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ recordId: labs, patient: alice, version: 3, sealed: sealed('labs v3').toString('base64') }),
    });
    expect(gap.status).toBe(409);
    const labsV2 = await upload(labs, alice, 2, sealed('labs v2'));

    let latestLabs: ServedRecord | undefined;
    let latestScan: ServedRecord | undefined;
    await waitFor('both records committed at their newest version', async () => {
      [latestLabs, latestScan] = await Promise.all([read(labs), read(scan)]).then((r) => r.map((x) => (x.status === 200 ? x.body : undefined)));
      return latestLabs?.version === 2 && latestScan?.version === 1;
    }, 240_000);
    for (const [served, bytes] of [
      [latestLabs!, sealed('labs v2')],
      [latestScan!, sealed('scan v1')],
    ] as const) {
      expect(served.state).toBe('committed');
      expect(Buffer.from(served.sealed!, 'base64')).toEqual(bytes);
      expect(served.anchor!.confirmations).toBeGreaterThanOrEqual(K);
      // The anchor is on this chain: the transaction is in the block the provider names.
      const receipt = await provider.getTransactionReceipt(served.anchor!.txHash);
      expect(receipt?.blockHash).toBe(served.anchor!.blockHash);
    }
    expect((await read(labs, 1)).body).toMatchObject({ state: 'committed', pprId: labsV1.pprId });

    await waitFor('record.committed for each version', () => committed.items.length >= 3, 60_000);
    expect(new Set(committed.ids)).toEqual(new Set([labsV1, labsV2, scanV1].map((v) => `record.committed:${v.pprId}`)));
    expect(committed.items.find((e) => e.pprId === labsV2.pprId)).toMatchObject({ recordId: labs, patient: alice, operation: 'modify', version: 2 });

    // The registry's Summary links version 2 in place of version 1, with version 1 in its history.
      let live: ServedSummary['live'] = [];
    await waitFor(`the registry to index ${alice}`, async () => {
      const res = await fetch(`${registry}/v1/patients/${alice}/summary`);
      if (res.status !== 200) return false;
      live = ((await res.json()) as ServedSummary).live;
      return live.some((l) => l.pprId === ledgerId(labsV2.pprId));
    }, 120_000);
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({ pprId: ledgerId(labsV2.pprId), pprHash: labsV2.pprHash, history: [ledgerId(labsV1.pprId)] });
    // From chain data alone, at a k-deep block; a natural reorg between the two miners during
    // the read makes the verifier refuse (InconsistentChainData), and it is read again.
    let verified: Awaited<ReturnType<typeof verifyPatientSummary>> | undefined;
    await waitFor('a verification from chain data alone', async () => {
      try {
        const atBlock = (await provider.getBlockNumber()) - K;
        verified = await verifyPatientSummary(provider, { address: contracts.ledgerAddress, fromBlock: contracts.ledgerDeployBlock }, aliceIndex, { atBlock });
        return true;
      } catch (error) {
        if (error instanceof ChainError && error.code === ChainErrorCode.InconsistentChainData) return false;
        throw error;
      }
    }, 60_000);
    expect([...verified!.summary.keys()]).toEqual([ledgerId(labsV2.pprId)]);
  } finally {
    await committed.consumer.disconnect();
  }
}, 600_000);

it('fails a record whose patient the relay does not know yet with the relay\'s reason, and commits the same upload once the patient is enrolled', async () => {
  const failed = await collectFromNow(RecordFailed, `e2e-failed-${Date.now().toString(36)}`);
  try {
    const patientKey = Wallet.createRandom();
    const patient = patientKey.address.toLowerCase();
    const recordId = `early-${Date.now().toString(36)}`;
    const bytes = sealedBytes('uploaded before registration');
    expect((await uploadRecord(recordId, patient, 1, bytes)).status).toBe(202);

    // The relay dead-letters the request (UNKNOWN_PATIENT); the provider turns that into a failed version.
    let served: ServedRecord | undefined;
    await waitFor('the version to fail', async () => {
      served = (await readRecord(recordId, 1)).body;
      return served.state === 'failed';
    }, 120_000);
    expect(served!.failure).toMatchObject({ code: 'UNKNOWN_PATIENT', reason: expect.stringContaining(patient) });
    expect(served!.sealed).toBeUndefined();
    await waitFor('record.failed', () => failed.items.some((e) => e.recordId === recordId), 60_000);
    expect(failed.items.find((e) => e.recordId === recordId)).toMatchObject({ patient, operation: 'add', code: 'UNKNOWN_PATIENT' });

    // Once registered and enrolled, the same bytes ask again and are committed.
    await registerPatient(patientKey);
    await enrolledIndexes([patient]);
    const retry = await uploadRecord(recordId, patient, 1, bytes);
    expect(retry.status).toBe(202);
    expect(retry.body).toMatchObject({ state: 'pending' });
    await waitFor('the retried version to be committed', async () => (await readRecord(recordId)).status === 200, 240_000);
    const committed = (await readRecord(recordId)).body;
    expect(committed).toMatchObject({ state: 'committed', version: 1 });
    expect(committed.failure).toBeUndefined();
    expect(Buffer.from(committed.sealed!, 'base64')).toEqual(bytes);
  } finally {
    await failed.consumer.disconnect();
  }
}, 600_000);
