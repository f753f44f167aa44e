import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { CryptoError, CryptoErrorCode } from '../errors';
import type { AbeWorkerRequest } from './abe-wasm-worker';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * The worker's bootstrap, plain CommonJS evaluated from a string so it starts the same under
 * tsx, jest and compiled code: it loads abe-wasm-worker (the TypeScript source through tsx's
 * CommonJS hook when this file is itself TypeScript, the compiled .js otherwise) and runs it.
 */
const WORKER_SOURCE = String.raw`
const { workerData, parentPort } = require('node:worker_threads');
try {
  if (workerData.tsx) require(workerData.tsx).register();
  require(workerData.entry).runAbeWasmWorker().catch((e) => parentPort.postMessage({ failed: String(e && e.stack || e) }));
} catch (e) {
  parentPort.postMessage({ failed: String(e && e.stack || e) });
}
`;

/** The worker module next to this file, and tsx's CommonJS hook when that module is TypeScript. */
function workerEntry(): { entry: string; tsx?: string } {
  const typescript = __filename.endsWith('.ts');
  const entry = join(__dirname, typescript ? 'abe-wasm-worker.ts' : 'abe-wasm-worker.js');
  return typescript ? { entry, tsx: require.resolve('tsx/cjs/api') } : { entry };
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/**
 * One worker thread with its own mcl-wasm instance, so WASM encryption and decryption can use
 * the second core (see abe-wasm-parallel.ts). Messages are answered in order; `close()`
 * terminates the thread. Errors inside the worker come back as BackendUnavailable.
 */
export class AbeWasmWorkerPool {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  private constructor(private readonly worker: Worker) {
    worker.on('message', (msg: { id?: number; result?: unknown; error?: string }) => {
      if (msg.id === undefined) return;
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.error !== undefined) p?.reject(new CryptoError(CryptoErrorCode.BackendUnavailable, `WASM worker failed: ${msg.error}`));
      else p?.resolve(msg.result);
    });
    worker.on('error', (err) => {
      for (const p of this.pending.values()) p.reject(new CryptoError(CryptoErrorCode.BackendUnavailable, 'WASM worker crashed', { cause: err }));
      this.pending.clear();
    });
  }

  /** Starts the worker and waits until its mcl instance is initialised. */
  static async create(): Promise<AbeWasmWorkerPool> {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: workerEntry() });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (msg: { ready?: boolean; failed?: string }): void => {
        if (msg.ready) {
          worker.off('message', onMessage);
          resolve();
        } else if (msg.failed !== undefined) {
          reject(new CryptoError(CryptoErrorCode.BackendUnavailable, `WASM worker did not start: ${msg.failed}`));
        }
      };
      worker.on('message', onMessage);
      worker.once('error', (err) => reject(new CryptoError(CryptoErrorCode.BackendUnavailable, 'WASM worker did not start', { cause: err })));
    });
    return new AbeWasmWorkerPool(worker);
  }

  /** @internal Sends one operation to the worker. */
  call<T>(request: DistributiveOmit<AbeWorkerRequest, 'id'>): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  /** Stops the worker thread. */
  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
