import { randomBytes } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { deployChainContracts, type ChainDeployment } from '@carechain/chain';
import { decodeEvent, encodeEvent, PprAnchored, PprRequested, PprReorged, type CloudEvent } from '@carechain/contracts';
import type { Infrastructure } from '@carechain/testing';
import { JsonRpcProvider, NonceManager, parseEther, Wallet, ZeroHash } from 'ethers';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import type { z } from 'zod';
import { AppModule } from '../src/app.module';
import { relayConfigSchema, type RelayConfig } from '../src/config';

/** Dev account that funds this service's throwaway accounts; no other test file uses it. */
const FUNDER = 12;
const ROLE_PROVIDER = 1;
const ROLE_RELAY = 3;
const KIND_PATIENT = 1;

export type Requested = z.input<typeof PprRequested.schema>;
export type Anchored = z.output<typeof PprAnchored.schema>;
export type Reorged = z.output<typeof PprReorged.schema>;

/** A fresh Registrar and ledger with relays, three providers and `patients` registered pseudonyms. */
export interface LedgerWorld {
  provider: JsonRpcProvider;
  deployment: ChainDeployment;
  relays: Wallet[];
  providers: string[];
  patients: string[];
}

const hex = (n: number) => `0x${randomBytes(n).toString('hex')}`;

export function rpcProvider(infra: Infrastructure, node = 0): JsonRpcProvider {
  return new JsonRpcProvider(infra.chain.nodes[node].rpcUrl, infra.chain.chainId, { staticNetwork: true, cacheTimeout: -1, pollingInterval: 200 });
}

/** Deploys the contracts from a fresh owner and registers relays, providers and patients. */
export async function setupLedger(infra: Infrastructure, options: { relays?: number; patients?: number } = {}): Promise<LedgerWorld> {
  const provider = rpcProvider(infra);
  // Two miners race, and a reorg can drop a set-up transaction from every pool; keep
  // rebroadcasting what set-up signed until it is done, so no wait() hangs on a lost one.
  const signed: string[] = [];
  const broadcast = provider.broadcastTransaction.bind(provider);
  provider.broadcastTransaction = async (raw: string) => {
    signed.push(raw);
    return broadcast(raw);
  };
  const rebroadcast = setInterval(() => signed.forEach((raw) => void broadcast(raw).catch(() => undefined)), 5_000);
  try {
    return await deployWorld(infra, provider, options);
  } finally {
    clearInterval(rebroadcast);
  }
}

async function deployWorld(infra: Infrastructure, provider: JsonRpcProvider, options: { relays?: number; patients?: number }): Promise<LedgerWorld> {
  const funder = new NonceManager(new Wallet(infra.chain.accounts[FUNDER].privateKey, provider));
  const owner = Wallet.createRandom().connect(provider);
  const relays = Array.from({ length: options.relays ?? 1 }, () => new Wallet(Wallet.createRandom().privateKey, provider));
  const funding = [];
  // 100 ether each: a full batch costs well under 0.1 ether here, and the funder's 10,000 must
  // cover the owner and every relay account a benchmark run registers (9 for `--relays 8`).
  for (const account of [owner, ...relays]) funding.push(await funder.sendTransaction({ to: account.address, value: parseEther('100') }));
  await Promise.all(funding.map((tx) => tx.wait()));
  const ownerSigner = new NonceManager(owner);
  const deployment = await deployChainContracts(ownerSigner);
  for (const [i, relay] of relays.entries()) await (await deployment.registrar.registerParty(relay.address, ROLE_RELAY, `relay ${i}`, ZeroHash)).wait();
  const providers = [0, 1, 2].map(() => Wallet.createRandom().address.toLowerCase());
  for (const [i, address] of providers.entries()) await (await deployment.registrar.registerParty(address, ROLE_PROVIDER, `provider ${i}`, hex(32))).wait();
  const patients = Array.from({ length: options.patients ?? 50 }, () => Wallet.createRandom().address.toLowerCase());
  await (await deployment.registrar.connect(relays[0]).registerPseudonyms(KIND_PATIENT, patients)).wait();
  return { provider, deployment, relays, providers, patients };
}

