// Real infrastructure for integration/e2e tests and `npm start`: Kafka, the MongoDB-wire store,
// Redis and a two-miner geth proof-of-work chain in locally built containers.
export type {
  ChainNodeName,
  ChainPartitionHandle,
  ComponentHandle,
  Infrastructure,
  InfrastructureEndpoints,
  MongoFlavour,
} from './infrastructure.types';
export { InfrastructureError, InfrastructureErrorCode } from './infrastructure.error';
export { DEFAULT_PORTS, startInfrastructure, type InfrastructurePorts, type StartInfrastructureOptions } from './start-infrastructure';
export { getInfrastructure } from './get-infrastructure';
export { CHAIN_ID, GENESIS_DIFFICULTY } from './chain/genesis';
export { DEV_MNEMONIC, deriveDevAccounts, type DevAccount } from './chain/dev-accounts';
export { KAFKA_READINESS_TOPIC } from './components/kafka.readiness';
export { withDatabase } from './services/service-specs';
