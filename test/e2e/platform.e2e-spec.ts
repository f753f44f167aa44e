/**
 * The platform end to end on the real infrastructure (Kafka, the MongoDB-wire store, Redis,
 * the two-miner PoW chain) shared by this test run: every service boots from its build and
 * reports ready, readiness follows a dependency going away and coming back, events flow
 * between services over the broker into the store, and poison messages are dead-lettered.
 */
import { DeadLetterHeader, deadLetterTopic, IdentityRegistered } from '@carechain/contracts';
import { getInfrastructure, type Infrastructure } from '@carechain/testing';
import { Wallet } from 'ethers';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { createServer } from 'node:net';
import { deployPlatformContracts } from '../../scripts/lib/platform-contracts';
import {
  platformServiceSpecs,
  startServices,
  withDatabase,
  type RunningServices,
  type ServiceName,
} from '../../libs/testing/src/services';

const SERVICE_NAMES: ServiceName[] = [
  'registry',
  'provider-storage',
  'attribute-issuer-issuer-a',
  'attribute-issuer-issuer-b',
  'auth',
  'audit',
  'chain-relay',
];

let infra: Infrastructure;
let platform: RunningServices;
let kafka: Kafka;
let producer: Producer;
const databasePrefix = `e2e${Date.now().toString(36)}`;

beforeAll(async () => {
  infra = await getInfrastructure();
  const ports = Object.fromEntries(await Promise.all(SERVICE_NAMES.map(async (n) => [n, await freePort()]))) as Record<
    ServiceName,
    number
  >;
  const contracts = await deployPlatformContracts(infra);
  platform = await startServices(platformServiceSpecs(infra, contracts, ports, { databasePrefix, logLevel: 'warn' }), {
    readyTimeoutMs: 120_000,
  });
  kafka = new Kafka({ clientId: 'e2e', brokers: infra.kafka.brokers, logLevel: logLevel.NOTHING });
  producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
}, 240_000);

afterAll(async () => {
  await producer?.disconnect();
  await platform?.stop();
});

describe('every service', () => {
  it.each(SERVICE_NAMES)('%s reports ready with each of its dependencies up', async (name) => {
    const response = await fetch(`${platform.get(name).url}/health/ready`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; details: Record<string, { status: string }> };
    expect(body.status).toBe('ok');
    expect(Object.keys(body.details).length).toBeGreaterThanOrEqual(2);
    for (const dependency of Object.values(body.details)) expect(dependency.status).toBe('up');
  });

  it.each(SERVICE_NAMES)('%s serves its OpenAPI document and liveness', async (name) => {
    const docs = await fetch(`${platform.get(name).url}/docs-json`);
    expect(docs.status).toBe(200);
    expect(((await docs.json()) as { openapi: string }).openapi).toMatch(/^3\./);
    expect((await fetch(`${platform.get(name).url}/health/live`)).status).toBe(200);
  });

  it('two attribute issuers run from one codebase, each with its own issuer id', async () => {
    const a = await (await fetch(`${platform.get('attribute-issuer-issuer-a').url}/v1/issuer`)).json();
    const b = await (await fetch(`${platform.get('attribute-issuer-issuer-b').url}/v1/issuer`)).json();
    expect(a).toEqual({ issuerId: 'issuer-a' });
    expect(b).toEqual({ issuerId: 'issuer-b' });
  });
});

