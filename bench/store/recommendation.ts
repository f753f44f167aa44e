import type { SizeResult } from './store-workload';

/** Per candidate, results keyed by collection size ("1000", "10000", "100000"). */
export type CandidateResults = Record<string, SizeResult | { error: string }>;

/**
 * The weights of the hot-path mix that decides the local default, per 1,000 new events:
 * insertMany of the events themselves (batch-shaped writes), one read and one update by
 * unique key per event (idempotency check, then the status change), and a few queries by
 * patient on a small collection (non-unique reads are kept to small collections by design).
 */
export const HOT_PATH_MIX = {
  insertedDocs: 1000,
  uniqueReads: 1000,
  uniqueUpdates: 1000,
  nonUniqueQueries: 20,
  /**
   * Size at which the unique-key paths and inserts are priced: 100k, or the largest size that
   * every candidate reached when a busy machine kept one from reaching 100k in the run's time.
   */
  largeSize: '100000',
  /** Size at which the non-unique query is priced: a small collection. */
  smallSize: '10000',
} as const;

/** The recommendation written into bench/results/store.json. */
export interface Recommendation {
  local_default: string;
  selectable: string[];
  rule: string;
  hot_path_cost_s: Record<string, number | null>;
  unique_read_growth_1k_to_100k: Record<string, number | null>;
  unique_update_growth_1k_to_100k: Record<string, number | null>;
  /** The collection size the unique-key paths were priced at. */
  priced_at_documents: number;
}

function measured(result: SizeResult | { error: string } | undefined): SizeResult | undefined {
  return result && !('error' in result) ? result : undefined;
}

/**
 * Seconds the hot-path mix costs on one candidate, from its medians; null when a size it
 * needs was not measured (such a candidate cannot be recommended).
 */
export function hotPathCostSeconds(results: CandidateResults, largeSize: string = HOT_PATH_MIX.largeSize): number | null {
  const large = measured(results[largeSize]);
  const small = measured(results[HOT_PATH_MIX.smallSize]);
  if (!large || !small) return null;
  const ms =
    (HOT_PATH_MIX.insertedDocs * large.insert_many.us_per_doc) / 1000 +
    HOT_PATH_MIX.uniqueReads * large.unique_read.median_ms +
    HOT_PATH_MIX.uniqueUpdates * large.unique_update.median_ms +
    HOT_PATH_MIX.nonUniqueQueries * small.non_unique_query.median_ms;
  return Math.round(ms) / 1000;
}

function growth(results: CandidateResults, pick: (r: SizeResult) => number): number | null {
  const small = measured(results['1000']);
  const large = measured(results['100000']);
  if (!small || !large || pick(small) === 0) return null;
  return Math.round((pick(large) / pick(small)) * 100) / 100;
}

/**
 * Picks the candidate whose hot-path mix costs least. Guarantees a deterministic choice from
 * the numbers alone; throws when no candidate has the sizes the rule needs.
 */
export function recommend(candidates: Record<string, CandidateResults>): Recommendation {
  const reachedByAll = Object.values(candidates)
    .map((results) => Object.keys(results).filter((size) => measured(results[size])).map(Number))
    .reduce((common, sizes) => common.filter((size) => sizes.includes(size)));
  const largeSize = String(Math.max(...reachedByAll.filter((size) => size >= Number(HOT_PATH_MIX.smallSize))));
  const cost: Record<string, number | null> = {};
  const readGrowth: Record<string, number | null> = {};
  const updateGrowth: Record<string, number | null> = {};
  for (const [name, results] of Object.entries(candidates)) {
    cost[name] = hotPathCostSeconds(results, largeSize);
    readGrowth[name] = growth(results, (r) => r.unique_read.median_ms);
    updateGrowth[name] = growth(results, (r) => r.unique_update.median_ms);
  }
  const ranked = Object.entries(cost)
    .filter((entry): entry is [string, number] => entry[1] !== null)
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]));
  if (ranked.length === 0) throw new Error('the candidates were not all measured at 10k documents or more');
  return {
    local_default: ranked[0][0],
    selectable: Object.keys(candidates).filter((name) => name !== ranked[0][0]),
    rule:
      `least time for the hot-path mix per ${HOT_PATH_MIX.insertedDocs} new events: insertMany of ${HOT_PATH_MIX.insertedDocs} docs, ` +
      `${HOT_PATH_MIX.uniqueReads} unique-key reads and ${HOT_PATH_MIX.uniqueUpdates} unique-key updates at ${largeSize} docs, ` +
      `${HOT_PATH_MIX.nonUniqueQueries} non-unique queries at ${HOT_PATH_MIX.smallSize} docs (medians)`,
    hot_path_cost_s: cost,
    unique_read_growth_1k_to_100k: readGrowth,
    unique_update_growth_1k_to_100k: updateGrowth,
    priced_at_documents: Number(largeSize),
  };
}
