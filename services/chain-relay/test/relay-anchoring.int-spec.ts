import { INestApplication } from '@nestjs/common';
import { DeadLetterHeader, deadLetterTopic, encodeEvent, PprRequested } from '@carechain/contracts';
import { getInfrastructure, type Infrastructure } from '@carechain/testing';
import { PprLedger__factory } from '@carechain/chain';
import { Wallet, parseEther } from 'ethers';
import type { Kafka, Producer } from 'kafkajs';
import { standingAnchors, verifyAnchors } from './anchor-verification';
import {
  collect,
  decodeAnchored,
  decodeReorged,
  kafkaClient,
  publishRequests,
  relayEnv,
  requests,
  setupLedger,
  startGroupAtEnd,
  startRelay,
  waitFor,
  type LedgerWorld,
} from './relay-fixture';

describe('chain-relay on Kafka and the proof-of-work chain', () => {
  let infra: Infrastructure;
  let world: LedgerWorld;
  let kafka: Kafka;
  let producer: Producer;
  let relay: INestApplication;
  const K = 3;

  beforeAll(async () => {
    infra = await getInfrastructure();
    world = await setupLedger(infra, { relays: 1, patients: 50 });
    kafka = kafkaClient(infra);
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const env = relayEnv(infra, world, 0, { RELAY_CONFIRMATIONS: String(K) });
    await startGroupAtEnd(kafka, env.RELAY_GROUP_ID, PprRequested.topic);
    relay = await startRelay(env);
  });

  afterAll(async () => {
    await relay?.close();
    await producer?.disconnect();
    world?.provider.destroy();
  });

  it('anchors 1,000 operations for 50 patients across 3 providers, each with a proof that verifies against the on-chain root', async () => {
    const anchored = await collect(kafka, 'ppr.anchored.v1', decodeAnchored);
    const reorged = await collect(kafka, 'ppr.reorged.v1', decodeReorged);
    try {
      const sent = requests(world, 1000);
      const ids = new Set(sent.map((r) => r.pprId));
      await publishRequests(producer, sent);
      const mine = () => anchored.items.filter((e) => ids.has(e.data.pprId));
      await waitFor('1,000 ppr.anchored', () => new Set(mine().map((e) => e.data.pprId)).size === 1000, 170_000);
      // Natural reorgs between the two miners may withdraw an announcement; let the relay settle.
      await new Promise((r) => setTimeout(r, 3_000));
      const events = mine();
      for (const e of events) expect(e.subject).toBe(e.data.pprId);
      // Each names the deployment it anchored to, so consumers of a shared broker can tell theirs.
      const origin = { chainId: infra.chain.chainId, ledger: world.deployment.ledgerAddress.toLowerCase() };
      for (const e of events) expect(e.data).toMatchObject(origin);
      const standing = standingAnchors(
        events.map((e) => e.data),
        reorged.items.map((e) => e.data).filter((r) => ids.has(r.pprId)),
      );
      expect(standing.size).toBe(1000);
      const txsPerBlock = await verifyAnchors(world, sent, [...standing.values()], K);
      for (const txs of txsPerBlock.values()) expect(txs.size).toBe(1);
      const head = await world.provider.getBlockNumber();
      for (const a of standing.values()) expect(head - a.blockNumber + 1).toBeGreaterThanOrEqual(K);
    } finally {
      await anchored.stop();
      await reorged.stop();
    }
  });

  it('announces a request delivered twice only once', async () => {
    const anchored = await collect(kafka, 'ppr.anchored.v1', decodeAnchored);
    try {
      const [one] = requests(world, 1);
      await publishRequests(producer, [one, one]);
      await waitFor('the anchor', () => anchored.items.some((e) => e.data.pprId === one.pprId), 60_000);
      await new Promise((r) => setTimeout(r, 5_000));
      expect(anchored.items.filter((e) => e.data.pprId === one.pprId)).toHaveLength(1);
    } finally {
      await anchored.stop();
    }
  });

  it('dead-letters a malformed ppr.requested and one naming an unregistered patient, with the reason', async () => {
    const dlq = await collect(kafka, deadLetterTopic(PprRequested.topic), (m) => m);
    try {
      const marker = `not json ${Date.now()}`;
      const [valid] = requests(world, 1);
      const stranger = Wallet.createRandom().address.toLowerCase();
      const unknown = encodeEvent(PprRequested, { ...valid, patient: stranger }, { source: 'carechain://chain-relay-test', key: stranger });
      const good = encodeEvent(PprRequested, valid, { source: 'carechain://chain-relay-test', key: valid.patient });
      await producer.send({
        topic: PprRequested.topic,
        acks: -1,
        messages: [
          { key: valid.patient, value: marker, headers: good.headers },
          { key: unknown.key, value: unknown.value, headers: unknown.headers },
        ],
      });
      await waitFor('two dead letters', () => dlq.items.filter((m) => m.value?.toString().includes(marker) || m.key?.toString() === stranger).length === 2, 60_000);
      const codes = dlq.items
        .filter((m) => m.value?.toString().includes(marker) || m.key?.toString() === stranger)
        .map((m) => m.headers?.[DeadLetterHeader.Code]?.toString())
        .sort();
      expect(codes).toEqual(['NOT_JSON', 'UNKNOWN_PATIENT']);
    } finally {
      await dlq.stop();
    }
  });

  it('reverts commitBatch from an account that is not a registered relay', async () => {
    const outsider = Wallet.createRandom().connect(world.provider);
    await (await world.relays[0].connect(world.provider).sendTransaction({ to: outsider.address, value: parseEther('1') })).wait();
    const ledger = PprLedger__factory.connect(world.deployment.ledgerAddress, outsider);
    const head = (await world.provider.getBlock('latest'))!;
    const parent = (await world.provider.getBlock(head.number - 1))!;
    await expect(ledger.commitBatch.staticCall(parent.number, parent.hash!, '0x00000001000100')).rejects.toMatchObject({ revert: { name: 'NotRelay' } });
  });
});
