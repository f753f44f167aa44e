// Relay benchmark: PPR operations from Kafka to k-confirmed on the real broker and the
// two-miner proof-of-work chain, for the batching chain-relay and, in the same run, for a
// MedRec-style baseline that sends one contract call per PPR. Writes bench/results/relay.json.
//
//   npx tsx bench/relay/run.ts [--rate 2500] [--seconds 30] [--relays 5] [--baseline 300] [--k 3] [--out <file>]
//
// `--relays N` runs N relay instances, each its own process with its own registered account
// (one transaction in flight per account), sharing one consumer group and store; ppr.requested
// gets N partitions so each instance holds one. One account carries at most one full batch
// (~2,150 operations, the 128 KiB txpool cap) per block, so the rate one account sustains is
// about 2,150 / block interval.
//
// Needs the relay's build (npx tsc -b services/chain-relay/tsconfig.build.json): the relay runs
// as its own process, exactly as `npm start` runs it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { encodeBatch, PprLedger__factory } from '@carechain/chain';
import { decodeEvent, PprRequested } from '@carechain/contracts';
import { startInfrastructure } from '@carechain/testing';
import { toLedgerOperation, type RelayOperation } from '../../services/chain-relay/src/domain/relay-operation';
import {
  collect,
  decodeAnchored,
  kafkaClient,
  publishRequests,
  relayEnv,
  requests,
  setupLedger,
  startGroupAtEnd,
  type LedgerWorld,
  type Requested,
} from '../../services/chain-relay/test/relay-fixture';
import { freePort, RelayProcess } from '../../services/chain-relay/test/relay-process';
import { idealLatencies } from './ideal-latency';

interface Options {
  rate: number;
  seconds: number;
  relays: number;
  baseline: number;
  k: number;
  out: string;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { rate: 2500, seconds: 30, relays: 5, baseline: 300, k: 3, out: resolve(__dirname, '..', 'results', 'relay.json') };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    const n = Number(value);
    if (flag === '--out') options.out = resolve(value);
    else if (['--rate', '--seconds', '--relays', '--baseline', '--k'].includes(flag) && Number.isInteger(n) && n > 0) options[flag.slice(2) as 'rate'] = n;
    else throw new Error(`unknown or invalid option ${flag} ${value ?? ''} (--rate, --seconds, --relays, --baseline, --k take positive integers; --out a path)`);
  }
  return options;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Publishes `items` at `rate` per second in 100 ms slices; returns each pprId's publish time. */
async function publishPaced(producer: Parameters<typeof publishRequests>[0], items: Requested[], rate: number): Promise<Map<string, number>> {
  const sentAt = new Map<string, number>();
  const perSlice = Math.max(1, Math.round(rate / 10));
  const start = Date.now();
  for (let i = 0, slice = 0; i < items.length; i += perSlice, slice++) {
    const due = start + slice * 100;
    if (due > Date.now()) await sleep(due - Date.now());
    const chunk = items.slice(i, i + perSlice);
    const t = Date.now();
    chunk.forEach((r) => sentAt.set(r.pprId, t));
    await publishRequests(producer, chunk);
  }
  return sentAt;
}

/**
 * Block intervals (s resolution: block timestamps) over [from, to]. PoW intervals are random,
 * so a latency percentile over k blocks has a tail the mean alone does not show.
 */
async function blockIntervals(world: LedgerWorld, from: number, to: number): Promise<{ p50_ms: number; p90_ms: number; max_ms: number; count: number }> {
  const times: number[] = [];
  for (let n = from; n <= to; n++) times.push((await world.provider.getBlock(n))!.timestamp * 1000);
  const gaps = times.slice(1).map((t, i) => t - times[i]).sort((a, b) => a - b);
  return { p50_ms: percentile(gaps, 50), p90_ms: percentile(gaps, 90), max_ms: gaps[gaps.length - 1] ?? NaN, count: gaps.length };
}

async function meanBlockIntervalMs(world: LedgerWorld, from: number, to: number): Promise<number> {
  if (to <= from) return NaN;
  const [a, b] = await Promise.all([world.provider.getBlock(from), world.provider.getBlock(to)]);
  return ((b!.timestamp - a!.timestamp) * 1000) / (to - from);
}

/**
 * Records when each block height is first seen (polling the relay's node every 50 ms), so the
 * run's own chain gives the latency bound below. Heights that arrive between two polls share
 * the later poll's time.
 */
class HeadObserver {
  readonly seenAt = new Map<number, number>();
  private stopped = false;
  private done: Promise<void> = Promise.resolve();

