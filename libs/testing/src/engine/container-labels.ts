/** Labels every infrastructure container carries, so any process can find and reap them. */
export const LABEL = {
  /** "true" on every container this lib starts. */
  infra: 'carechain.infra',
  /** The run (test session or `infra up`) the container belongs to. */
  session: 'carechain.session',
  /** Pid of the process that started it; the container is orphaned once that pid is dead. */
  ownerPid: 'carechain.owner-pid',
  /** Host name of that process, since a pid means nothing on another host. */
  ownerHost: 'carechain.owner-host',
  /** "detached" for `infra up` (outlives its starter, never swept) or "run" (owned). */
  mode: 'carechain.mode',
  /** Which component: kafka, redis, mongo, geth-provider, geth-issuer. */
  component: 'carechain.component',
  /** The component's host ports as JSON, for `infra status`. */
  ports: 'carechain.ports',
} as const;

/** Whether a container outlives the process that started it. */
export type ContainerMode = 'detached' | 'run';