describe('events between services', () => {
  it('registry publishes identity.registered, audit consumes it over the broker, persists it in the store and serves it back', async () => {
    const wallet = Wallet.createRandom();
    const address = wallet.address.toLowerCase();
    const issuedAt = new Date().toISOString();
    const statement = `Carechain registration\naddress: ${address}\nrole: patient\nissued-at: ${issuedAt}`;
    const registered = await fetch(`${platform.get('registry').url}/v1/identities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ address, role: 'patient', issuedAt, signature: await wallet.signMessage(statement) }),
    });
    expect(registered.status).toBe(201);

    const trail = await eventually(async () => {
      const response = await fetch(`${platform.get('audit').url}/v1/audit/subjects/${address}/events`);
      const entries = (await response.json()) as { topic: string; data: { address: string; role: string }; source: string }[];
      return entries.length > 0 ? entries : undefined;
    });
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({
      topic: IdentityRegistered.topic,
      source: 'carechain://registry',
      data: { address, role: 'patient' },
    });

    // Read back from the MongoDB-protocol store itself, not only through the service.
    const client = await MongoClient.connect(withDatabase(infra.mongo.url, `${databasePrefix}-audit`));
    try {
      const stored = await client.db().collection('audit_entries').findOne({ subject: address });
      expect(stored?.['topic']).toBe(IdentityRegistered.topic);
      expect(stored?.['data']).toMatchObject({ address, role: 'patient' });
    } finally {
      await client.close();
    }
  });

  it('a malformed event goes to the dead-letter topic with its reason, and the consumer goes on to the next one', async () => {
    const poisonId = `poison-${Date.now()}`;
    const good = Wallet.createRandom().address.toLowerCase();
    const dlq: Consumer = kafka.consumer({ groupId: `e2e-dlq-${Date.now()}` });
    const deadLetters: { headers: Record<string, string>; value: string }[] = [];
    await dlq.connect();
    await dlq.subscribe({ topic: deadLetterTopic(IdentityRegistered.topic), fromBeginning: true });
    await dlq.run({
      eachMessage: async ({ message }) => {
        const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
        deadLetters.push({ headers, value: message.value?.toString() ?? '' });
      },
    });
    try {
      const ce = (id: string) => ({
        ce_specversion: '1.0',
        ce_id: id,
        ce_source: 'carechain://e2e',
        ce_type: IdentityRegistered.type,
        ce_time: new Date().toISOString(),
        'content-type': 'application/json',
      });
      // Same key, so both land on one partition: the good event is behind the poison one.
      await producer.send({
        topic: IdentityRegistered.topic,
        acks: -1,
        messages: [
          { key: good, value: '{"address": not json', headers: ce(poisonId) },
          {
            key: good,
            value: JSON.stringify({ address: good, role: 'user', registeredAt: new Date().toISOString() }),
            headers: ce(`good-${Date.now()}`),
          },
        ],
      });

      const dead = await eventually(async () => deadLetters.find((d) => d.headers['ce_id'] === poisonId));
      expect(dead.headers[DeadLetterHeader.Code]).toBe('NOT_JSON');
      expect(dead.headers[DeadLetterHeader.Reason]).toMatch(/not JSON/);
      expect(dead.headers[DeadLetterHeader.OriginalTopic]).toBe(IdentityRegistered.topic);
      expect(dead.headers[DeadLetterHeader.ConsumerGroup]).toBe('audit');
      expect(dead.value).toBe('{"address": not json');

      const next = await eventually(async () => {
        const response = await fetch(`${platform.get('audit').url}/v1/audit/subjects/${good}/events`);
        const entries = (await response.json()) as unknown[];
        return entries.length > 0 ? entries : undefined;
      });
      expect(next).toHaveLength(1);
    } finally {
      await dlq.disconnect();
    }
  });
});

describe('bad input at the edge', () => {
  it('answers a malformed request with 400 and a machine-readable code', async () => {
    const response = await fetch(`${platform.get('registry').url}/v1/identities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ address: 'nope', role: 'king' }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const problem = (await response.json()) as { code: string; errors: { path: string }[] };
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['address', 'role', 'signature']));
  });
});

describe('readiness follows Redis', () => {
  it('auth reports 503 naming redis while Redis is stopped, and 200 once it is back', async () => {
    const redisUsers = SERVICE_NAMES.filter((n) => platform.get(n).spec.env['REDIS_URL']);
    expect(redisUsers).toContain('auth');
    await infra.handles.redis.stop();
    try {
      for (const name of redisUsers) {
        const down = await eventually(async () => {
          const response = await fetch(`${platform.get(name).url}/health/ready`);
          return response.status === 503 ? response : undefined;
        });
        const body = (await down.json()) as { code: string; error: Record<string, { status: string }> };
        expect(body.code).toBe('DEPENDENCY_UNAVAILABLE');
        expect(Object.keys(body.error)).toEqual(['redis']);
        expect(body.error['redis'].status).toBe('down');
      }
      const challenge = await fetch(`${platform.get('auth').url}/v1/challenges`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ audience: 'provider-a' }),
      });
      expect(challenge.status).toBe(503);
    } finally {
      await infra.handles.redis.start();
    }
    for (const name of redisUsers) {
      await eventually(async () => ((await fetch(`${platform.get(name).url}/health/ready`)).status === 200 ? true : undefined));
    }
    const challenge = await fetch(`${platform.get('auth').url}/v1/challenges`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ audience: 'provider-a' }),
    });
    expect(challenge.status).toBe(201);
  });
});

describe('graceful shutdown', () => {
  it('every service drains its consumers, closes its connections and exits 0 on SIGTERM', async () => {
    const exits = platform.services.map(
      (s) =>
        new Promise<{ name: string; code: number | null; signal: string | null }>((resolve) =>
          s.process.once('exit', (code, signal) => resolve({ name: s.spec.name, code, signal })),
        ),
    );
    // stop() sends SIGTERM and only SIGKILLs a service still running after the grace period.
    await platform.stop(30_000);
    const results = await Promise.all(exits);
    expect(results).toEqual(SERVICE_NAMES.map((name) => ({ name, code: 0, signal: null })));
    for (const s of platform.services) {
      expect(s.output.join('\n')).not.toMatch(/shutdown failed|did not finish/);
    }
  });
});

/** Polls `probe` until it returns a value (bounded: 60 s). */
async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${lastError instanceof Error ? `: ${lastError.message}` : ''}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
