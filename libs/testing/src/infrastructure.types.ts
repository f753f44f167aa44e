/** Name of a mining node of the private chain. */
export type ChainNodeName = 'provider' | 'issuer';

/** Which MongoDB-wire server backs `mongo.url`. */
export type MongoFlavour = 'mongo-java-server' | 'ferretdb' | 'external';

/** Where to reach each part of the running infrastructure (all on 127.0.0.1 unless MONGO_URL says otherwise). */
export interface InfrastructureEndpoints {
  kafka: { brokers: string[] };
  mongo: { url: string; flavour: MongoFlavour };
  redis: { url: string };
  chain: {
    chainId: number;
    nodes: { name: ChainNodeName; rpcUrl: string; etherbase: string; enode: string }[];
    /** Prefunded development accounts; index 0 and 1 are the provider's and issuer's etherbases. */
    accounts: { address: string; privateKey: string }[];
  };
}

/**
 * Controls one container from any process (it acts through the engine by container id, not
 * through in-process objects). Every method resolves once the action is complete:
 * `start` and `restart` also wait until the component is ready again.
 */
export interface ComponentHandle {
  readonly containerId: string;
  /** Graceful stop (SIGTERM, then SIGKILL after 10 s). Stopping a stopped container is a no-op. */
  stop(): Promise<void>;
  /** Starts the stopped container and waits until it is ready. */
  start(): Promise<void>;
  /** SIGKILL, like a crash. Killing a stopped container is a no-op. */
  kill(): Promise<void>;
  /** Stop, start, and wait until ready. */
  restart(): Promise<void>;
  /** Resolves when the component serves (see readiness in the README); throws READINESS_TIMEOUT otherwise. */
  waitReady(): Promise<void>;
}

/** Network faults between the two mining nodes, for reorg tests. */
export interface ChainPartitionHandle {
  /** Disconnects the two nodes (admin_removePeer both ways); each keeps mining its own fork. */
  partition(): Promise<void>;
  /** Reconnects them and resolves once both report the same hash at a common height. */
  heal(): Promise<void>;
}

/** A running infrastructure: endpoints plus handles for fault tests. */
export interface Infrastructure extends InfrastructureEndpoints {
  handles: {
    kafka: ComponentHandle;
    /** Absent when MONGO_URL points at an external MongoDB. */
    mongo?: ComponentHandle;
    redis: ComponentHandle;
    geth: Record<ChainNodeName, ComponentHandle>;
    chain: ChainPartitionHandle;
  };
  /** Removes only the containers this call started; a no-op for a reused or shared instance. */
  stop(): Promise<void>;
}

/** Containers of one instance, by component. */
export interface InfrastructureContainers {
  kafka: string;
  redis: string;
  mongo?: string;
  'geth-provider': string;
  'geth-issuer': string;
}

/** What a state file records, so another process can reach and control the same instance. */
export interface InfrastructureState {
  version: 1;
  session: string;
  mode: 'detached' | 'run';
  ownerPid: number;
  startedAt: string;
  endpoints: InfrastructureEndpoints;
  containers: InfrastructureContainers;
}
