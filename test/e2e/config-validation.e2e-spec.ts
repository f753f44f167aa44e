/**
 * A service with a missing or bad environment variable must refuse to start, with exit code 1
 * and one line naming the variable (the built entry point, as a pod would run it).
 */
import { spawnSync } from 'node:child_process';
import { serviceEntryPoint } from '../../libs/testing/src/services';

function runService(project: string, env: Record<string, string>) {
  const result = spawnSync(process.execPath, [serviceEntryPoint(project)], {
    env: { PATH: process.env['PATH'] ?? '', OTEL_SDK_DISABLED: 'true', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, lines: result.stderr.split('\n').filter(Boolean) };
}

const complete = {
  PORT: '39999',
  KAFKA_BROKERS: '127.0.0.1:1',
  MONGO_URL: 'mongodb://127.0.0.1:1/x',
};

describe('config validation at boot', () => {
  it('exits non-zero with one line naming a missing variable', () => {
    const { MONGO_URL: _omitted, ...env } = complete;
    const { status, lines } = runService('registry', env);
    expect(status).toBe(1);
    expect(lines).toEqual(['registry: invalid configuration: MONGO_URL is required']);
  });

  it('exits non-zero with one line naming a bad variable', () => {
    const { status, lines } = runService('audit', { ...complete, KAFKA_BROKERS: 'no-port-here' });
    expect(status).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^audit: invalid configuration: KAFKA_BROKERS/);
  });

  it('names the issuer id an attribute issuer needs', () => {
    const { status, lines } = runService('attribute-issuer', { ...complete, ISSUER_ADMIN_TOKEN: 'x'.repeat(40) });
    expect(status).toBe(1);
    expect(lines).toEqual(['attribute-issuer: invalid configuration: ISSUER_ID is required']);
  });
});
