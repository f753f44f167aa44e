import { randomUUID } from 'node:crypto';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { getInfrastructure } from '../src';

describe('Kafka', () => {
  it('commits a transaction and a consumer group reads every message back', async () => {
    const infra = await getInfrastructure();
    const kafka = new Kafka({ clientId: 'testing-kafka-check', brokers: infra.kafka.brokers, logLevel: logLevel.WARN });
    const topic = `testing.kafka-check.${randomUUID()}`;
    const admin = kafka.admin();
    const producer = kafka.producer({ transactionalId: `testing-${randomUUID()}`, idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    const consumer = kafka.consumer({ groupId: `testing-${randomUUID()}` });
    try {
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(metadata.topics[0].partitions).toHaveLength(3);

      await producer.connect();
      const transaction = await producer.transaction();
      const sent = Array.from({ length: 30 }, (_, i) => ({ key: `patient-${i % 5}`, value: `event-${i}` }));
      await transaction.send({ topic, messages: sent });
      await transaction.commit();

      const received: string[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const all = new Promise<void>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => {
            received.push(message.value!.toString());
            if (received.length === sent.length) resolve();
          },
        });
      });
      await all;
      expect(received.sort()).toEqual(sent.map((m) => m.value).sort());
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    }
  });

  it('does not create topics on demand', async () => {
    const infra = await getInfrastructure();
    const kafka = new Kafka({ clientId: 'testing-kafka-check', brokers: infra.kafka.brokers, logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      await expect(producer.send({ topic: `testing.absent.${randomUUID()}`, messages: [{ value: 'x' }] })).rejects.toThrow();
    } finally {
      await producer.disconnect();
    }
  });
});
