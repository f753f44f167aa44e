import { hotPathCostSeconds, recommend, type CandidateResults } from './recommendation';
import type { SizeResult } from './store-workload';

function latency(median: number) {
  return { ops: 10, median_ms: median, p95_ms: median * 2, max_ms: median * 3, stopped_by_time_budget: false };
}

function result(size: number, insertUs: number, uniqueMs: number, queryMs: number): SizeResult {
  return {
    documents: size,
    insert_many: { batch_size: 1000, inserted: size, us_per_doc: insertUs, last_batch_us_per_doc: insertUs, total_s: 1 },
    unique_read: latency(uniqueMs),
    unique_update: latency(uniqueMs),
    non_unique_query: { ...latency(queryMs), docs_per_result: 50, plan: '' },
  };
}

const flat: CandidateResults = { '1000': result(1000, 1000, 5, 20), '10000': result(10_000, 1000, 5, 100), '100000': result(100_000, 1000, 5, 900) };
const linear: CandidateResults = { '1000': result(1000, 100, 2, 5), '10000': result(10_000, 100, 20, 50), '100000': result(100_000, 100, 200, 500) };

describe('hotPathCostSeconds', () => {
  it('prices inserts, unique-key reads and updates at 100k and non-unique queries at 10k', () => {
    // 1000 docs × 1000 µs + 1000 × 5 ms + 1000 × 5 ms + 20 × 100 ms = 1 + 5 + 5 + 2 s
    expect(hotPathCostSeconds(flat)).toBe(13);
  });

  it('is null when a size it needs is missing or failed', () => {
    expect(hotPathCostSeconds({ '1000': flat['1000'], '10000': flat['10000'], '100000': { error: 'not reached' } })).toBeNull();
  });
});

describe('recommend', () => {
  it('picks the candidate that stays flat on unique keys over one that is faster at 1k', () => {
    const chosen = recommend({ linear, flat });
    expect(chosen.local_default).toBe('flat');
    expect(chosen.selectable).toEqual(['linear']);
    expect(chosen.unique_read_growth_1k_to_100k).toEqual({ linear: 100, flat: 1 });
    expect(chosen.priced_at_documents).toBe(100_000);
  });

  it('prices at the largest size every candidate reached when one missed 100k', () => {
    const chosen = recommend({ flat, linear: { ...linear, '100000': { error: 'not reached' } } });
    expect(chosen.priced_at_documents).toBe(10_000);
    // linear at 10k: 0.1 s of inserts + 20 s + 20 s of unique-key work + 1 s of queries
    expect(chosen.hot_path_cost_s).toEqual({ flat: 13, linear: 41.1 });
    expect(chosen.local_default).toBe('flat');
  });

  it('throws when no candidate reached 10k documents', () => {
    expect(() => recommend({ flat: { '1000': flat['1000'] } })).toThrow(/10k/);
  });
});