/** `count` requests spread round-robin over the patients, random providers, mostly adds. */
export function requests(world: LedgerWorld, count: number): Requested[] {
  const out: Requested[] = [];
  for (let i = 0; i < count; i++) {
    const r = i % 20;
    const kind = r < 14 ? 'add' : r < 17 ? 'modify' : r < 19 ? 'delete' : 'policy';
    out.push({
      pprId: hex(32),
      kind,
      patient: world.patients[i % world.patients.length],
      provider: world.providers[i % world.providers.length],
      pprHash: hex(32),
      ...(kind === 'modify' ? { replacedPprId: hex(32) } : {}),
      requestedAt: new Date().toISOString(),
    });
  }
  return out;
}

/** Environment for a relay instance against `world`, validated like main.ts does. */
export function relayEnv(infra: Infrastructure, world: LedgerWorld, relay: number, extra: Record<string, string> = {}): Record<string, string> {
  const db = `chain-relay-test-${randomBytes(4).toString('hex')}`;
  return {
    PORT: '3999',
    LOG_LEVEL: 'warn',
    KAFKA_BROKERS: infra.kafka.brokers.join(','),
    MONGO_URL: infra.mongo.url.replace(/^(mongodb:\/\/[^/?]+)(\/[^?]*)?/, `$1/${db}`),
    ETH_RPC_URL: infra.chain.nodes[0].rpcUrl,
    CHAIN_ID: String(infra.chain.chainId),
    ETH_POLLING_INTERVAL_MS: '200',
    RELAY_PRIVATE_KEY: world.relays[relay].privateKey,
    PPR_LEDGER_ADDRESS: world.deployment.ledgerAddress,
    REGISTRAR_ADDRESS: world.deployment.registrarAddress,
    RELAY_GROUP_ID: `chain-relay-test-${randomBytes(4).toString('hex')}`,
    RELAY_TICK_MS: '100',
    ...extra,
  };
}

/** Starts the relay in this process (HTTP not listening; the Kafka consumer and loop run). */
export async function startRelay(env: Record<string, string>): Promise<INestApplication> {
  const config: RelayConfig = relayConfigSchema.parse(env);
  const app = await NestFactory.create(AppModule.forRoot(config), { logger: ['error', 'warn'], abortOnError: false });
  await app.init();
  return app;
}

export function kafkaClient(infra: Infrastructure): Kafka {
  return new Kafka({ clientId: 'chain-relay-test', brokers: infra.kafka.brokers, logLevel: logLevel.NOTHING });
}

/** Moves a not-yet-used consumer group to the end of `topic`, so it ignores earlier runs' records. */
export async function startGroupAtEnd(kafka: Kafka, groupId: string, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = await admin.listTopics();
    if (!topics.includes(topic)) await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3, replicationFactor: 1 }] });
    // A topic created a moment ago may not have its leaders in the client's metadata yet.
    for (let attempt = 1; ; attempt++) {
      try {
        const offsets = await admin.fetchTopicOffsets(topic);
        await admin.setOffsets({ groupId, topic, partitions: offsets.map((o) => ({ partition: o.partition, offset: o.high })) });
        return;
      } catch (error) {
        if (attempt >= 20) throw error;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  } finally {
    await admin.disconnect();
  }
}

export async function publishRequests(producer: Producer, items: readonly Requested[]): Promise<void> {
  for (let i = 0; i < items.length; i += 500) {
    const records = items.slice(i, i + 500).map((data) => encodeEvent(PprRequested, data, { source: 'carechain://chain-relay-test', key: data.patient }));
    await producer.send({ topic: PprRequested.topic, acks: -1, messages: records.map((r) => ({ key: r.key, value: r.value, headers: r.headers })) });
  }
}

/** Collects every event of `definition` published from now on. */
export async function collect<T>(kafka: Kafka, topic: string, decode: (m: Parameters<typeof decodeEvent>[1]) => T): Promise<{ items: T[]; stop: () => Promise<void> }> {
  const groupId = `chain-relay-test-collector-${randomBytes(4).toString('hex')}`;
  await startGroupAtEnd(kafka, groupId, topic);
  const consumer: Consumer = kafka.consumer({ groupId });
  const items: T[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic] });
  await consumer.run({ eachMessage: async ({ message }) => void items.push(decode(message)) });
  return { items, stop: () => consumer.disconnect() };
}

export const decodeAnchored = (m: Parameters<typeof decodeEvent>[1]): CloudEvent<Anchored> => decodeEvent(PprAnchored, m);
export const decodeReorged = (m: Parameters<typeof decodeEvent>[1]): CloudEvent<Reorged> => decodeEvent(PprReorged, m);

export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs: number, stepMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
