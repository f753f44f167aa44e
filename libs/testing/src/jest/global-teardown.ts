// Jest global teardown: removes the containers the global setup started (a reused `infra up`
// instance keeps running) and deletes this run's state file.
import { STATE_ENV, removeState } from '../infrastructure-state';
import type { Infrastructure } from '../infrastructure.types';
import { GLOBAL_KEY } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const infrastructure = (globalThis as Record<string, unknown>)[GLOBAL_KEY] as Infrastructure | undefined;
  await infrastructure?.stop();
  const path = process.env[STATE_ENV];
  if (path) removeState(path);
  delete process.env[STATE_ENV];
}
