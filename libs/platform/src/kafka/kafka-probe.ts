import type { Admin } from 'kafkajs';
import { withTimeout, type DependencyProbe } from '../health/dependency-probe';

export const KAFKA_PROBE = Symbol('KAFKA_PROBE');

/** Kafka is ready when the cluster metadata can be read within 3 s. */
export function kafkaProbe(admin: Admin): DependencyProbe {
  return {
    name: 'kafka',
    async check() {
      const cluster = await withTimeout(admin.describeCluster(), 3_000, 'kafka describeCluster');
      return { brokers: cluster.brokers.length, controller: cluster.controller };
    },
  };
}
