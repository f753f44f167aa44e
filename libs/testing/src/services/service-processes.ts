import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../repo-paths';
import type { ServiceSpec } from './service-specs';

/** A running service process. */
export interface RunningService {
  readonly spec: ServiceSpec;
  readonly url: string;
  readonly process: ChildProcess;
  /** Output lines kept for diagnostics (the last 200). */
  readonly output: string[];
}

export interface RunningServices {
  readonly services: RunningService[];
  get(name: string): RunningService;
  /** SIGTERM to every service (graceful drain), SIGKILL to any still running after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartServicesOptions {
  /** Called with every output line, prefixed by the service name. */
  onLine?: (service: string, line: string) => void;
  readyTimeoutMs?: number;
}

/**
 * Starts built services (`services/<project>/dist/main.js`) as child processes and resolves
 * once every one answers 200 on /health/ready. Fails with the service's last output lines if
 * one exits or does not become ready in time.
 */
export async function startServices(specs: ServiceSpec[], options: StartServicesOptions = {}): Promise<RunningServices> {
  const running: RunningService[] = [];
  const handle: RunningServices = {
    services: running,
    get(name) {
      const found = running.find((s) => s.spec.name === name);
      if (!found) throw new Error(`no service named ${name}`);
      return found;
    },
    stop: (graceMs = 15_000) => stopAll(running, graceMs),
  };
  try {
    for (const spec of specs) running.push(spawnService(spec, options.onLine));
    await Promise.all(running.map((s) => waitReady(s, options.readyTimeoutMs ?? 90_000)));
    return handle;
  } catch (error) {
    await handle.stop(5_000);
    throw error;
  }
}

/** Path of a project's built entry point. */
export function serviceEntryPoint(project: string): string {
  return join(repoRoot(), 'services', project, 'dist', 'main.js');
}

function spawnService(spec: ServiceSpec, onLine?: (service: string, line: string) => void): RunningService {
  const entry = serviceEntryPoint(spec.project);
  if (!existsSync(entry)) throw new Error(`${entry} is missing: build first (npm run build)`);
  const child = spawn(process.execPath, ['--enable-source-maps', entry], {
    env: { PATH: process.env['PATH'] ?? '', OTEL_SDK_DISABLED: process.env['OTEL_SDK_DISABLED'] ?? 'false', ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const emit = (line: string) => {
    if (!line) return;
    output.push(line);
    if (output.length > 200) output.shift();
    onLine?.(spec.name, line);
  };
  // A pipe delivers chunks, not lines: a JSON log line can arrive in two chunks, so the
  // unfinished tail of each chunk waits for the rest of its line (and utf8 decoding keeps a
  // multi-byte character split across chunks whole).
  const collector = () => {
    let pending = '';
    return {
      data: (chunk: string) => {
        const lines = (pending + chunk).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) emit(line);
      },
      end: () => {
        emit(pending);
        pending = '';
      },
    };
  };
  for (const stream of [child.stdout, child.stderr]) {
    const { data, end } = collector();
    stream?.setEncoding('utf8');
    stream?.on('data', data);
    stream?.on('end', end);
  }
  return { spec, url: `http://127.0.0.1:${spec.port}`, process: child, output };
}

async function waitReady(service: RunningService, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (service.process.exitCode !== null) {
      throw new Error(`${service.spec.name} exited with ${service.process.exitCode}:\n${service.output.slice(-20).join('\n')}`);
    }
    try {
      const response = await fetch(`${service.url}/health/ready`, { signal: AbortSignal.timeout(5_000) });
      if (response.status === 200) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${service.spec.name} not ready after ${timeoutMs} ms (last: ${last}):\n${service.output.slice(-20).join('\n')}`);
}

async function stopAll(services: RunningService[], graceMs: number): Promise<void> {
  await Promise.all(
    services.map(async ({ process: child }) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }),
  );
}
