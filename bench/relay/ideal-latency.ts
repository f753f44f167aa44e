// The relay benchmark's lower bound on latency, kept apart from run.ts so it can be unit-tested.

/**
 * The latency an ideal relay would reach on this run's chain: an operation published at t is
 * in the first block seen after t (as if it reached the miner's template at once, with no
 * batching, signing, one-in-flight rule or capacity limit) and confirmed when the block k - 1
 * higher is seen. No relay can beat it on the same blocks (to the observer's resolution: a
 * 50 ms poll, against the relay's 250 ms tick and Kafka delivery); it shows how much of the p99 is the
 * proof-of-work block times themselves. Ops whose confirming block was not seen are left out.
 */
export function idealLatencies(sentTimes: number[], seenAt: Map<number, number>, k: number): number[] {
  const heights = [...seenAt.keys()].sort((a, b) => a - b);
  const out: number[] = [];
  let h = 0;
  for (const t of [...sentTimes].sort((a, b) => a - b)) {
    while (h < heights.length && seenAt.get(heights[h])! <= t) h++;
    if (h >= heights.length) break;
    const confirmedAt = seenAt.get(heights[h] + k - 1);
    if (confirmedAt !== undefined) out.push(confirmedAt - t);
  }
  return out.sort((a, b) => a - b);
}
