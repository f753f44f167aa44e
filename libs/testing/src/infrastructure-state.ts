import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InfrastructureError, InfrastructureErrorCode } from './infrastructure.error';
import type { InfrastructureState } from './infrastructure.types';
import { stateDir } from './repo-paths';

/** Env var through which the Jest global setup hands the state file's path to workers. */
export const STATE_ENV = 'CARECHAIN_INFRA_STATE';

/** State file of the detached `infra up` instance of this checkout. */
export function detachedStatePath(): string {
  return join(stateDir(), 'infra.json');
}

/** State file for one test run. */
export function runStatePath(session: string): string {
  return join(stateDir(), 'runs', `${session}.json`);
}

/** Writes the state atomically (write, then rename), so a reader never sees half a file. */
export function writeState(path: string, state: InfrastructureState): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n');
  renameSync(tmp, path);
}

/** Reads a state file, or undefined when it does not exist; a malformed file is a typed error. */
export function readState(path: string): InfrastructureState | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const state = JSON.parse(readFileSync(path, 'utf8')) as InfrastructureState;
    if (state.version !== 1 || !state.endpoints || !state.containers) throw new Error('unknown shape');
    return state;
  } catch (err) {
    throw new InfrastructureError(InfrastructureErrorCode.StateMissing, `state file ${path} is not readable: ${(err as Error).message}`, { cause: err });
  }
}

/** Deletes a state file if it exists. */
export function removeState(path: string): void {
  rmSync(path, { force: true });
}
