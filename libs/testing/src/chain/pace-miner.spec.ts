import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';

// infra/images/geth/pace-miner.js runs in geth's console; here it runs in a Node context
// against a simulated node (head time, clock, miner) to check when it pauses and resumes.
const script = readFileSync(join(__dirname, '../../../../infra/images/geth/pace-miner.js'), 'utf8');

class StopLoop extends Error {}

interface Step {
  /** Seconds the head's time is ahead of the clock at this poll. */
  ahead: number;
  /** Applied before the poll: someone else stops or starts the miner. */
  external?: 'stop' | 'start';
  /** The node's RPC fails at this poll. */
  unreachable?: boolean;
}

/** Runs the script's loop over `steps` polls; returns the miner calls it made and the final state. */
function simulate(steps: Step[], vars: Record<string, number> = {}) {
  const now = 1_800_000_000;
  let i = 0;
  let mining = true;
  const calls: string[] = [];
  const context = {
    ...vars,
    Date: { now: () => now * 1000 },
    console: { log: () => undefined },
    eth: {
      getBlock: () => {
        if (steps[i].unreachable) throw new Error('connection refused');
        return { number: 100 + i, timestamp: now + steps[i].ahead };
      },
      get mining() {
        return mining;
      },
    },
    miner: {
      stop: () => {
        calls.push(`stop@${i}`);
        mining = false;
      },
      start: (threads?: number) => {
        calls.push(threads === 1 ? `start@${i}` : `start(${threads})@${i}`);
        mining = true;
      },
    },
    admin: {
      sleep: () => {
        i++;
        if (i >= steps.length) throw new StopLoop();
        const external = steps[i].external;
        if (external) mining = external === 'start';
      },
    },
  };
  try {
    runInNewContext(script, context);
  } catch (error) {
    if (!(error instanceof StopLoop)) throw error;
  }
  return { calls, mining };
}

describe('pace-miner (geth console script)', () => {
  it('pauses when the head is 8 s ahead and resumes once it is within 2 s', () => {
    const { calls, mining } = simulate([{ ahead: 3 }, { ahead: 7 }, { ahead: 8 }, { ahead: 6 }, { ahead: 3 }, { ahead: 2 }, { ahead: 9 }]);
    expect(calls).toEqual(['stop@2', 'start@5', 'stop@6']);
    expect(mining).toBe(false);
  });

  it('never starts a miner that someone else stopped', () => {
    const { calls, mining } = simulate([{ ahead: 0 }, { ahead: 10, external: 'stop' }, { ahead: 1 }, { ahead: -5 }]);
    expect(calls).toEqual([]);
    expect(mining).toBe(false);
  });

  it('hands the miner back when someone else starts it while paused, and does not restart one they then stop', () => {
    const { calls, mining } = simulate([{ ahead: 9 }, { ahead: 5, external: 'start' }, { ahead: 4, external: 'stop' }, { ahead: 0 }]);
    expect(calls).toEqual(['stop@0']);
    expect(mining).toBe(false);
  });

  it('takes its thresholds and thread count from the variables entrypoint.sh sets', () => {
    const { calls } = simulate([{ ahead: 4 }, { ahead: 5 }, { ahead: 1 }, { ahead: 0 }], { PACE_PAUSE_AHEAD_S: 5, PACE_RESUME_AHEAD_S: 0, PACE_MINER_THREADS: 2 });
    expect(calls).toEqual(['stop@1', 'start(2)@3']);
  });

  // Geth cannot say who stopped a miner: a stop while it is paused here is not seen, so a
  // caller that needs it held re-sends miner_stop (the reorg tests do).
  it('restarts after its own pause even if someone also stopped the miner meanwhile', () => {
    const { calls } = simulate([{ ahead: 9 }, { ahead: 5, external: 'stop' }, { ahead: 2 }]);
    expect(calls).toEqual(['stop@0', 'start@2']);
  });

  it('keeps polling when the node is unreachable', () => {
    const { calls } = simulate([{ ahead: 9, unreachable: true }, { ahead: 9 }]);
    expect(calls).toEqual(['stop@1']);
  });
});
