import {
  BatchTree,
  deployChainContracts,
  foldPatientChain,
  PprLedger__factory,
  PprOperationKind,
  pprKindName,
  PseudonymKind,
  RegistrarRole,
  sendBatch,
  verifyPatientSummary,
  type ChainDeployment,
  type PprLedger,
  type PprKindName,
  type PprOperation,
} from '@carechain/chain';
import { deadLetterTopic, DeadLetterHeader, encodeEvent, PprAnchored } from '@carechain/contracts';
import { verifyMerkleInclusion } from '@carechain/crypto';
import { bootstrapService } from '@carechain/platform';
import { getInfrastructure } from '@carechain/testing';
import type { INestApplication } from '@nestjs/common';
import { getBytes, hexlify, JsonRpcProvider, NonceManager, randomBytes, Wallet, ZeroHash } from 'ethers';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import mongoose from 'mongoose';
import { AddressInfo } from 'node:net';
import { AppModule } from '../src/app.module';
import { registryConfigSchema } from '../src/config';
import { registerIdentity } from './identity-client';

// Accounts 13 and 14 of the dev mnemonic are this file's alone, so its nonces never race another file's.
const OWNER = 13;
const RELAY = 14;
const PATIENTS = 50;
/** Extra adds per patient in the bulk batch, so the run anchors about 1,000 operations (issue 5's scale). */
const BULK_ADDS = 14;

interface ServedAnchor {
  blockNumber: number;
  blockHash: string;
  txHash: string;
  batchId: string;
  batchRoot: string;
  batchSize: number;
  leafIndex: number;
  inclusionProof: string[];
  patientHeadAfter: string;
}
interface ServedSummary {
  patient: { pseudonym: string; index: number };
  ledger: { address: string; deployBlock: number };
  atBlock: { number: number; hash: string };
  head: string;
  operations: { kind: string; pprId: string; provider: number; pprHash: string; replacedPprId?: string; anchor: ServedAnchor }[];
  live: { pprId: string; provider: number; pprHash: string; policyHash?: string; history: string[]; linkedBy: ServedAnchor; policyBy?: ServedAnchor }[];
}

const id16 = () => hexlify(randomBytes(16));
const hash32 = () => hexlify(randomBytes(32));

