import { spawn } from 'node:child_process';

/** What a finished (or killed) child process left behind. */
export interface ProcessOutcome {
  /** Exit code, or null when the process was killed by a signal. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** True when the time limit ran out and the process group was killed. */
  timedOut: boolean;
}

/** The command could not be started at all because it is not on PATH. */
export class CommandNotFoundError extends Error {
  override readonly name = 'CommandNotFoundError';
  constructor(readonly command: string) {
    super(`${command} not found on PATH`);
  }
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Wall-clock limit; the whole process group is killed when it passes. */
  timeoutMs: number;
  /** Receives each stderr line as it arrives (progress of builds and harnesses). */
  onStderrLine?: (line: string) => void;
}

/**
 * Runs a command to completion without a shell. Guarantees it never leaves the child running
 * past `timeoutMs` (it starts the child in its own process group and kills that group, which
 * also stops compilers the build tool spawned), and rejects only with CommandNotFoundError or a
 * spawn error; a non-zero exit is reported in the outcome, not thrown.
 */
export function runProcess(command: string, args: readonly string[], options: RunOptions): Promise<ProcessOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let pending = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, options.timeoutMs);
    // The child has its own process group, so a Ctrl-C or kill of this process does not reach
    // it; without these, an interrupted benchmark would leave a harness burning a shared core.
    const onExit = (): void => killGroup(child.pid);
    const onSignal = (signal: NodeJS.Signals): void => {
      killGroup(child.pid);
      detach();
      // Re-raised so this process still ends as the signal asked, unless someone else handles it.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    const detach = (): void => {
      clearTimeout(timer);
      process.removeListener('exit', onExit);
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    };
    process.once('exit', onExit);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);

    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (!options.onStderrLine) return;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') options.onStderrLine(line);
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      detach();
      reject(err.code === 'ENOENT' ? new CommandNotFoundError(command) : err);
    });
    child.on('close', (code) => {
      detach();
      if (options.onStderrLine && pending.trim() !== '') options.onStderrLine(pending);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** The last `lines` non-empty lines of a tool's output, for an error message a person can act on. */
export function tail(text: string, lines = 12): string {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-lines)
    .join('\n');
}
