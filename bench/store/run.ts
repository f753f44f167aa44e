// Store benchmark: insertMany, unique-key read and update, and a non-unique-index query at
// 1k, 10k and 100k documents on each MongoDB-wire candidate, one request at a time over
// loopback. Writes bench/results/store.json and prints a table.
//
//   npx tsx bench/store/run.ts [--only <candidate>] [--sizes 1000,10000] [--out <file>]
//
// Every loop is bounded in count and time (store-workload.ts). Growing the collection is
// bounded too: candidates run one after the other, each but the last gets an equal share of
// what is left of RUN_BUDGET_MS, the last gets the rest, and a size a candidate cannot reach in
// its time is recorded as not reached.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import mongoose from 'mongoose';
import { recommend, type CandidateResults, type Recommendation } from './recommendation';
import { buildStoreImage, type RunningStore, STORE_CANDIDATES, startStore } from './store-container';
import { DEFAULT_BOUNDS, measureGrowingLog } from './store-workload';
import { EVENTS_PER_PATIENT } from './event-document';

const RUN_BUDGET_MS = 12 * 60_000;
const DEFAULT_SIZES = [1000, 10_000, 100_000];

interface Options {
  only?: string;
  sizes: number[];
  out: string;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { sizes: DEFAULT_SIZES, out: resolve(__dirname, '..', 'results', 'store.json') };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1];
    switch (argv[i]) {
      case '--only':
        if (!STORE_CANDIDATES.some((c) => c.name === value)) throw new Error(`--only must be one of ${STORE_CANDIDATES.map((c) => c.name).join(', ')}`);
        options.only = value;
        i++;
        break;
      case '--sizes':
        options.sizes = (value ?? '').split(',').map(Number).sort((a, b) => a - b);
        if (options.sizes.some((n) => !Number.isInteger(n) || n < 100 || n > 1_000_000)) throw new Error('--sizes takes integers between 100 and 1000000, comma-separated');
        i++;
        break;
      case '--out':
        if (!value) throw new Error('--out takes a file path');
        options.out = resolve(value);
        i++;
        break;
      default:
        throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  return options;
}

