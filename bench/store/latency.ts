/** Latency of one operation type, in milliseconds, over `ops` timed operations. */
export interface LatencySummary {
  ops: number;
  median_ms: number;
  p95_ms: number;
  max_ms: number;
  /** True when the time budget ran out before the requested number of operations. */
  stopped_by_time_budget: boolean;
}

/** Bounds for one measured loop: it never runs more than `maxOps` nor (much) longer than `budgetMs`. */
export interface LoopBounds {
  /**
   * Untimed operations first, so that JIT warm-up and cold caches are not measured. They stop
   * once a fifth of `budgetMs` is spent on them; when the first alone takes longer than that,
   * it is kept as the first timed sample instead.
   */
  warmupOps: number;
  maxOps: number;
  /** At least this many operations are timed even when one takes longer than the budget. */
  minOps: number;
  budgetMs: number;
}

/**
 * The `q`-quantile (0 < q <= 1) of `samples` by the nearest-rank method: the smallest sample
 * such that at least q·n samples are less than or equal to it. Throws on an empty list.
 */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) throw new RangeError('quantile of an empty sample list');
  if (!(q > 0 && q <= 1)) throw new RangeError(`quantile must be in (0, 1], got ${q}`);
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.ceil(q * sorted.length) - 1];
}

/** Rounds to 3 decimals, enough for milliseconds measured with performance.now(). */
export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** Summarises timed samples (milliseconds). */
export function summarize(samples: readonly number[], stoppedByTimeBudget: boolean): LatencySummary {
  return {
    ops: samples.length,
    median_ms: round3(quantile(samples, 0.5)),
    p95_ms: round3(quantile(samples, 0.95)),
    max_ms: round3(Math.max(...samples)),
    stopped_by_time_budget: stoppedByTimeBudget,
  };
}

/**
 * Runs `operation(i)` one at a time within `bounds` and summarises how long each took.
 * Operations are sequential on purpose: we measure the latency of one request, not throughput.
 */
export async function measureLoop(
  operation: (i: number) => Promise<void>,
  bounds: LoopBounds,
): Promise<LatencySummary> {
  const samples: number[] = [];
  const warmupStarted = performance.now();
  let warmups = 0;
  while (warmups < bounds.warmupOps) {
    const t0 = performance.now();
    await operation(warmups++);
    const took = performance.now() - t0;
    // An operation that takes over a fifth of the budget gains nothing measurable from warming
    // up, and the budget is better spent on samples, so the first one counts.
    if (warmups === 1 && took > bounds.budgetMs / 5) {
      samples.push(took);
      break;
    }
    if (performance.now() - warmupStarted > bounds.budgetMs / 5) break;
  }
  // A warm-up operation kept as a sample has already used part of the budget.
  const started = performance.now() - samples.reduce((sum, ms) => sum + ms, 0);
  let stoppedByTime = false;
  let next = warmups;
  while (samples.length < bounds.maxOps) {
    if (samples.length >= bounds.minOps && performance.now() - started > bounds.budgetMs) {
      stoppedByTime = true;
      break;
    }
    const t0 = performance.now();
    await operation(next++);
    samples.push(performance.now() - t0);
  }
  return summarize(samples, stoppedByTime);
}
