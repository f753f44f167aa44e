import type { ComponentHandle } from '../infrastructure.types';
import { InfrastructureError, InfrastructureErrorCode } from '../infrastructure.error';
import { runtimeClient } from './docker-engine';

/** Seconds a stop waits after SIGTERM before SIGKILL. */
const STOP_TIMEOUT_S = 10;

function statusCode(err: unknown): number | undefined {
  return (err as { statusCode?: number }).statusCode;
}

async function tolerate(action: () => Promise<unknown>, okCodes: number[], what: string): Promise<void> {
  try {
    await action();
  } catch (err) {
    if (okCodes.includes(statusCode(err) ?? -1)) return;
    throw new InfrastructureError(InfrastructureErrorCode.ContainerFailed, `${what}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * A handle on one container by id, acting through the engine API, so it works in any process
 * (Jest workers included). `waitReady` is the component's readiness probe.
 */
export function componentHandle(containerId: string, name: string, waitReady: () => Promise<void>): ComponentHandle {
  const container = async () => (await runtimeClient()).container.dockerode.getContainer(containerId);
  // 304: already in the requested state; 409: not running (kill).
  const stop = async () => tolerate(async () => (await container()).stop({ t: STOP_TIMEOUT_S }), [304], `stop ${name}`);
  const start = async () => {
    await tolerate(async () => (await container()).start(), [304], `start ${name}`);
    await waitReady();
  };
  return {
    containerId,
    stop,
    start,
    kill: async () => tolerate(async () => (await container()).kill(), [304, 409], `kill ${name}`),
    restart: async () => {
      await stop();
      await start();
    },
    waitReady,
  };
}
