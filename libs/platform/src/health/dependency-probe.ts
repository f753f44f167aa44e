/**
 * A readiness check of one external dependency. `check` resolves when the dependency answers
 * and rejects (with a short reason) when it does not; it must give up within its own timeout.
 */
export interface DependencyProbe {
  /** The name reported by /health/ready: kafka, mongo, redis or chain. */
  readonly name: string;
  check(): Promise<Record<string, unknown> | void>;
}

/** Rejects with `<what> timed out after <ms> ms` if `work` has not settled by then. */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