  constructor(private readonly world: LedgerWorld) {}

  start(): void {
    this.done = (async () => {
      let last = -1;
      while (!this.stopped) {
        const height = await this.world.provider.getBlockNumber().catch(() => last);
        const now = Date.now();
        for (let h = last + 1; h <= height; h++) if (last >= 0 && !this.seenAt.has(h)) this.seenAt.set(h, now);
        last = Math.max(last, height);
        await sleep(50);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }

  /** Mean wall-clock gap between the first and last height seen. */
  meanIntervalMs(): number {
    const heights = [...this.seenAt.keys()].sort((a, b) => a - b);
    if (heights.length < 2) return NaN;
    const [first, last] = [heights[0], heights[heights.length - 1]];
    return (this.seenAt.get(last)! - this.seenAt.get(first)!) / (last - first);
  }
}

/** Waits until the relays' consumer group is stable with one member per relay, each holding a partition. */
async function waitForGroup(kafka: ReturnType<typeof kafkaClient>, groupId: string, members: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const { groups } = await admin.describeGroups([groupId]);
      const group = groups[0];
      if (group?.state === 'Stable' && group.members.length === members && group.members.every((m) => m.memberAssignment.length > 0)) return;
      if (Date.now() > deadline) throw new Error(`consumer group ${groupId} not stable with ${members} members: ${group?.state} ${group?.members.length}`);
      await sleep(500);
    }
  } finally {
    await admin.disconnect();
  }
}

async function measureRelay(world: LedgerWorld, infra: Awaited<ReturnType<typeof startInfrastructure>>, options: Options) {
  const kafka = kafkaClient(infra);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: PprRequested.topic, numPartitions: options.relays, replicationFactor: 1 }] });
  await admin.disconnect();
  // One consumer group and one database for all instances, as in a deployment.
  const shared = relayEnv(infra, world, 0);
  const envs = await Promise.all(
    Array.from({ length: options.relays }, async (_, i) => ({
      ...relayEnv(infra, world, i, {
        RELAY_CONFIRMATIONS: String(options.k),
        PORT: String(await freePort()),
        LOG_LEVEL: 'info',
        KAFKA_TOPIC_PARTITIONS: String(options.relays),
      }),
      MONGO_URL: shared.MONGO_URL,
      RELAY_GROUP_ID: shared.RELAY_GROUP_ID,
    })),
  );
  await startGroupAtEnd(kafka, shared.RELAY_GROUP_ID, PprRequested.topic);
  const stamp = Date.now();
  const relays = envs.map((env, i) => new RelayProcess(env, `/tmp/chain-relay-bench-${stamp}-${i}.log`));
  await Promise.all(relays.map((r) => r.start()));
  await waitForGroup(kafka, shared.RELAY_GROUP_ID, options.relays);
  const relayAccounts = new Set(world.relays.slice(0, options.relays).map((w) => w.address.toLowerCase()));
  const anchored = await collect(kafka, 'ppr.anchored.v1', (m) => ({ at: Date.now(), event: decodeAnchored(m) }));
  try {
    const items = requests(world, options.rate * options.seconds);
    const ids = new Set(items.map((r) => r.pprId));
    const startHeight = await world.provider.getBlockNumber();
    const heads = new HeadObserver(world);
    heads.start();
    const t0 = Date.now();
    const sentAt = await publishPaced(producer, items, options.rate);
    const firstAnchor = new Map<string, { at: number; data: (typeof anchored.items)[number]['event']['data'] }>();
    const deadline = Date.now() + 10 * 60_000;
    while (firstAnchor.size < ids.size && Date.now() < deadline) {
      for (const { at, event } of anchored.items.splice(0)) if (ids.has(event.data.pprId) && !firstAnchor.has(event.data.pprId)) firstAnchor.set(event.data.pprId, { at, data: event.data });
      await sleep(200);
    }
    await heads.stop();
    const endHeight = await world.provider.getBlockNumber();
    const ideal = idealLatencies([...sentAt.values()], heads.seenAt, options.k);
    const latencies = [...firstAnchor].map(([id, a]) => a.at - sentAt.get(id)!).sort((a, b) => a - b);
    const anchors = [...firstAnchor.values()].sort((a, b) => a.at - b.at);
    const first = anchors[0].at;
    const last = anchors[anchors.length - 1].at;
    // Sustained rate: operations anchored per second between the first and the last
    // announcement, not counting the first announcement's batch (it opens the interval). The
    // end-to-end rate below also counts the pipeline's fill time (about k blocks), which a
    // short run cannot amortise.
    const firstBurst = anchors.filter((a) => a.data.txHash === anchors[0].data.txHash).length;
    const txs = new Map<string, { block: number; size: number }>();
    for (const { data } of firstAnchor.values()) txs.set(data.txHash, { block: data.blockNumber, size: data.batchSize });
    let gas = 0n;
    let ops = 0;
    const perBlock = new Map<number, number>();
    const perBlockAndRelay = new Map<string, number>();
    for (const [hash, tx] of txs) {
      const receipt = await world.provider.getTransactionReceipt(hash);
      if (receipt) {
        gas += receipt.gasUsed;
        ops += tx.size;
        if (!relayAccounts.has(receipt.from.toLowerCase())) throw new Error(`anchor tx ${hash} is from ${receipt.from}, not a bench relay`);
        const key = `${tx.block}:${receipt.from.toLowerCase()}`;
        perBlockAndRelay.set(key, (perBlockAndRelay.get(key) ?? 0) + 1);
      }
      perBlock.set(tx.block, (perBlock.get(tx.block) ?? 0) + 1);
    }
    return {
      n: ids.size,
      anchored: firstAnchor.size,
      ppr_per_s: last > first ? ((firstAnchor.size - firstBurst) * 1000) / (last - first) : NaN,
      ppr_per_s_end_to_end: (firstAnchor.size * 1000) / (last - t0),
      gas_per_ppr: ops === 0 ? NaN : Number(gas) / ops,
      pprs_per_block_max: Math.max(...[...txs.values()].map((t) => t.size)),
      max_anchor_txs_per_block: Math.max(...perBlockAndRelay.values()),
      max_anchor_txs_per_block_all_relays: Math.max(...perBlock.values()),
      relays: options.relays,
      batches: txs.size,
      p50_ms: percentile(latencies, 50),
      p99_ms: percentile(latencies, 99),
      mean_block_interval_ms: await meanBlockIntervalMs(world, startHeight, endHeight),
      block_intervals: await blockIntervals(world, startHeight, endHeight),
      mean_block_interval_seen_ms: heads.meanIntervalMs(),
      ideal_relay: { n: ideal.length, p50_ms: percentile(ideal, 50), p99_ms: percentile(ideal, 99) },
    };
  } finally {
    await anchored.stop();
    await Promise.all(relays.map((r) => r.stop()));
    await producer.disconnect();
  }
}

