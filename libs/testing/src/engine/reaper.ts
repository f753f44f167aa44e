import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { LABEL } from './container-labels';
import { runtimeClient } from './docker-engine';

/** True when `pid` names a live process on this host. */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive but owned by another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes infrastructure containers left by a run that died without cleaning up (crashed or
 * SIGKILLed test run): mode "run", started on this host, owner pid no longer alive. Detached
 * `infra up` containers are never swept. Returns the names removed.
 */
export async function sweepOrphans(): Promise<string[]> {
  const docker = (await runtimeClient()).container.dockerode;
  const containers = await docker.listContainers({ all: true, filters: { label: [`${LABEL.infra}=true`] } });
  const removed: string[] = [];
  for (const info of containers) {
    const labels = info.Labels ?? {};
    if (labels[LABEL.mode] !== 'run' || labels[LABEL.ownerHost] !== hostname()) continue;
    if (pidAlive(Number(labels[LABEL.ownerPid]))) continue;
    await docker.getContainer(info.Id).remove({ force: true, v: true }).catch(() => undefined);
    removed.push(info.Names?.[0]?.replace(/^\//, '') ?? info.Id.slice(0, 12));
  }
  return removed;
}

/**
 * Makes sure `containerIds` are removed when this process ends: on normal exit (synchronously,
 * with the docker CLI, because no async work can run in an 'exit' handler) and, when
 * `handleSignals` is set, on SIGINT/SIGTERM: when no other listener handles the signal, removes
 * them and exits 130/143; otherwise leaves the shutdown to that listener. Returns a function that
 * cancels the hooks, for after an orderly stop.
 */
export function removeOnExit(containerIds: string[], handleSignals: boolean): () => void {
  const removeNow = (): void => {
    spawnSync('docker', ['rm', '-f', '-v', ...containerIds], { stdio: 'ignore', env: process.env });
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    // Someone else handles this signal (e.g. `npm start` draining its services): let them
    // shut down in order; the 'exit' hook still removes the containers at the end.
    if (process.listenerCount(signal) > 0) return;
    removeNow();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('exit', removeNow);
  if (handleSignals) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  return () => {
    process.removeListener('exit', removeNow);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
}
