import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getContainerRuntimeClient, type ContainerRuntimeClient } from 'testcontainers';
import { InfrastructureError, InfrastructureErrorCode } from '../infrastructure.error';
import { cacheDir } from '../repo-paths';

/**
 * Points this process (and testcontainers) at the engine infra/scripts/ensure-docker.sh found:
 * keeps DOCKER_HOST when set; otherwise takes the export line that script wrote to
 * $CARECHAIN_CACHE/docker/env.sh, or our own socket when no default socket exists. Disables
 * Ryuk, whose image cannot be pulled here; this lib reaps its own containers by label.
 */
export function prepareEngineEnvironment(): void {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  if (process.env.DOCKER_HOST) return;
  const envFile = join(cacheDir(), 'docker', 'env.sh');
  const ownSocket = join(cacheDir(), 'docker', 'docker.sock');
  if (existsSync(envFile)) {
    const match = /export DOCKER_HOST=(\S+)/.exec(readFileSync(envFile, 'utf8'));
    if (match) {
      process.env.DOCKER_HOST = match[1];
      return;
    }
  }
  if (!existsSync('/var/run/docker.sock') && existsSync(ownSocket)) process.env.DOCKER_HOST = `unix://${ownSocket}`;
}

/** testcontainers' engine client (dockerode inside); fails with a typed error when no engine answers. */
export async function runtimeClient(): Promise<ContainerRuntimeClient> {
  prepareEngineEnvironment();
  try {
    return await getContainerRuntimeClient();
  } catch (err) {
    throw new InfrastructureError(
      InfrastructureErrorCode.EngineUnreachable,
      `no Docker engine answers at ${process.env.DOCKER_HOST ?? 'the default socket'}; run: bash infra/scripts/ensure-docker.sh`,
      { cause: err },
    );
  }
}
