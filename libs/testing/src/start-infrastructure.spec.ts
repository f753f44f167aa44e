import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InfrastructureError, InfrastructureErrorCode } from './infrastructure.error';
import { readState, writeState } from './infrastructure-state';
import type { InfrastructureState } from './infrastructure.types';
import { DEFAULT_PORTS, defaultImageNames } from './start-infrastructure';

describe('image selection', () => {
  const saved = { mongo: process.env.CARECHAIN_MONGO, url: process.env.MONGO_URL };
  afterEach(() => {
    for (const [key, value] of [['CARECHAIN_MONGO', saved.mongo], ['MONGO_URL', saved.url]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it('defaults to mongo-java-server, honours CARECHAIN_MONGO, and skips Mongo when MONGO_URL is set', () => {
    delete process.env.CARECHAIN_MONGO;
    delete process.env.MONGO_URL;
    expect(defaultImageNames()).toEqual(['kafka', 'redis', 'geth', 'mongo-java-server']);
    process.env.CARECHAIN_MONGO = 'ferretdb';
    expect(defaultImageNames()).toEqual(['kafka', 'redis', 'geth', 'ferretdb']);
    process.env.MONGO_URL = 'mongodb://127.0.0.1:27017';
    expect(defaultImageNames()).toEqual(['kafka', 'redis', 'geth']);
  });

  it('rejects an unknown CARECHAIN_MONGO with a typed error naming the variable', () => {
    delete process.env.MONGO_URL;
    process.env.CARECHAIN_MONGO = 'mongod';
    expect(() => defaultImageNames()).toThrow(expect.objectContaining({ code: InfrastructureErrorCode.InvalidOption, message: expect.stringContaining('CARECHAIN_MONGO') }));
  });

  it('uses distinct fixed ports for infra up', () => {
    const ports = Object.values(DEFAULT_PORTS);
    expect(new Set(ports).size).toBe(ports.length);
  });
});

describe('state files', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'carechain-state-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trip, and a missing file reads as undefined', () => {
    const state = {
      version: 1, session: 'run-x', mode: 'run', ownerPid: 1, startedAt: 'now',
      endpoints: { kafka: { brokers: ['127.0.0.1:1'] } },
      containers: { kafka: 'k', redis: 'r', 'geth-provider': 'p', 'geth-issuer': 'i' },
    } as unknown as InfrastructureState;
    writeState(join(dir, 'nested', 's.json'), state);
    expect(readState(join(dir, 'nested', 's.json'))).toEqual(state);
    expect(readState(join(dir, 'absent.json'))).toBeUndefined();
  });

  it('report a malformed file with a typed error instead of crashing', () => {
    writeFileSync(join(dir, 'bad.json'), '{"version": 7}');
    expect(() => readState(join(dir, 'bad.json'))).toThrow(InfrastructureError);
    writeFileSync(join(dir, 'garbage.json'), 'not json');
    expect(() => readState(join(dir, 'garbage.json'))).toThrow(InfrastructureError);
  });
});