/** Version of the MongoDB Node driver that mongoose loads (6.x: mongo-java-server speaks wire version 8). */
function driverVersion(): string {
  const manifest = require.resolve('mongodb/package.json', { paths: [dirname(require.resolve('mongoose'))] });
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

function log(line: string): void {
  process.stdout.write(`[bench:store] ${line}\n`);
}

function row(cells: (string | number)[], widths: number[]): string {
  return cells.map((c, i) => String(c).padStart(widths[i])).join('  ');
}

function printTable(candidates: Record<string, CandidateResults>): void {
  const widths = [18, 7, 10, 14, 14, 14, 14, 9];
  console.log(row(['candidate', 'docs', 'insert µs', 'read p50/p95', 'update p50/p95', 'query p50/p95', '(ops r/u/q)', 'docs/q'], widths));
  for (const [name, sizes] of Object.entries(candidates)) {
    for (const [size, r] of Object.entries(sizes)) {
      if ('error' in r) {
        console.log(row([name, size, 'error', r.error.slice(0, 60), '', '', '', ''], widths));
        continue;
      }
      const pair = (s: { median_ms: number; p95_ms: number }) => `${s.median_ms}/${s.p95_ms}`;
      console.log(
        row(
          [name, size, r.insert_many.us_per_doc, pair(r.unique_read), pair(r.unique_update), pair(r.non_unique_query), `${r.unique_read.ops}/${r.unique_update.ops}/${r.non_unique_query.ops}`, r.non_unique_query.docs_per_result],
          widths,
        ),
      );
    }
  }
}

async function benchCandidate(name: string, store: RunningStore, sizes: number[], deadline: number): Promise<CandidateResults> {
  const client = new mongoose.mongo.MongoClient(store.url, { serverSelectionTimeoutMS: 15_000, maxPoolSize: 2 });
  await client.connect();
  try {
    log(`${name}: growing the event log through ${sizes.join(', ')} documents`);
    return await measureGrowingLog(client.db('bench_store'), sizes, DEFAULT_BOUNDS, deadline, log);
  } catch (error) {
    log(`${name}: ${(error as Error).message}`);
    return Object.fromEntries(sizes.map((size) => [String(size), { error: (error as Error).message }]));
  } finally {
    await client.close();
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = Date.now();
  const deadline = started + RUN_BUDGET_MS;
  const load = { at_start: loadavg().map((l) => Math.round(l * 100) / 100), at_end: [] as number[] };
  // The candidate that fills fastest goes first; the last one gets all the fill time left.
  const chosen = STORE_CANDIDATES.filter((c) => !options.only || c.name === options.only).sort((a, b) => a.runOrder - b.runOrder);
  const candidates: Record<string, CandidateResults> = {};
  const descriptions: Record<string, string> = {};

  for (const [index, candidate] of chosen.entries()) {
    descriptions[candidate.name] = candidate.description;
    log(`${candidate.name}: building image (cached after the first run)`);
    const image = await buildStoreImage(candidate);
    log(`${candidate.name}: starting ${image}`);
    const store = await startStore(candidate, image);
    const stopOnSignal = () => void store.stop().finally(() => process.exit(130));
    process.once('SIGINT', stopOnSignal);
    process.once('SIGTERM', stopOnSignal);
    try {
      const share = Date.now() + (deadline - Date.now()) / (chosen.length - index);
      candidates[candidate.name] = await benchCandidate(candidate.name, store, options.sizes, share);
    } finally {
      process.off('SIGINT', stopOnSignal);
      process.off('SIGTERM', stopOnSignal);
      await store.stop();
    }
  }
  load.at_end = loadavg().map((l) => Math.round(l * 100) / 100);

  let recommendation: Recommendation | { error: string };
  try {
    recommendation = recommend(candidates);
  } catch (error) {
    recommendation = { error: (error as Error).message };
  }

  const report = {
    generated_at: new Date().toISOString(),
    duration_s: Math.round((Date.now() - started) / 1000),
    machine: {
      cpus: cpus().length,
      cpu_model: cpus()[0]?.model ?? 'unknown',
      memory_gib: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      driver: `mongodb ${driverVersion()} (the driver mongoose ${mongoose.version} bundles)`,
      load_average_1_5_15: load,
      note: 'shared machine: other engineers build and test at the same time, so absolute times are upper bounds; the growth from 1k to 100k is the figure to read',
    },
    method: {
      transport: 'docker container with host networking, loopback only, one request at a time',
      document: `event log record {eventId (unique, UUID), patient (non-unique, about ${EVENTS_PER_PATIENT} documents per patient at every size), type, time, payload (300 base64 characters)}`,
      indexes: 'unique on eventId and non-unique on patient, created before the inserts',
      bounds: DEFAULT_BOUNDS,
      run_budget_s: RUN_BUDGET_MS / 1000,
      fewer_ops:
        'a loop that timed fewer than maxOps operations stopped at its time budget (stopped_by_time_budget: true); at 100k documents that is the case wherever one operation takes seconds',
    },
    descriptions,
    candidates: Object.fromEntries(STORE_CANDIDATES.filter((c) => candidates[c.name]).map((c) => [c.name, candidates[c.name]])),
    recommendation,
  };

  mkdirSync(dirname(options.out), { recursive: true });
  const temporary = options.out.replace(/\.json$/, '') + '.tmp.json';
  writeFileSync(temporary, JSON.stringify(report, null, 2) + '\n');
  renameSync(temporary, options.out);
  printTable(candidates);
  if ('local_default' in recommendation) {
    log(`local default: ${recommendation.local_default} (hot-path cost s: ${JSON.stringify(recommendation.hot_path_cost_s)})`);
  } else {
    log(`no recommendation: ${recommendation.error}`);
  }
  log(`wrote ${options.out} in ${report.duration_s} s`);
}

main().catch((error: unknown) => {
  console.error(`[bench:store] failed: ${(error as Error).message}`);
  process.exit(1);
});
