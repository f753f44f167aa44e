import { InfrastructureError, InfrastructureErrorCode } from '../infrastructure.error';

/**
 * Calls `probe` until it resolves, then returns its value; retries every `intervalMs` and
 * throws a READINESS_TIMEOUT error naming `what` (with the last failure as cause) once
 * `timeoutMs` has passed.
 */
export async function waitUntil<T>(what: string, probe: () => Promise<T>, timeoutMs: number, intervalMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      return await probe();
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) {
      const reason = last instanceof Error ? last.message : String(last);
      throw new InfrastructureError(InfrastructureErrorCode.ReadinessTimeout, `${what} not ready after ${timeoutMs} ms: ${reason}`, { cause: last });
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