describe('registry Summary index on the proof-of-work chain and Kafka', () => {
  let provider: JsonRpcProvider;
  let deployment: ChainDeployment;
  let ledger: PprLedger;
  let relay: Wallet;
  let providers: number[];
  let pseudonyms: string[];
  let patients: number[];
  let app: INestApplication;
  let baseUrl: string;
  let mongoUrl: string;
  let kafka: Kafka;
  let producer: Producer;
  let lastBlock = 0;
  /** Live ids per patient as the test itself tracks them, to build valid follow-up operations. */
  const liveIds = new Map<number, { pprId: string; provider: number }[]>();

  const get = async (path: string) => {
    const res = await fetch(`${baseUrl}${path}`);
    const body: unknown = await res.json();
    return { status: res.status, body };
  };

  const commit = async (ops: PprOperation[]) => {
    const sent = await sendBatch(ledger, ops);
    const receipt = await sent.tx.wait();
    expect(receipt?.status).toBe(1);
    lastBlock = Math.max(lastBlock, receipt!.blockNumber);
    return { sent, receipt: receipt! };
  };

  /** Waits until the registry has indexed through the last committed block. */
  const waitIndexed = async (pseudonym: string) => {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const { status, body } = await get(`/v1/patients/${pseudonym}/summary`);
      if (status === 200 && (body as ServedSummary).atBlock.number >= lastBlock) return body as ServedSummary;
      if (Date.now() > deadline) throw new Error(`not indexed through ${lastBlock}: ${status} ${JSON.stringify(body).slice(0, 300)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  };

  beforeAll(async () => {
    const infra = await getInfrastructure();
    const node = infra.chain.nodes.find((n) => n.name === 'provider') ?? infra.chain.nodes[0];
    provider = new JsonRpcProvider(node.rpcUrl, infra.chain.chainId, { staticNetwork: true, pollingInterval: 200, cacheTimeout: -1 });
    const owner = new NonceManager(new Wallet(infra.chain.accounts[OWNER].privateKey, provider));
    relay = new Wallet(infra.chain.accounts[RELAY].privateKey, provider);

    deployment = await deployChainContracts(owner);
    ledger = PprLedger__factory.connect(deployment.ledgerAddress, relay);
    const registrar = deployment.registrar;
    await (await registrar.registerParty(relay.address, RegistrarRole.Relay, 'relay', ZeroHash)).wait();
    providers = [];
    for (const name of ['provider A', 'provider B', 'provider C']) {
      await (await registrar.registerParty(Wallet.createRandom().address, RegistrarRole.Provider, name, ZeroHash)).wait();
      providers.push(Number(await registrar.partyCount()) - 1);
    }
    const first = Number(await registrar.pseudonymCount());
    pseudonyms = Array.from({ length: PATIENTS }, () => Wallet.createRandom().address.toLowerCase());
    await (await registrar.connect(relay).registerPseudonyms(PseudonymKind.Patient, pseudonyms)).wait();
    patients = pseudonyms.map((_, i) => first + i);

    mongoUrl = infra.mongo.url.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?/, `$1/registry-summary-int-${Date.now()}`);
    const config = registryConfigSchema.parse({
      PORT: '1',
      LOG_LEVEL: 'warn',
      KAFKA_BROKERS: infra.kafka.brokers.join(','),
      KAFKA_HANDLER_ATTEMPTS: '2',
      MONGO_URL: mongoUrl,
      ETH_RPC_URL: node.rpcUrl,
      CHAIN_ID: String(infra.chain.chainId),
      ETH_POLLING_INTERVAL_MS: '200',
      PPR_LEDGER_ADDRESS: deployment.ledgerAddress,
      PPR_LEDGER_DEPLOY_BLOCK: String(deployment.ledgerDeployBlock),
      SUMMARY_CONFIRMATIONS: '1',
      SUMMARY_POLL_INTERVAL_MS: '300',
      SUMMARY_SWEEP_INTERVAL_MS: '5000',
    });
    app = await bootstrapService({ service: 'registry', description: 'test', module: AppModule.forRoot(config), host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;

    kafka = new Kafka({ clientId: 'registry-summary-int', brokers: infra.kafka.brokers, logLevel: logLevel.NOTHING });
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await app?.close();
    provider?.destroy();
  });

  it('indexes several patients across providers and serves Summaries a verifier recomputes from chain data alone', async () => {
    // Batch 1: every patient gets one PPR at each provider.
    const adds: PprOperation[] = [];
    for (const patient of patients) {
      const mine = providers.map((p) => ({ pprId: id16(), provider: p }));
      liveIds.set(patient, mine);
      for (const { pprId, provider: p } of mine) adds.push({ kind: PprOperationKind.Add, pprId, patient, provider: p, pprHash: hash32() });
    }
    await commit(adds);

    // Batch 2: modify replaces, policy changes swap, delete unlinks, plus new adds.
    const changes: PprOperation[] = [];
    patients.forEach((patient, i) => {
      const mine = liveIds.get(patient)!;
      const replacement = id16();
      changes.push({ kind: PprOperationKind.Modify, pprId: replacement, patient, provider: mine[0].provider, pprHash: hash32(), replacedPprId: mine[0].pprId });
      mine[0] = { pprId: replacement, provider: mine[0].provider };
      changes.push({ kind: PprOperationKind.Policy, pprId: mine[1].pprId, patient, provider: mine[1].provider, pprHash: hash32() });
      if (i % 2 === 0) {
        changes.push({ kind: PprOperationKind.Delete, pprId: mine[2].pprId, patient, provider: mine[2].provider, pprHash: ZeroHash });
        mine.splice(2, 1);
      }
      const extra = { pprId: id16(), provider: providers[i % providers.length] };
      changes.push({ kind: PprOperationKind.Add, pprId: extra.pprId, patient, provider: extra.provider, pprHash: hash32() });
      mine.push(extra);
    });
    await commit(changes);

    // Batch 3: the bulk, BULK_ADDS more links per patient spread over the three providers.
    const bulk: PprOperation[] = [];
    patients.forEach((patient, i) => {
      for (let j = 0; j < BULK_ADDS; j++) {
        const link = { pprId: id16(), provider: providers[(i + j) % providers.length] };
        liveIds.get(patient)!.push(link);
        bulk.push({ kind: PprOperationKind.Add, pprId: link.pprId, patient, provider: link.provider, pprHash: hash32() });
      }
    });
    await commit(bulk);

    // Batch 4: only some patients, so Summaries advance unevenly.
    const more: PprOperation[] = patients.slice(0, 10).map((patient) => {
      const mine = liveIds.get(patient)!;
      const replacement = id16();
      const op: PprOperation = { kind: PprOperationKind.Modify, pprId: replacement, patient, provider: mine[0].provider, pprHash: hash32(), replacedPprId: mine[0].pprId };
      mine[0] = { pprId: replacement, provider: mine[0].provider };
      return op;
    });
    await commit(more);

    const committedAt = Date.now();
    await waitIndexed(pseudonyms[0]);
    const total = adds.length + changes.length + bulk.length + more.length;
    console.log(`${total} operations for ${PATIENTS} patients in 4 batches; indexed through block ${lastBlock} ${Date.now() - committedAt} ms after the last receipt`);
    expect(total).toBeGreaterThanOrEqual(1_000);
    let serving = 0;
    let verifying = 0;
    for (let i = 0; i < PATIENTS; i++) {
      const t0 = Date.now();
      const { status, body } = await get(`/v1/patients/${pseudonyms[i]}/summary`);
      serving += Date.now() - t0;
      expect(status).toBe(200);
      const t1 = Date.now();
      await expectVerifiable(body as ServedSummary, patients[i]);
      verifying += Date.now() - t1;
      // The live links are what the test itself expects, across all three providers.
      const served = body as ServedSummary;
      expect(served.live.map((l) => l.pprId).sort()).toEqual(liveIds.get(patients[i])!.map((l) => l.pprId).sort());
      expect(new Set(served.live.map((l) => l.provider)).size).toBeGreaterThanOrEqual(2);
      expect(served.live.find((l) => l.history.length > 0)).toBeDefined();
      expect(served.live.find((l) => l.policyHash !== undefined)?.policyBy).toBeDefined();
    }
    console.log(`${PATIENTS} Summaries served in ${serving} ms in all; the test's own verification from chain data took ${verifying} ms`);
  }, 600_000);

  /** Checks a served Summary against chain data alone: the verifier's recomputation, the on-chain roots and head. */
  async function expectVerifiable(served: ServedSummary, patient: number) {
    expect(served.patient.index).toBe(patient);
    expect(served.ledger.address).toBe(deployment.ledgerAddress.toLowerCase());
    expect((await provider.getBlock(served.atBlock.number))!.hash).toBe(served.atBlock.hash);
    const v = await verifyPatientSummary(provider, { address: deployment.ledgerAddress, fromBlock: deployment.ledgerDeployBlock }, patient, {
      atBlock: served.atBlock.number,
    });
    expect(v.headMatches).toBe(true);
    expect(served.head).toBe(v.onChainHead.toLowerCase());
    expect(served.operations).toHaveLength(v.operations.length);
    served.operations.forEach((op, i) => {
      const a = v.operations[i];
      expect(op).toEqual({
        kind: pprKindName(a.operation.kind),
        pprId: a.operation.pprId,
        provider: a.operation.provider,
        pprHash: a.operation.pprHash,
        ...(a.operation.replacedPprId ? { replacedPprId: a.operation.replacedPprId } : {}),
        anchor: {
          blockNumber: a.blockNumber,
          blockHash: a.blockHash,
          txHash: a.txHash,
          batchId: a.batchId.toString(),
          batchRoot: a.batchRoot,
          batchSize: a.batchSize,
          leafIndex: a.leafIndex,
          inclusionProof: [...a.proof],
          patientHeadAfter: hexlify(foldPatientChain(v.operations.slice(0, i + 1).map((x) => x.operation))),
        },
      });
    });
    // The live links equal the verifier's materialised Summary.
    const expectedLive = [...v.summary.values()].map((e) => ({ ...e, history: [...e.history] }));
    expect(served.live.map(({ linkedBy: _l, policyBy: _p, ...rest }) => rest).sort((x, y) => x.pprId.localeCompare(y.pprId))).toEqual(
      expectedLive.sort((x, y) => x.pprId.localeCompare(y.pprId)),
    );
    // Every inclusion proof verifies against the root the ledger stored on chain.
    const roots = new Map<string, Uint8Array>();
    for (const op of served.operations) {
      if (!roots.has(op.anchor.batchId)) roots.set(op.anchor.batchId, getBytes(await ledger.batchRoot(BigInt(op.anchor.batchId))));
      const v1 = v.operations.find((a) => a.txHash === op.anchor.txHash && a.leafIndex === op.anchor.leafIndex)!;
      const leaf = new BatchTree([v1.operation]).leafHashes[0];
      expect(() => verifyMerkleInclusion(leaf, op.anchor.leafIndex, op.anchor.batchSize, op.anchor.inclusionProof.map((p) => getBytes(p)), roots.get(op.anchor.batchId)!)).not.toThrow();
    }
    for (const link of served.live) expect(served.operations.some((o) => o.anchor.txHash === link.linkedBy.txHash && o.anchor.leafIndex === link.linkedBy.leafIndex)).toBe(true);
  }

  it('answers 400 for a malformed pseudonym and 404 for one the Registrar does not know', async () => {
    const bad = await get('/v1/patients/not-an-address/summary');
    expect(bad.status).toBe(400);
    expect((bad.body as { code: string }).code).toBe('VALIDATION_FAILED');
    const unknown = await get(`/v1/patients/${Wallet.createRandom().address}/summary`);
    expect(unknown.status).toBe(404);
    expect((unknown.body as { code: string }).code).toBe('NOT_FOUND');
    // A registered patient with no operation yet has the empty Summary at the zero head.
    const fresh = Wallet.createRandom().address.toLowerCase();
    await (await deployment.registrar.connect(relay).registerPseudonyms(PseudonymKind.Patient, [fresh])).wait();
    const empty = await get(`/v1/patients/${fresh}/summary`);
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ head: ZeroHash, operations: [], live: [] });
  });

  it('rebuilds a Summary from chain data when its stored head differs from the chain (a missed operation)', async () => {
    const target = pseudonyms[1];
    const before = (await get(`/v1/patients/${target}/summary`)).body as ServedSummary;
    const connection = await mongoose.createConnection(mongoUrl).asPromise();
    try {
      const collection = connection.collection('patient_summaries');
      const stored = await collection.findOne({ pseudonym: target });
      expect(stored).not.toBeNull();
      const ops = stored!.operations as unknown[];
      // Drop the newest operation, as if its event had been missed, keeping the document self-consistent.
      const dropped = ops.slice(0, -1) as { anchor: { headAfter: string } }[];
      await collection.updateOne({ pseudonym: target }, { $set: { operations: dropped, head: dropped[dropped.length - 1].anchor.headAfter, live: [] } });
    } finally {
      await connection.close();
    }
    const after = await get(`/v1/patients/${target}/summary`);
    expect(after.status).toBe(200);
    expect((after.body as ServedSummary).operations).toHaveLength(before.operations.length);
    await expectVerifiable(after.body as ServedSummary, patients[1]);
  });

  it('cross-checks ppr.anchored against the chain: a consistent notice passes, a contradicting one is dead-lettered, another ledger\'s is skipped', async () => {
    const target = pseudonyms[2];
    const served = (await get(`/v1/patients/${target}/summary`)).body as ServedSummary;
    const op = served.operations[served.operations.length - 1];
    const ownOrigin = { chainId: Number((await provider.getNetwork()).chainId), ledger: deployment.ledgerAddress.toLowerCase() };
    const notice = (inclusionProof: string[], id: string, origin: { chainId?: number; ledger?: string } = {}) =>
      encodeEvent(
        PprAnchored,
        {
          pprId: `${op.pprId}${'ab'.repeat(16)}`,
          kind: op.kind as PprKindName,
          pprHash: op.pprHash,
          patient: target,
          blockNumber: op.anchor.blockNumber,
          blockHash: op.anchor.blockHash,
          txHash: op.anchor.txHash,
          batchRoot: op.anchor.batchRoot,
          batchSize: op.anchor.batchSize,
          leafIndex: op.anchor.leafIndex,
          inclusionProof,
          confirmations: 3,
          anchoredAt: new Date().toISOString(),
          ...origin,
        },
        { source: 'carechain://chain-relay', key: target, id },
      );
    const dlq: Consumer = kafka.consumer({ groupId: `registry-summary-int-dlq-${Date.now()}` });
    const dead: { id?: string; code?: string }[] = [];
    await dlq.connect();
    await dlq.subscribe({ topic: deadLetterTopic(PprAnchored.topic), fromBeginning: true });
    await dlq.run({
      eachMessage: async ({ message }) => {
        dead.push({ id: message.headers?.ce_id?.toString(), code: message.headers?.[DeadLetterHeader.Code]?.toString() });
      },
    });
    try {
      const goodId = `int-good-${Date.now()}`;
      const foreignId = `int-foreign-${Date.now()}`;
      const badId = `int-bad-${Date.now()}`;
      const forged = [...op.anchor.inclusionProof];
      forged[0] = hash32();
      // Another ledger deployment on the same broker: its proof contradicts this chain, and it is skipped, not dead-lettered.
      const otherLedger = { ...ownOrigin, ledger: Wallet.createRandom().address.toLowerCase() };
      await producer.send({
        topic: PprAnchored.topic,
        messages: [notice(op.anchor.inclusionProof, goodId, ownOrigin), notice(forged, foreignId, otherLedger), notice(forged, badId)],
      });
      const deadline = Date.now() + 60_000;
      while (!dead.some((d) => d.id === badId) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      expect(dead.find((d) => d.id === badId)?.code).toBe('ANCHOR_MISMATCH');
      // Same key, same partition: the good and the foreign notices were handled before the bad one, and not dead-lettered.
      expect(dead.some((d) => d.id === goodId)).toBe(false);
      expect(dead.some((d) => d.id === foreignId)).toBe(false);
    } finally {
      await dlq.disconnect();
    }
  });
  it('after a reorg of the node it reads, drops what vanished with the losing fork and serves what the winning chain proves', async () => {
    const infra = await getInfrastructure();
    const readSide = provider;
    const otherNode = infra.chain.nodes.find((n) => n.rpcUrl !== infra.chain.nodes.find((m) => m.name === 'provider')?.rpcUrl) ?? infra.chain.nodes[1];
    const otherSide = new JsonRpcProvider(otherNode.rpcUrl, infra.chain.chainId, { staticNetwork: true, cacheTimeout: -1 });
    const wait = async (what: string, ok: () => Promise<boolean>, ms: number) => {
      const deadline = Date.now() + ms;
      while (!(await ok())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    };
    const [a, b] = [patients[3], patients[4]];
    const doomed: PprOperation[] = [a, b].map((patient) => ({ kind: PprOperationKind.Add, pprId: id16(), patient, provider: providers[0], pprHash: hash32() }));
    let doomedTx = '';
    let doomedBlock = 0;
    let doomedBlockHash = '';
    try {
      await infra.handles.chain.partition();
      // Build on a block of the read side's own fork, so the wrong-fork guard makes the batch revert on the other chain.
      const splitAt = await readSide.getBlockNumber();
      await wait('the read side to mine its own fork', async () => (await readSide.getBlockNumber()) >= splitAt + 2, 60_000);
      const { receipt } = await commit(doomed);
      doomedTx = receipt.hash.toLowerCase();
      doomedBlock = receipt.blockNumber;
      doomedBlockHash = receipt.blockHash.toLowerCase();
      await wait('the registry to index the batch on the read side', async () => {
        const { status, body } = await get(`/v1/patients/${pseudonyms[3]}/summary`);
        return status === 200 && (body as ServedSummary).operations.some((o) => o.anchor.txHash === doomedTx);
      }, 60_000);
      await readSide.send('miner_stop', []);
      const height = await readSide.getBlockNumber();
      // Re-sent while waiting: the node's miner pacer restarts a miner it had paused itself.
      await wait('the other fork to outgrow the read side', async () => {
        await readSide.send('miner_stop', []);
        return (await otherSide.getBlockNumber()) >= height + 3;
      }, 120_000);
      await readSide.send('miner_start', [1]);
      await infra.handles.chain.heal();
    } finally {
      await readSide.send('miner_start', [1]).catch(() => undefined);
      await infra.handles.chain.heal().catch(() => undefined);
      otherSide.destroy();
    }
    // The block that carried the batch is no longer canonical on the node the registry reads.
    expect((await readSide.getBlock(doomedBlock))?.hash?.toLowerCase()).not.toBe(doomedBlockHash);
    lastBlock = await readSide.getBlockNumber();
    for (const [i, patient] of [[3, a], [4, b]] as const) {
      let served: ServedSummary | undefined;
      await wait('the registry to drop the vanished batch', async () => {
        const { status, body } = await get(`/v1/patients/${pseudonyms[i]}/summary`);
        served = body as ServedSummary;
        return status === 200 && served.atBlock.number >= lastBlock - 1 && !served.operations.some((o) => o.anchor.blockHash === doomedBlockHash);
      }, 120_000);
      await expectVerifiable(served!, patient);
    }
  }, 600_000);
  it('reports the chain in readiness when the index is on; without a ledger it boots with identities only', async () => {
    const ready = await get('/health/ready');
    expect(ready.status).toBe(200);
    expect(Object.keys((ready.body as { info: Record<string, unknown> }).info).sort()).toEqual(['chain', 'kafka', 'mongo']);

    const infra = await getInfrastructure();
    const plain = await bootstrapService({
      service: 'registry',
      description: 'test',
      module: AppModule.forRoot(
        registryConfigSchema.parse({ PORT: '1', LOG_LEVEL: 'warn', KAFKA_BROKERS: infra.kafka.brokers.join(','), MONGO_URL: mongoUrl.replace(/\/([^/?]+)(\?|$)/, '/$1-plain$2') }),
      ),
      host: '127.0.0.1',
      port: 0,
    });
    try {
      const url = `http://127.0.0.1:${(plain.getHttpServer().address() as AddressInfo).port}`;
      const plainReady = await fetch(`${url}/health/ready`);
      expect(plainReady.status).toBe(200);
      expect(Object.keys(((await plainReady.json()) as { info: Record<string, unknown> }).info).sort()).toEqual(['kafka', 'mongo']);
      expect((await fetch(`${url}/v1/patients/${pseudonyms[0]}/summary`)).status).toBe(404);
      // Identity registration, the lead's flow, works on both: beside the index and without it.
      for (const base of [url, baseUrl]) {
        expect((await registerIdentity(base, Wallet.createRandom(), 'patient')).status).toBe(201);
      }
    } finally {
      await plain.close();
    }
  });
});
