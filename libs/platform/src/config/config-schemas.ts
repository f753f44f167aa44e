import { SigningKey } from 'ethers';
import { z } from 'zod';

/**
 * Environment fragments shared by the services. Each service composes the fragments it uses
 * into one schema (see services/<name>/src/config.ts), so a variable is named and validated
 * in exactly one place.
 */

const port = z.coerce.number().int().min(1).max(65535);
const csv = z
  .string()
  .min(1)
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

export const httpConfigSchema = z.object({
  PORT: port,
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export const kafkaConfigSchema = z.object({
  KAFKA_BROKERS: csv.pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port')).min(1)),
  KAFKA_CLIENT_ID: z.string().min(1).optional(),
  KAFKA_TOPIC_PARTITIONS: z.coerce.number().int().min(1).default(3),
  KAFKA_REPLICATION_FACTOR: z.coerce.number().int().min(1).default(1),
  KAFKA_HANDLER_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  KAFKA_RETRY_BACKOFF_MS: z.coerce.number().int().min(1).default(200),
});

export const mongoConfigSchema = z.object({
  MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// URL'),
});

export const redisConfigSchema = z.object({
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL'),
});

export const chainConfigSchema = z.object({
  ETH_RPC_URL: z.url({ protocol: /^(https?|wss?)$/ }),
  CHAIN_ID: z.coerce.number().int().min(1),
  ETH_POLLING_INTERVAL_MS: z.coerce.number().int().min(50).default(1000),
});

/** A secp256k1 private key (0x and 64 hex digits) for an account that signs transactions. */
export const signingKeySchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, 'must be a 0x-prefixed 32-byte hex private key')
  .refine((key) => {
    try {
      return new SigningKey(key).publicKey.length > 0;
    } catch {
      return false;
    }
  }, 'is not a valid secp256k1 private key');

export type HttpConfig = z.output<typeof httpConfigSchema>;
export type KafkaConfig = z.output<typeof kafkaConfigSchema>;
export type MongoConfig = z.output<typeof mongoConfigSchema>;
export type RedisConfig = z.output<typeof redisConfigSchema>;
export type ChainConfig = z.output<typeof chainConfigSchema>;
