import { parentPort } from 'node:worker_threads';
import type { GtElement } from '../pairing/pairing-backend';
import { WasmPairingBackend } from '../pairing/wasm-pairing-backend';
import { AbeScheme, type AbeAuthorityPublicKey, type AbeEncryptionPlan } from './abe-scheme';

/** One encryption row as the main thread sends it: the plan's values and the authority's public key. */
export interface AbeWorkerRow {
  readonly authority: string;
  /** Canonical encodings of E^α and g1^y (decoded once per key and cached with their tables). */
  readonly eggAlpha: Uint8Array;
  readonly gY: Uint8Array;
  readonly name: string;
  readonly epoch: number;
  readonly lambda: bigint;
  readonly omega: bigint;
  readonly t: bigint;
}

/** Canonical encodings of one computed row. */
export interface AbeWorkerRowBytes {
  readonly c1: Uint8Array;
  readonly c2: Uint8Array;
  readonly c3: Uint8Array;
  readonly c4: Uint8Array;
}

/** Plain Miller-loop pairs as mcl words (WasmPairingBackend.exportWords). */
export interface AbeWorkerPairs {
  readonly g1: readonly Uint32Array[];
  readonly g2: readonly Uint32Array[];
}

export type AbeWorkerRequest =
  | { readonly id: number; readonly op: 'encryptRows'; readonly rows: readonly AbeWorkerRow[] }
  | { readonly id: number; readonly op: 'millerLoop'; readonly pairs: AbeWorkerPairs };

const noRandomness = (): Uint8Array => {
  throw new Error('the ABE worker draws no randomness: every random value comes in the plan');
};

/**
 * The body of the ABE worker thread (started by AbeWasmWorkerPool): its own mcl-wasm
 * instance, WasmPairingBackend and AbeScheme, so encryption rows are computed by the very
 * `encryptRow` the main thread runs (same tables, same bytes) and Miller loops by the same
 * backend. Public keys arrive as canonical bytes and pass the checking decoders once; their
 * tables are then cached like on the main thread.
 */
export async function runAbeWasmWorker(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('runAbeWasmWorker must run in a worker thread');
  const backend = await WasmPairingBackend.create();
  const scheme = new AbeScheme(backend, noRandomness);
  const publicKeys = new Map<string, AbeAuthorityPublicKey>();
  const publicKey = (row: AbeWorkerRow): AbeAuthorityPublicKey => {
    const id = `${row.authority}/${Buffer.from(row.eggAlpha).toString('base64')}/${Buffer.from(row.gY).toString('base64')}`;
    let pk = publicKeys.get(id);
    if (pk === undefined) {
      pk = { authority: row.authority, eggAlpha: backend.gtFromBytes(row.eggAlpha), gY: backend.g1FromBytes(row.gY), epochs: new Map() };
      if (publicKeys.size >= 256) publicKeys.delete(publicKeys.keys().next().value as string);
      publicKeys.set(id, pk);
    }
    return pk;
  };
  const one: GtElement = backend.gtOne();
  const ops = {
    encryptRows(rows: readonly AbeWorkerRow[]): AbeWorkerRowBytes[] {
      const plan: AbeEncryptionPlan = {
        policy: '',
        key: one,
        c0: one,
        rows: rows.map((r) => ({ ...r, publicKey: publicKey(r) })),
      };
      return plan.rows.map((_, x) => {
        const row = scheme.encryptRow(plan, x);
        return { c1: backend.gtToBytes(row.c1), c2: backend.g1ToBytes(row.c2), c3: backend.g1ToBytes(row.c3), c4: backend.g2ToBytes(row.c4) };
      });
    },
    millerLoop(pairs: AbeWorkerPairs): Uint32Array {
      const plain = pairs.g1.map((g1, i) => ({ g1: backend.g1FromWords(g1), g2: backend.g2FromWords(pairs.g2[i]) }));
      return backend.exportWords(backend.millerLoop([], plain));
    },
  };
  port.on('message', (msg: AbeWorkerRequest) => {
    try {
      const result = msg.op === 'encryptRows' ? ops.encryptRows(msg.rows) : ops.millerLoop(msg.pairs);
      port.postMessage({ id: msg.id, result });
    } catch (e) {
      port.postMessage({ id: msg.id, error: String(e instanceof Error ? (e.stack ?? e.message) : e) });
    }
  });
  port.postMessage({ ready: true });
}