/**
 * MedRec style: each `ppr.requested` becomes its own contract call (a one-operation
 * commitBatch), sent as soon as it is consumed, nonces managed locally, confirmed at depth k.
 */
async function measureBaseline(world: LedgerWorld, infra: Awaited<ReturnType<typeof startInfrastructure>>, options: Options) {
  const kafka = kafkaClient(infra);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const account = world.relays[options.relays];
  const ledger = PprLedger__factory.connect(world.deployment.ledgerAddress, world.provider);
  const to = world.deployment.ledgerAddress;
  const index = new Map<string, number>();
  for (const p of world.patients) index.set(p, Number(await world.deployment.registrar.pseudonymIndexOf(p)));
  for (const p of world.providers) index.set(p, Number(await world.deployment.registrar.partyIndexOf(p)));
  let nonce = await world.provider.getTransactionCount(account.address, 'pending');
  const fees = await world.provider.getFeeData();
  const sentTx = new Map<string, string>();
  const rawOf = new Map<string, string>();
  const groupId = `bench-relay-baseline-${Date.now()}`;
  await startGroupAtEnd(kafka, groupId, PprRequested.topic);
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  await consumer.subscribe({ topics: [PprRequested.topic] });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const d = decodeEvent(PprRequested, message).data;
      const op: RelayOperation = {
        ...d,
        patientIndex: index.get(d.patient)!,
        providerIndex: index.get(d.provider)!,
        eventId: '',
        receivedAt: 0,
      };
      const head = (await world.provider.getBlock('latest'))!;
      const data = ledger.interface.encodeFunctionData('commitBatch', [head.number, head.hash!, encodeBatch([toLedgerOperation(op)]).data]);
      const raw = await account.signTransaction({
        type: 2,
        chainId: Number((await world.provider.getNetwork()).chainId),
        to,
        data,
        nonce: nonce++,
        gasLimit: 150_000n,
        maxFeePerGas: fees.maxFeePerGas!,
        maxPriorityFeePerGas: fees.maxPriorityFeePerGas!,
      });
      const response = await world.provider.broadcastTransaction(raw);
      sentTx.set(response.hash, d.pprId);
      rawOf.set(response.hash, raw);
    },
  });
  try {
    const items = requests(world, options.baseline);
    const startHeight = await world.provider.getBlockNumber();
    const t0 = Date.now();
    const sentAt = await publishPaced(producer, items, options.rate);
    const minedIn = new Map<string, number>();
    const confirmedAt = new Map<string, number>();
    let scanned = startHeight;
    let polls = 0;
    const deadline = Date.now() + 10 * 60_000;
    while (confirmedAt.size < items.length && Date.now() < deadline) {
      const head = await world.provider.getBlockNumber();
      for (let n = scanned + 1; n <= head; n++) {
        const block = await world.provider.getBlock(n);
        for (const hash of block?.transactions ?? []) if (sentTx.has(hash)) minedIn.set(hash, n);
      }
      scanned = head;
      const now = Date.now();
      for (const [hash, n] of minedIn) {
        const id = sentTx.get(hash)!;
        if (!confirmedAt.has(id) && head - n + 1 >= options.k) confirmedAt.set(id, now);
      }
      // Like the relay, the baseline rebroadcasts what a reorg dropped from the pool.
      if (++polls % 25 === 0) for (const [hash, raw] of rawOf) if (!minedIn.has(hash)) void world.provider.broadcastTransaction(raw).catch(() => undefined);
      await sleep(200);
    }
    const endHeight = await world.provider.getBlockNumber();
    let gas = 0n;
    let counted = 0;
    for (const hash of minedIn.keys()) {
      const receipt = await world.provider.getTransactionReceipt(hash);
      if (receipt?.status === 1) {
        gas += receipt.gasUsed;
        counted++;
      }
    }
    const latencies = [...confirmedAt].map(([id, at]) => at - sentAt.get(id)!).sort((a, b) => a - b);
    const last = Math.max(...confirmedAt.values());
    return {
      n: items.length,
      confirmed: confirmedAt.size,
      reverted: minedIn.size - counted,
      ppr_per_s: (confirmedAt.size * 1000) / (last - t0),
      gas_per_ppr: counted === 0 ? NaN : Number(gas) / counted,
      p50_ms: percentile(latencies, 50),
      p99_ms: percentile(latencies, 99),
      mean_block_interval_ms: await meanBlockIntervalMs(world, startHeight, endHeight),
    };
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const infra = await startInfrastructure({ onProgress: (line) => process.stderr.write(`[infra] ${line}\n`) });
  try {
    const world = await setupLedger(infra, { relays: options.relays + 1, patients: 200 });
    process.stderr.write(`[bench] ledger ${world.deployment.ledgerAddress}; relay phase: ${options.rate}/s for ${options.seconds} s over ${options.relays} relay instances\n`);
    const relay = await measureRelay(world, infra, options);
    process.stderr.write(`[bench] relay: ${JSON.stringify(relay)}\n[bench] baseline phase: ${options.baseline} one-call-per-PPR operations\n`);
    const baseline = await measureBaseline(world, infra, options);
    process.stderr.write(`[bench] baseline: ${JSON.stringify(baseline)}\n`);
    const result = {
      ppr_per_s: relay.ppr_per_s,
      gas_per_ppr: relay.gas_per_ppr,
      pprs_per_block_max: relay.pprs_per_block_max,
      max_anchor_txs_per_block: relay.max_anchor_txs_per_block,
      p50_ms: relay.p50_ms,
      p99_ms: relay.p99_ms,
      k: options.k,
      mean_block_interval_ms: relay.mean_block_interval_ms,
      baseline: { ppr_per_s: baseline.ppr_per_s, gas_per_ppr: baseline.gas_per_ppr, p99_ms: baseline.p99_ms },
      detail: {
        offered_rate_per_s: options.rate,
        offered_seconds: options.seconds,
        relay,
        baseline,
        p99_target_ms: (options.k + 1) * relay.mean_block_interval_ms + 1000,
        // The target against the bound no relay can beat on this run's blocks (see idealLatencies).
        p99_ideal_relay_ms: relay.ideal_relay.p99_ms,
        machine: { cpus: cpus().length, loadavg: loadavg() },
        measured_at: new Date().toISOString(),
      },
    };
    mkdirSync(dirname(options.out), { recursive: true });
    writeFileSync(options.out, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    world.provider.destroy();
  } finally {
    await infra.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench/relay failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
