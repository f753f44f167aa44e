import { z } from 'zod';
import { describeConfigError } from './load-config';
import { httpConfigSchema, kafkaConfigSchema, mongoConfigSchema } from './config-schemas';

const schema = httpConfigSchema.extend(kafkaConfigSchema.shape).extend(mongoConfigSchema.shape);

describe('config validation', () => {
  it('names a missing variable in one line', () => {
    const result = schema.safeParse({ PORT: '3000', KAFKA_BROKERS: '127.0.0.1:9092' });
    expect(result.success).toBe(false);
    const line = describeConfigError('registry', (result as { error: z.ZodError }).error);
    expect(line).toBe('registry: invalid configuration: MONGO_URL is required');
    expect(line).not.toContain('\n');
  });

  it('names a bad variable and why', () => {
    const result = schema.safeParse({ PORT: 'eighty', KAFKA_BROKERS: 'nohost', MONGO_URL: 'mongodb://x/db' });
    const line = describeConfigError('registry', (result as { error: z.ZodError }).error);
    expect(line).toMatch(/^registry: invalid configuration: /);
    expect(line).toContain('PORT');
    expect(line).toContain('KAFKA_BROKERS');
  });

  it('parses a good environment into typed values', () => {
    const config = schema.parse({ PORT: '3000', KAFKA_BROKERS: 'a:1, b:2', MONGO_URL: 'mongodb://127.0.0.1:27017/x' });
    expect(config.PORT).toBe(3000);
    expect(config.KAFKA_BROKERS).toEqual(['a:1', 'b:2']);
    expect(config.HOST).toBe('127.0.0.1');
    expect(config.KAFKA_TOPIC_PARTITIONS).toBe(3);
  });
});
