import { Worker } from 'node:worker_threads';
import { CryptoError, CryptoErrorCode } from '../errors';

/**
 * The worker's source, plain CommonJS so it runs the same under tsx, jest and compiled code.
 * It owns a second mcl-wasm instance and performs only group operations on inputs the main
 * thread has already validated (so it decodes without subgroup checks). All byte formats are
 * mcl's ETH serialisation; GT values are returned in mcl's own order and converted by the caller.
 */
const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const mcl = require(workerData.mclPath);
(async () => {
  await mcl.init(mcl.BLS12_381);
  mcl.setETHserialization(true);
  mcl.setMapToMode(mcl.IRTF);
  mcl.verifyOrderG1(false);
  mcl.verifyOrderG2(false);
  const mod = require(workerData.mclInternalPath).mod;
  const fr = (hex) => { const x = new mcl.Fr(); x.setStr(hex, 16); return x; };
  const de = (Ctor, bytes) => { const x = new Ctor(); x.deserialize(bytes); return x; };
  const g1 = de(mcl.G1, Buffer.from(workerData.g1Hex, 'hex'));
  const gts = new Map();
  const gt = (bytes) => {
    const k = Buffer.from(bytes).toString('base64');
    let v = gts.get(k);
    if (v === undefined) { v = de(mcl.GT, bytes); if (gts.size > 256) gts.clear(); gts.set(k, v); }
    return v;
  };
  const hashes = new Map();
  const hashG2 = (label, dst) => {
    let h = hashes.get(label);
    if (h !== undefined) return h;
    const msg = Buffer.from(label, 'utf8');
    const out = new mcl.G2();
    const size = out.a_.length * 4;
    const [o, mp, dp] = [mod._malloc(size), mod._malloc(Math.max(msg.length, 1)), mod._malloc(dst.length)];
    try {
      mod.HEAP8.set(msg, mp); mod.HEAP8.set(dst, dp);
      if (mod._mclBnG2_hashAndMapToWithDst(o, mp, msg.length, dp, dst.length) !== 0) throw new Error('hash-to-curve failed');
      out.a_.set(new Uint32Array(mod.HEAP32.buffer, o, out.a_.length));
    } finally { mod._free(o); mod._free(mp); mod._free(dp); }
    if (hashes.size > 4096) hashes.clear();
    hashes.set(label, out);
    return out;
  };
  const ops = {
    encryptRows({ egg, dst, rows }) {
      const E = gt(egg);
      return rows.map((r) => {
        const t = fr(r.t);
        return {
          c1: mcl.mul(mcl.pow(E, fr(r.lambda)), mcl.pow(gt(r.eggAlpha), t)).serialize(),
          c2: mcl.mul(g1, fr(r.negT)).serialize(),
          c3: mcl.add(mcl.mul(de(mcl.G1, r.gY), t), mcl.mul(g1, fr(r.omega))).serialize(),
          c4: mcl.mul(hashG2(r.label, dst), t).serialize(),
        };
      });
    },
    millerLoop({ pairs }) {
      const ps = pairs.map((p) => de(mcl.G1, p.g1));
      const qs = pairs.map((p) => de(mcl.G2, p.g2));
      const n = ps.length;
      const [gs, s1, s2] = [new mcl.GT().a_.length * 4, ps[0].a_.length * 4, qs[0].a_.length * 4];
      const [o, pp, qp] = [mod._malloc(gs), mod._malloc(s1 * n), mod._malloc(s2 * n)];
      try {
        ps.forEach((p, i) => mod.HEAP32.set(p.a_, (pp + i * s1) >> 2));
        qs.forEach((q, i) => mod.HEAP32.set(q.a_, (qp + i * s2) >> 2));
        mod._mclBn_millerLoopVec(o, pp, qp, n);
        const f = new mcl.GT();
        f.a_.set(new Uint32Array(mod.HEAP32.buffer, o, f.a_.length));
        return f.serialize();
      } finally { mod._free(o); mod._free(pp); mod._free(qp); }
    },
  };
  parentPort.on('message', ({ id, op, payload }) => {
    try { parentPort.postMessage({ id, result: ops[op](payload) }); }
    catch (e) { parentPort.postMessage({ id, error: String(e && e.stack || e) }); }
  });
  parentPort.postMessage({ ready: true });
})().catch((e) => parentPort.postMessage({ failed: String(e && e.stack || e) }));
`;

const G1_GENERATOR_HEX =
  '97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb';

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
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        mclPath: require.resolve('mcl-wasm'),
        mclInternalPath: require.resolve('mcl-wasm/dist/mcl'),
        g1Hex: G1_GENERATOR_HEX,
      },
    });
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
  call<T>(op: 'encryptRows' | 'millerLoop', payload: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, op, payload });
    });
  }

  /** Stops the worker thread. */
  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
