import { PprRequested } from '@carechain/contracts';
import { decodeBatch, PprLedger__factory } from '@carechain/chain';
import { getInfrastructure, type Infrastructure } from '@carechain/testing';
import type { Kafka, Producer } from 'kafkajs';
import { standingAnchors, verifyAnchors } from './anchor-verification';
import { collect, decodeAnchored, decodeReorged, kafkaClient, publishRequests, relayEnv, requests, setupLedger, startGroupAtEnd, waitFor, type LedgerWorld } from './relay-fixture';
import { freePort, RelayProcess } from './relay-process';

const K = 3;

/** Every ledger pprId the relay's canonical batches carry, with multiplicity. */
async function committedLedgerIds(world: LedgerWorld, relay: string): Promise<string[]> {
  const ledger = PprLedger__factory.connect(world.deployment.ledgerAddress, world.provider);
  const logs = await ledger.queryFilter(ledger.filters.BatchCommitted(undefined, relay), world.deployment.ledgerDeployBlock);
  const ids: string[] = [];
  for (const log of logs) {
    const tx = await world.provider.getTransaction(log.transactionHash);
    const call = ledger.interface.parseTransaction({ data: tx!.data });
    ids.push(...decodeBatch(call!.args.getValue('batch') as string).map((o) => o.pprId));
  }
  return ids;
}

describe('chain-relay recovery (relay as a process, real chain and Kafka)', () => {
  let infra: Infrastructure;
  let world: LedgerWorld;
  let kafka: Kafka;
  let producer: Producer;
  let relay: RelayProcess;

  beforeAll(async () => {
    infra = await getInfrastructure();
    world = await setupLedger(infra, { relays: 1, patients: 50 });
    kafka = kafkaClient(infra);
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const env = relayEnv(infra, world, 0, { RELAY_CONFIRMATIONS: String(K), PORT: String(await freePort()), LOG_LEVEL: 'info' });
    await startGroupAtEnd(kafka, env.RELAY_GROUP_ID, PprRequested.topic);
    relay = new RelayProcess(env, `/tmp/chain-relay-recovery-${Date.now()}.log`);
    await relay.start();
  });

  afterAll(async () => {
    await relay?.stop();
    await producer?.disconnect();
    world?.provider.destroy();
  });

  it('after kill -9 with a batch in flight and a restart: nothing lost, nothing anchored twice, no nonce gap', async () => {
    const anchored = await collect(kafka, 'ppr.anchored.v1', decodeAnchored);
    const reorged = await collect(kafka, 'ppr.reorged.v1', decodeReorged);
    try {
      const sent = requests(world, 600);
      const ids = new Set(sent.map((r) => r.pprId));
      await publishRequests(producer, sent.slice(0, 300));
      await waitFor('a batch in flight', async () => (await relay.status()).relay.batches.some((b) => b.state === 'sent' && b.operations > 0), 60_000, 50);
      await publishRequests(producer, sent.slice(300));
      await relay.kill();

      await relay.start();
      await waitFor('600 ppr.anchored', () => new Set(anchored.items.map((e) => e.data.pprId).filter((id) => ids.has(id))).size === 600, 170_000);
      await new Promise((r) => setTimeout(r, 3_000));
      const standing = standingAnchors(
        anchored.items.map((e) => e.data).filter((a) => ids.has(a.pprId)),
        reorged.items.map((e) => e.data).filter((r) => ids.has(r.pprId)),
      );
      expect(standing.size).toBe(600);
      await verifyAnchors(world, sent, [...standing.values()], K);

      const onChain = await committedLedgerIds(world, world.relays[0].address);
      const wanted = new Set(sent.map((r) => r.pprId.slice(0, 34)));
      const mine = onChain.filter((id) => wanted.has(id));
      expect(mine).toHaveLength(600);
      expect(new Set(mine).size).toBe(600);

      await waitFor('the pool to drain', async () => {
        const [latest, pending] = await Promise.all([
          world.provider.getTransactionCount(world.relays[0].address, 'latest'),
          world.provider.getTransactionCount(world.relays[0].address, 'pending'),
        ]);
        return latest === pending && latest === (await relay.status()).relay.nextNonce;
      }, 60_000);
    } finally {
      await anchored.stop();
      await reorged.stop();
    }
  });
});
