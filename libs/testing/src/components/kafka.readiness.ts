import { randomUUID } from 'node:crypto';
import { Kafka, Partitioners, logLevel } from 'kafkajs';

/** The topic readiness probes use; created on first probe, never used by services. */
export const KAFKA_READINESS_TOPIC = 'carechain.readiness';

/**
 * Succeeds only when the broker is usable by services, not merely listening: a transactional
 * producer inits and commits, and a throwaway consumer group joins. During the first seconds
 * after start the group and transaction coordinators answer "coordinator loading"; this
 * probe fails (and is retried by the caller) until both coordinators serve.
 */
export async function probeKafka(brokers: string[]): Promise<void> {
  const kafka = new Kafka({
    clientId: 'carechain-readiness',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    retry: { retries: 1, initialRetryTime: 200 },
  });
  const id = randomUUID();
  const admin = kafka.admin();
  const producer = kafka.producer({ transactionalId: `carechain-readiness-${id}`, idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  const consumer = kafka.consumer({ groupId: `carechain-readiness-${id}`, sessionTimeout: 10_000, rebalanceTimeout: 10_000 });
  try {
    await admin.connect();
    const topics = await admin.listTopics();
    if (!topics.includes(KAFKA_READINESS_TOPIC)) {
      await admin.createTopics({ topics: [{ topic: KAFKA_READINESS_TOPIC, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    }
    await producer.connect();
    const transaction = await producer.transaction();
    await transaction.send({ topic: KAFKA_READINESS_TOPIC, messages: [{ key: id, value: 'ready' }] });
    await transaction.commit();

    await consumer.connect();
    await consumer.subscribe({ topic: KAFKA_READINESS_TOPIC, fromBeginning: false });
    const joined = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('consumer group did not join within 15 s')), 15_000);
      consumer.on(consumer.events.GROUP_JOIN, () => {
        clearTimeout(timer);
        resolve();
      });
      consumer.on(consumer.events.CRASH, (event) => {
        clearTimeout(timer);
        reject(event.payload.error);
      });
    });
    await consumer.run({ eachMessage: async () => undefined });
    await joined;
  } finally {
    await Promise.allSettled([consumer.disconnect(), producer.disconnect(), admin.disconnect()]);
  }
}
