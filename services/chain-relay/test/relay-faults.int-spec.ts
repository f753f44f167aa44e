import { INestApplication } from '@nestjs/common';
import { PprRequested } from '@carechain/contracts';
import { getInfrastructure, type Infrastructure } from '@carechain/testing';
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
  rpcProvider,
  setupLedger,
  startGroupAtEnd,
  startRelay,
  waitFor,
  type LedgerWorld,
} from './relay-fixture';

const K = 2;

describe('chain-relay under chain faults (reorg by partition, geth restart)', () => {
  let infra: Infrastructure;
  let world: LedgerWorld;
  let kafka: Kafka;
  let producer: Producer;
  let relay: INestApplication;

  beforeAll(async () => {
    infra = await getInfrastructure();
    world = await setupLedger(infra, { relays: 1, patients: 20 });
    kafka = kafkaClient(infra);
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const env = relayEnv(infra, world, 0, { RELAY_CONFIRMATIONS: String(K), RELAY_STUCK_AFTER_BLOCKS: '3' });
    await startGroupAtEnd(kafka, env.RELAY_GROUP_ID, PprRequested.topic);
    relay = await startRelay(env);
  });

  afterAll(async () => {
    await relay?.close();
    await producer?.disconnect();
    world?.provider.destroy();
  });

  it('re-anchors on the winning fork what was announced on the relay’s shorter fork, with ppr.reorged, and never announces below k', async () => {
    const anchored = await collect(kafka, 'ppr.anchored.v1', decodeAnchored);
    const reorged = await collect(kafka, 'ppr.reorged.v1', decodeReorged);
    const relaySide = rpcProvider(infra, 0);
    const otherSide = rpcProvider(infra, 1);
    try {
      const sent = requests(world, 200);
      const ids = new Set(sent.map((r) => r.pprId));
      await infra.handles.chain.partition();
      try {
        await publishRequests(producer, sent);
        // Announced on the relay's fork (k confirmations there), then that fork stops growing.
        await waitFor('announcements on the relay side', () => anchored.items.filter((e) => ids.has(e.data.pprId)).length === 200, 120_000);
        const announcedOnLosingFork = anchored.items.filter((e) => ids.has(e.data.pprId)).map((e) => e.data);
        for (const a of announcedOnLosingFork) {
          const there = await otherSide.getBlock(a.blockNumber);
          expect(there?.hash).not.toBe(a.blockHash);
        }
        await relaySide.send('miner_stop', []);
        const relayHeight = await relaySide.getBlockNumber();
        // Re-sent while waiting: the node's miner pacer restarts a miner it had paused itself.
        await waitFor('the other fork to outgrow the relay side', async () => {
          await relaySide.send('miner_stop', []);
          return (await otherSide.getBlockNumber()) >= relayHeight + 3;
        }, 120_000);
        await relaySide.send('miner_start', [1]);
        await infra.handles.chain.heal();

        await waitFor('ppr.reorged for every announcement of the losing fork', () => {
          const withdrawn = new Set(reorged.items.map((e) => e.data.pprId));
          return announcedOnLosingFork.every((a) => withdrawn.has(a.pprId));
        }, 60_000);
        await waitFor('re-anchoring on the winning fork', () => {
          try {
            return standingAnchors(anchored.items.map((e) => e.data).filter((a) => ids.has(a.pprId)), reorged.items.map((e) => e.data)).size === 200 &&
              anchored.items.filter((e) => ids.has(e.data.pprId)).length >= 400;
          } catch {
            return false;
          }
        }, 150_000);
      } finally {
        await relaySide.send('miner_start', [1]).catch(() => undefined);
        await infra.handles.chain.heal().catch(() => undefined);
      }
      await new Promise((r) => setTimeout(r, 3_000));
      const all = anchored.items.filter((e) => ids.has(e.data.pprId)).map((e) => e.data);
      for (const a of all) expect(a.confirmations).toBeGreaterThanOrEqual(K);
      const withdrawals = reorged.items.map((e) => e.data).filter((r) => ids.has(r.pprId));
      for (const r of withdrawals) expect(r).toMatchObject({ chainId: infra.chain.chainId, ledger: world.deployment.ledgerAddress.toLowerCase() });
      const standing = standingAnchors(all, withdrawals);
      expect(standing.size).toBe(200);
      await verifyAnchors(world, sent, [...standing.values()], K);
    } finally {
      relaySide.destroy();
      otherSide.destroy();
      await anchored.stop();
      await reorged.stop();
    }
  });

  it('keeps anchoring across a restart of the geth node it talks to, losing nothing', async () => {
    const anchored = await collect(kafka, 'ppr.anchored.v1', decodeAnchored);
    const reorged = await collect(kafka, 'ppr.reorged.v1', decodeReorged);
    try {
      const sent = requests(world, 300);
      const ids = new Set(sent.map((r) => r.pprId));
      await publishRequests(producer, sent.slice(0, 150));
      await waitFor('a first announcement', () => anchored.items.some((e) => ids.has(e.data.pprId)), 60_000);
      await Promise.all([infra.handles.geth.provider.restart(), publishRequests(producer, sent.slice(150))]);
      await infra.handles.chain.heal();
      await waitFor('300 anchored', () => new Set(anchored.items.map((e) => e.data.pprId).filter((id) => ids.has(id))).size === 300, 150_000);
      await new Promise((r) => setTimeout(r, 3_000));
      const standing = standingAnchors(
        anchored.items.map((e) => e.data).filter((a) => ids.has(a.pprId)),
        reorged.items.map((e) => e.data).filter((r) => ids.has(r.pprId)),
      );
      expect(standing.size).toBe(300);
      await verifyAnchors(world, sent, [...standing.values()], K);
    } finally {
      await anchored.stop();
      await reorged.stop();
    }
  });
});
