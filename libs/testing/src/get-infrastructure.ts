import { InfrastructureError, InfrastructureErrorCode } from './infrastructure.error';
import { detachedStatePath, readState, STATE_ENV } from './infrastructure-state';
import type { Infrastructure } from './infrastructure.types';
import { infrastructureFromState } from './start-infrastructure';

let shared: Promise<Infrastructure> | undefined;

/**
 * In a test file: the shared instance the Jest global setup started once for this run (found
 * through the state file named by $CARECHAIN_INFRA_STATE), or else a running `infra up`
 * instance. Its handles work from this worker; its stop() is a no-op, because the global
 * teardown owns the containers. Throws STATE_MISSING when neither exists.
 */
export function getInfrastructure(): Promise<Infrastructure> {
  shared ??= (async () => {
    const path = process.env[STATE_ENV];
    const state = (path ? readState(path) : undefined) ?? readState(detachedStatePath());
    if (!state) {
      throw new InfrastructureError(
        InfrastructureErrorCode.StateMissing,
        `no shared infrastructure: run tests with jest.integration.config.js (its global setup starts one), or start one with \`npx tsx infra/cli.ts up\``,
      );
    }
    return infrastructureFromState(state, async () => undefined);
  })();
  shared.catch(() => (shared = undefined));
  return shared;
}
