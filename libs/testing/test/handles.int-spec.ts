import Redis from 'ioredis';
import { getContainerRuntimeClient } from 'testcontainers';
import { getInfrastructure, type Infrastructure } from '../src';

async function ping(url: string): Promise<string> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await client.ping();
  } finally {
    client.disconnect();
  }
}

describe('component handles', () => {
  let infra: Infrastructure;

  beforeAll(async () => {
    infra = await getInfrastructure();
  });

  it('stop makes Redis unreachable and start brings it back', async () => {
    expect(await ping(infra.redis.url)).toBe('PONG');
    await infra.handles.redis.stop();
    try {
      await expect(ping(infra.redis.url)).rejects.toThrow();
    } finally {
      await infra.handles.redis.start();
    }
    expect(await ping(infra.redis.url)).toBe('PONG');
  });

  it('kill is a crash (SIGKILL) and restart recovers', async () => {
    await infra.handles.redis.kill();
    await expect(ping(infra.redis.url)).rejects.toThrow();
    await infra.handles.redis.restart();
    expect(await ping(infra.redis.url)).toBe('PONG');
  });

  it('act on containers that testcontainers started, labelled for the reaper', async () => {
    const docker = (await getContainerRuntimeClient()).container.dockerode;
    const handles = [infra.handles.kafka, infra.handles.redis, infra.handles.geth.provider, infra.handles.geth.issuer, ...(infra.handles.mongo ? [infra.handles.mongo] : [])];
    for (const handle of handles) {
      const info = await docker.getContainer(handle.containerId).inspect();
      expect(info.State.Running).toBe(true);
      expect(info.HostConfig.NetworkMode).toBe('host');
      expect(info.Config.Labels).toMatchObject({ 'org.testcontainers': 'true', 'carechain.infra': 'true' });
      expect(info.Config.Labels['carechain.session']).toBeTruthy();
      expect(Number(info.Config.Labels['carechain.owner-pid'])).toBeGreaterThan(0);
    }
  });
});
