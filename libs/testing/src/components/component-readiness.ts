import type { ChainNodeName, InfrastructureEndpoints } from '../infrastructure.types';
import { connectNodes } from './chain-network';
import { blockNumber } from './geth-rpc';
import { probeKafka } from './kafka.readiness';
import { pingMongo } from './mongo.readiness';
import { pingRedis } from './redis.readiness';
import { waitUntil } from './wait-until';

/** A component of the infrastructure, as named in container labels and state files. */
export type ComponentName = 'kafka' | 'redis' | 'mongo' | 'geth-provider' | 'geth-issuer';

/** How long each component may take to become ready after its process starts. */
export const READY_TIMEOUT_MS: Record<ComponentName, number> = {
  kafka: 90_000,
  redis: 20_000,
  mongo: 60_000,
  'geth-provider': 60_000,
  'geth-issuer': 60_000,
};

/**
 * Waits until `component` serves:
 * - kafka: a transactional producer commits and a throwaway consumer group joins;
 * - redis: PING answers PONG;
 * - mongo: `ping` succeeds over a fresh connection;
 * - geth-*: RPC answers, the node is peered with the other node (re-peered after a restart),
 *   and at least one block has been mined.
 */
export async function waitComponentReady(component: ComponentName, endpoints: InfrastructureEndpoints, timeoutMs = READY_TIMEOUT_MS[component]): Promise<void> {
  switch (component) {
    case 'kafka':
      return waitUntil('kafka', () => probeKafka(endpoints.kafka.brokers), timeoutMs, 1000);
    case 'redis':
      return waitUntil('redis', () => pingRedis(endpoints.redis.url), timeoutMs, 250);
    case 'mongo':
      return waitUntil('mongo', () => pingMongo(endpoints.mongo.url), timeoutMs, 500);
    case 'geth-provider':
    case 'geth-issuer':
      return waitGethReady(component === 'geth-provider' ? 'provider' : 'issuer', endpoints, timeoutMs);
  }
}

async function waitGethReady(name: ChainNodeName, endpoints: InfrastructureEndpoints, timeoutMs: number): Promise<void> {
  const node = endpoints.chain.nodes.find((n) => n.name === name)!;
  await waitUntil(`geth ${name} rpc`, () => blockNumber(node.rpcUrl), timeoutMs, 250);
  await connectNodes(endpoints.chain.nodes, timeoutMs);
  await waitUntil(`geth ${name} first block`, async () => {
    if ((await blockNumber(node.rpcUrl)) < 1) throw new Error('no block mined yet');
  }, timeoutMs, 500);
}
