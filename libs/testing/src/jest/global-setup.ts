// Jest global setup (jest.integration.config.js): starts the one shared infrastructure of this
// run, or reuses a running `infra up` instance, and hands it to the test workers through a
// state file whose path is in $CARECHAIN_INFRA_STATE.
import { STATE_ENV, runStatePath, writeState } from '../infrastructure-state';
import { startInfrastructure } from '../start-infrastructure';
import type { Infrastructure, InfrastructureState } from '../infrastructure.types';

/** Where the teardown finds what the setup started (Jest shares globals between the two). */
export const GLOBAL_KEY = '__CARECHAIN_INFRASTRUCTURE__';

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const infrastructure = (await startInfrastructure({
    ports: 'free',
    onProgress: (line) => process.stderr.write(`[infra] ${line}\n`),
  })) as Infrastructure & { state?: InfrastructureState };
  // A reused `infra up` instance has no state of this run; workers find it by its own file.
  if (infrastructure.state) {
    const path = runStatePath(infrastructure.state.session);
    writeState(path, infrastructure.state);
    process.env[STATE_ENV] = path;
  }
  (globalThis as Record<string, unknown>)[GLOBAL_KEY] = infrastructure;
  process.stderr.write(`[infra] shared infrastructure for this run ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
