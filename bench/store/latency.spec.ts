import { measureLoop, quantile, summarize } from './latency';

describe('quantile (nearest rank)', () => {
  it('gives the median and p95 of 1..100', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(quantile(samples, 0.5)).toBe(50);
    expect(quantile(samples, 0.95)).toBe(95);
    expect(quantile(samples, 1)).toBe(100);
  });

  it('returns the only sample of a one-element list for every q', () => {
    expect(quantile([7], 0.01)).toBe(7);
    expect(quantile([7], 0.95)).toBe(7);
  });

  it('rejects an empty list and a q outside (0, 1]', () => {
    expect(() => quantile([], 0.5)).toThrow(RangeError);
    expect(() => quantile([1, 2], 0)).toThrow(RangeError);
    expect(() => quantile([1, 2], 1.5)).toThrow(RangeError);
  });
});

describe('summarize', () => {
  it('reports count, median, p95 and max without reordering the input', () => {
    const samples = [3, 1, 2, 10];
    expect(summarize(samples, false)).toEqual({ ops: 4, median_ms: 2, p95_ms: 10, max_ms: 10, stopped_by_time_budget: false });
    expect(samples).toEqual([3, 1, 2, 10]);
  });
});

describe('measureLoop', () => {
  // A fake clock that only the operations advance, so the bounds are tested exactly.
  let now = 0;
  beforeEach(() => {
    now = 0;
    jest.spyOn(performance, 'now').mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  function operationTaking(ms: number, seen: number[] = []) {
    return async (i: number) => {
      seen.push(i);
      now += ms;
    };
  }

  it('runs the warm-up untimed, then exactly maxOps timed operations', async () => {
    const seen: number[] = [];
    const summary = await measureLoop(operationTaking(1, seen), { warmupOps: 2, maxOps: 5, minOps: 1, budgetMs: 60_000 });
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(summary.ops).toBe(5);
    expect(summary.median_ms).toBe(1);
    expect(summary.stopped_by_time_budget).toBe(false);
  });

  it('cuts the warm-up short after a fifth of the budget', async () => {
    const seen: number[] = [];
    // 15 ms each against a 20 ms warm-up allowance: two warm-ups, then two timed operations.
    const summary = await measureLoop(operationTaking(15, seen), { warmupOps: 50, maxOps: 2, minOps: 2, budgetMs: 100 });
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(summary.ops).toBe(2);
  });

  it('keeps a first operation slower than a fifth of the budget as a sample', async () => {
    const seen: number[] = [];
    const summary = await measureLoop(operationTaking(30, seen), { warmupOps: 50, maxOps: 2, minOps: 2, budgetMs: 100 });
    expect(seen).toEqual([0, 1]);
    expect(summary.ops).toBe(2);
    expect(summary.median_ms).toBe(30);
  });

  it('stops at the time budget once minOps are done', async () => {
    const summary = await measureLoop(operationTaking(20), { warmupOps: 0, maxOps: 1000, minOps: 3, budgetMs: 50 });
    expect(summary.ops).toBe(3);
    expect(summary.stopped_by_time_budget).toBe(true);
  });

  it('times minOps operations even when each one exceeds the budget', async () => {
    const summary = await measureLoop(operationTaking(500), { warmupOps: 3, maxOps: 1000, minOps: 2, budgetMs: 100 });
    expect(summary.ops).toBe(2);
    expect(summary.median_ms).toBe(500);
  });
});
