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
import { randomBytes } from 'node:crypto';
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
/** Every output line of every service, by service name. */
const serviceLines = new Map<string, string[]>();

beforeAll(async () => {
  infra = await getInfrastructure();
  const ports = Object.fromEntries(await Promise.all(SERVICE_NAMES.map(async (n) => [n, await freePort()]))) as Record<
    ServiceName,
    number
  >;
  const contracts = await deployPlatformContracts(infra);
  const specs = platformServiceSpecs(infra, contracts, ports, { databasePrefix, logLevel: 'warn' }).map((spec) => {
    // audit logs every request (info), for the trace-id test; auth's challenges live 5 s, so
    // one can be watched expiring.
    if (spec.name === 'audit') return { ...spec, env: { ...spec.env, LOG_LEVEL: 'info' } };
    if (spec.name === 'auth') return { ...spec, env: { ...spec.env, CHALLENGE_TTL_SECONDS: '5' } };
    return spec;
  });
  platform = await startServices(specs, {
    readyTimeoutMs: 120_000,
    onLine: (service, line) => {
      const lines = serviceLines.get(service) ?? [];
      lines.push(line);
      serviceLines.set(service, lines);
    },
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
  it('registry answers a malformed request with 400 and a machine-readable code', async () => {
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

describe('bad input at the edge, per service', () => {
  type Problem = { code: string; status: number; detail?: string; errors?: { path: string }[] };

  async function problemOf(response: Response, status: number, code: string): Promise<Problem> {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const problem = (await response.json()) as Problem;
    expect(problem).toMatchObject({ status, code });
    return problem;
  }

  const json = (method: string, body: unknown, headers: Record<string, string> = {}) => ({
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

  describe('provider-storage', () => {
    const records = () => `${platform.get('provider-storage').url}/v1/records`;
    const upload = (over: Record<string, unknown> = {}) => ({
      recordId: `rec-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
      patient: Wallet.createRandom().address,
      version: 1,
      sealed: Buffer.from('sealed envelope bytes').toString('base64'),
      ...over,
    });

    it('refuses a malformed upload with 400 VALIDATION_FAILED naming each bad field', async () => {
      const problem = await problemOf(
        await fetch(records(), json('POST', { recordId: 'has spaces', patient: '0x12', version: 0, sealed: '%%%' })),
        400,
        'VALIDATION_FAILED',
      );
      expect([...new Set(problem.errors?.map((e) => e.path))].sort()).toEqual(['patient', 'recordId', 'sealed', 'version']);
    });

    it('refuses a body that is not JSON with 400 VALIDATION_FAILED', async () => {
      await problemOf(await fetch(records(), json('POST', '{"recordId": ')), 400, 'VALIDATION_FAILED');
    });

    it('refuses a second upload of the same record version with 409 CONFLICT', async () => {
      const body = upload();
      expect((await fetch(records(), json('POST', body))).status).toBe(202);
      const problem = await problemOf(await fetch(records(), json('POST', { ...body, sealed: Buffer.from('other').toString('base64') })), 409, 'CONFLICT');
      expect(problem.detail).toContain(body.recordId);
    });

    it('refuses a sealed record over MAX_RECORD_BYTES with 413 PAYLOAD_TOO_LARGE', async () => {
      const sealed = Buffer.alloc(1024 * 1024 + 1, 7).toString('base64');
      await problemOf(await fetch(records(), json('POST', upload({ sealed }))), 413, 'PAYLOAD_TOO_LARGE');
    });

    it('refuses a request body over the HTTP body limit with 413 PAYLOAD_TOO_LARGE, not a 500', async () => {
      const sealed = Buffer.alloc(3 * 1024 * 1024, 7).toString('base64');
      await problemOf(await fetch(records(), json('POST', upload({ sealed }))), 413, 'PAYLOAD_TOO_LARGE');
    });

    it('answers an unknown record with 404 NOT_FOUND and a malformed id or version with 400', async () => {
      await problemOf(await fetch(`${records()}/no-such-record-${Date.now()}`), 404, 'NOT_FOUND');
      await problemOf(await fetch(`${records()}/${'x'.repeat(129)}`), 400, 'VALIDATION_FAILED');
      await problemOf(await fetch(`${records()}/rec-1?version=zero`), 400, 'VALIDATION_FAILED');
    });
  });

  describe('attribute-issuer epoch rotation', () => {
    const issuerA = () => platform.get('attribute-issuer-issuer-a');
    const rotate = (attribute: string, headers: Record<string, string>, body: unknown = { reason: 'key-update' }) =>
      fetch(`${issuerA().url}/v1/attributes/${encodeURIComponent(attribute)}/epochs`, json('POST', body, headers));
    const tokenOf = (name: ServiceName) => `Bearer ${platform.get(name).spec.env['ISSUER_ADMIN_TOKEN']}`;

    it('refuses a rotation without, or with a wrong, admin token with 401 UNAUTHORIZED and changes nothing', async () => {
      const attribute = `doctor-${Date.now()}@issuer-a`;
      await problemOf(await rotate(attribute, {}), 401, 'UNAUTHORIZED');
      await problemOf(await rotate(attribute, { authorization: 'Bearer not-the-admin-token-000000000000000' }), 401, 'UNAUTHORIZED');
      await problemOf(await rotate(attribute, { authorization: tokenOf('attribute-issuer-issuer-b') }), 401, 'UNAUTHORIZED');
      await problemOf(await rotate(attribute, { authorization: tokenOf('attribute-issuer-issuer-a').replace('Bearer ', 'Basic ') }), 401, 'UNAUTHORIZED');

      const epoch = await fetch(`${issuerA().url}/v1/attributes/${encodeURIComponent(attribute)}/epoch`);
      expect(((await epoch.json()) as { epoch: number }).epoch).toBe(1);
      const rotated = await rotate(attribute, { authorization: tokenOf('attribute-issuer-issuer-a') });
      expect(rotated.status).toBe(201);
      expect(((await rotated.json()) as { epoch: number }).epoch).toBe(2);
    });

    it("refuses, with the right token, another issuer's attribute (403 FORBIDDEN) and a malformed one or reason (400)", async () => {
      const authorization = tokenOf('attribute-issuer-issuer-a');
      await problemOf(await rotate('doctor@issuer-b', { authorization }), 403, 'FORBIDDEN');
      const badName = await problemOf(await rotate('Doctor', { authorization }), 400, 'VALIDATION_FAILED');
      expect(badName.errors?.map((e) => e.path)).toEqual(['attribute']);
      const badReason = await problemOf(await rotate('doctor@issuer-a', { authorization }, { reason: 'whim' }), 400, 'VALIDATION_FAILED');
      expect(badReason.errors?.map((e) => e.path)).toEqual(['reason']);
    });
  });

  describe('auth challenges', () => {
    const challenges = () => `${platform.get('auth').url}/v1/challenges`;

    it('answers an unknown nonce with 410 CHALLENGE_EXPIRED and a malformed one or audience with 400', async () => {
      await problemOf(await fetch(`${challenges()}/${'A'.repeat(43)}`), 410, 'CHALLENGE_EXPIRED');
      await problemOf(await fetch(`${challenges()}/short`), 400, 'VALIDATION_FAILED');
      const problem = await problemOf(await fetch(challenges(), json('POST', { audience: 'Not An Id' })), 400, 'VALIDATION_FAILED');
      expect(problem.errors?.map((e) => e.path)).toEqual(['audience']);
    });

    it('answers a challenge that outlived its TTL with 410 CHALLENGE_EXPIRED', async () => {
      const issued = await fetch(challenges(), json('POST', { audience: 'provider-a' }));
      expect(issued.status).toBe(201);
      const { nonce, issuedAt, expiresAt } = (await issued.json()) as { nonce: string; issuedAt: string; expiresAt: string };
      expect(Date.parse(expiresAt) - Date.parse(issuedAt)).toBe(5_000);
      expect((await fetch(`${challenges()}/${nonce}`)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 500));
      await problemOf(await fetch(`${challenges()}/${nonce}`), 410, 'CHALLENGE_EXPIRED');
    });
  });

  describe('audit', () => {
    const audit = () => `${platform.get('audit').url}/v1/audit`;

    it('answers an unknown event id with 404 NOT_FOUND and a malformed one with 400', async () => {
      await problemOf(await fetch(`${audit()}/events/no-such-event-${Date.now()}`), 404, 'NOT_FOUND');
      // CloudEvents ids are at most 200 characters (libs/contracts); a longer one cannot exist.
      const problem = await problemOf(await fetch(`${audit()}/events/${'e'.repeat(201)}`), 400, 'VALIDATION_FAILED');
      expect(problem.errors?.map((e) => e.path)).toEqual(['eventId']);
    });

    it('refuses a trail query with a bad limit or cursor with 400 VALIDATION_FAILED', async () => {
      const subject = Wallet.createRandom().address.toLowerCase();
      await problemOf(await fetch(`${audit()}/subjects/${subject}/events?limit=0`), 400, 'VALIDATION_FAILED');
      await problemOf(await fetch(`${audit()}/subjects/${subject}/events?after=yesterday`), 400, 'VALIDATION_FAILED');
    });
  });
});

describe('trace ids in logs', () => {
  it("a service's request log line carries the caller's W3C trace id and the server span's id", async () => {
    const traceId = randomBytes(16).toString('hex');
    const parentSpanId = randomBytes(8).toString('hex');
    const subject = `trace-probe-${Date.now()}`;
    const response = await fetch(`${platform.get('audit').url}/v1/audit/subjects/${subject}/events`, {
      headers: { traceparent: `00-${traceId}-${parentSpanId}-01` },
    });
    expect(response.status).toBe(200);

    const line = await eventually(async () =>
      (serviceLines.get('audit') ?? [])
        .map((l) => parseJson(l))
        .find((entry) => typeof entry?.['req'] === 'object' && String((entry['req'] as { url?: string }).url).includes(subject)),
    );
    expect(line).toMatchObject({ service: 'audit', trace_id: traceId, res: { statusCode: 200 } });
    // A span of this service, child of the caller's: its own id, not the caller's.
    expect(line['span_id']).toMatch(/^[0-9a-f]{16}$/);
    expect(line['span_id']).not.toBe(parentSpanId);
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

function parseJson(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

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
