import type { InfrastructureEndpoints } from '../infrastructure.types';

/** The Nx project a process runs. */
export type ServiceProject = 'registry' | 'provider-storage' | 'attribute-issuer' | 'auth' | 'audit' | 'chain-relay';

/** One service process to run: which project, on which port, with which environment. */
export interface ServiceSpec {
  /** Unique name of this process, e.g. `attribute-issuer-issuer-a`. */
  readonly name: string;
  readonly project: ServiceProject;
  readonly port: number;
  readonly env: Readonly<Record<string, string>>;
}

/**
 * The contracts the platform runs against and the development keys registered in them
 * (deployed by scripts/lib/platform-contracts.ts for `npm start` and the e2e tests).
 */
export interface PlatformContracts {
  readonly registrarAddress: string;
  readonly ledgerAddress: string;
  readonly ledgerDeployBlock: number;
  /** Development account 3, registered as the relay that commits batches. */
  readonly relayPrivateKey: string;
  /** Development account 2, registered as the demo health provider. */
  readonly providerAddress: string;
  /** Development account 4, registered as a relay party: the registry enrols patients and users with it. */
  readonly enrollerPrivateKey: string;
}

/** The ports `npm start` uses; tests pick free ones instead. */
export const DEFAULT_SERVICE_PORTS = {
  registry: 3001,
  'provider-storage': 3002,
  'attribute-issuer-issuer-a': 3003,
  'attribute-issuer-issuer-b': 3004,
  auth: 3005,
  audit: 3006,
  'chain-relay': 3007,
} as const;

export type ServiceName = keyof typeof DEFAULT_SERVICE_PORTS;

/** The two attribute authorities started by default. */
export const DEFAULT_ISSUERS = ['issuer-a', 'issuer-b'] as const;

/**
 * The whole platform as processes wired to one infrastructure: six services, with the
 * attribute issuer twice under its own issuer id and database. Each service gets its own
 * database on the shared MongoDB server, as it would in production.
 */
export function platformServiceSpecs(
  infra: InfrastructureEndpoints,
  contracts: PlatformContracts,
  ports: Record<ServiceName, number> = DEFAULT_SERVICE_PORTS,
  options: { databasePrefix?: string; logLevel?: string } = {},
): ServiceSpec[] {
  const prefix = options.databasePrefix ?? 'carechain';
  const common = {
    HOST: '127.0.0.1',
    LOG_LEVEL: options.logLevel ?? 'info',
    KAFKA_BROKERS: infra.kafka.brokers.join(','),
    KAFKA_TOPIC_PARTITIONS: '3',
  };
  const mongo = (service: string) => ({ MONGO_URL: withDatabase(infra.mongo.url, `${prefix}-${service}`) });
  const provider = infra.chain.nodes.find((n) => n.name === 'provider') ?? infra.chain.nodes[0];
  const chain = { ETH_RPC_URL: provider.rpcUrl, CHAIN_ID: String(infra.chain.chainId), ETH_POLLING_INTERVAL_MS: '500' };
  const spec = (name: ServiceName, project: ServiceProject, env: Record<string, string>): ServiceSpec => ({
    name,
    project,
    port: ports[name],
    env: { ...common, ...env, PORT: String(ports[name]) },
  });
  return [
    spec('registry', 'registry', {
      ...mongo('registry'),
      ...chain,
      PPR_LEDGER_ADDRESS: contracts.ledgerAddress,
      PPR_LEDGER_DEPLOY_BLOCK: String(contracts.ledgerDeployBlock),
      SUMMARY_CONFIRMATIONS: '3',
      REGISTRAR_ADDRESS: contracts.registrarAddress,
      ENROLLER_PRIVATE_KEY: contracts.enrollerPrivateKey,
    }),
    spec('provider-storage', 'provider-storage', {
      ...mongo('provider-storage'),
      PROVIDER_ADDRESS: contracts.providerAddress,
    }),
    ...DEFAULT_ISSUERS.map((issuer) =>
      spec(`attribute-issuer-${issuer}`, 'attribute-issuer', {
        ...mongo(`attribute-issuer-${issuer}`),
        ISSUER_ID: issuer,
        ISSUER_ADMIN_TOKEN: `dev-only-admin-token-for-${issuer}-0000000000`,
      }),
    ),
    spec('auth', 'auth', { REDIS_URL: infra.redis.url }),
    spec('audit', 'audit', mongo('audit')),
    spec('chain-relay', 'chain-relay', {
      ...mongo('chain-relay'),
      ...chain,
      RELAY_PRIVATE_KEY: contracts.relayPrivateKey,
      PPR_LEDGER_ADDRESS: contracts.ledgerAddress,
      REGISTRAR_ADDRESS: contracts.registrarAddress,
    }),
  ];
}

/** Puts `database` in a MongoDB connection string, keeping hosts and options. */
export function withDatabase(url: string, database: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(url);
  if (!match) throw new Error(`not a MongoDB connection string: ${url}`);
  return `${match[1]}/${database}${match[2] ?? ''}`;
}
