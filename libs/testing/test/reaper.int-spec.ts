/**
 * The reaper on the real engine: sweepOrphans removes a run container whose owner pid is dead
 * on this host, and leaves alone one whose owner is alive, a detached (`infra up`) one, and
 * one owned by a process on another host (its pid means nothing here).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { LABEL } from '../src/engine/container-labels';
import { runtimeClient } from '../src/engine/docker-engine';
import { pidAlive, sweepOrphans } from '../src/engine/reaper';
import { ensureImages } from '../src/images/image-builder';

/** A pid that belonged to a process that has exited and been reaped. */
function deadPid(): number {
  const { pid } = spawnSync('true');
  if (!pid || pidAlive(pid)) throw new Error('could not obtain a dead pid');
  return pid;
}

describe('sweepOrphans', () => {
  const session = `reaper-test-${randomBytes(4).toString('hex')}`;

  afterAll(async () => {
    const docker = (await runtimeClient()).container.dockerode;
    const leftovers = await docker.listContainers({ all: true, filters: { label: [`${LABEL.session}=${session}`] } });
    await Promise.all(leftovers.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
  });

  it('removes a run container whose owner pid is dead and keeps those of live owners, detached ones and other hosts', async () => {
    const docker = (await runtimeClient()).container.dockerode;
    const { redis: image } = await ensureImages(['redis']);
    const dead = deadPid();

    // A cheap stand-in for an infrastructure container: the redis image, running `sleep`,
    // with no network, labelled as startInfrastructure labels its containers.
    const start = async (suffix: string, labels: { pid: number; mode: 'run' | 'detached'; host?: string }) => {
      const name = `${session}-${suffix}`;
      const container = await docker.createContainer({
        name,
        Image: image,
        Entrypoint: ['sleep'],
        Cmd: ['300'],
        Labels: {
          [LABEL.infra]: 'true',
          [LABEL.session]: session,
          [LABEL.ownerPid]: String(labels.pid),
          [LABEL.ownerHost]: labels.host ?? hostname(),
          [LABEL.mode]: labels.mode,
          [LABEL.component]: 'redis',
        },
        HostConfig: { NetworkMode: 'none' },
      });
      await container.start();
      return { name, container };
    };

    const orphan = await start('orphan', { pid: dead, mode: 'run' });
    const owned = await start('owned', { pid: process.pid, mode: 'run' });
    const detached = await start('detached', { pid: dead, mode: 'detached' });
    const elsewhere = await start('elsewhere', { pid: dead, mode: 'run', host: `not-${hostname()}` });

    const removed = await sweepOrphans();

    expect(removed).toContain(orphan.name);
    expect(removed).not.toContain(owned.name);
    expect(removed).not.toContain(detached.name);
    expect(removed).not.toContain(elsewhere.name);
    await expect(orphan.container.inspect()).rejects.toMatchObject({ statusCode: 404 });
    for (const kept of [owned, detached, elsewhere]) {
      expect((await kept.container.inspect()).State.Running).toBe(true);
    }
  });
});
