import { CryptoError, CryptoErrorCode } from '../errors';
import { NativePairingBackend } from './native-pairing-backend';
import type { PairingBackend, PairingBackendName } from './pairing-backend';
import { WasmPairingBackend } from './wasm-pairing-backend';

let preferred: Promise<PairingBackend> | undefined;

/**
 * Returns the named backend, or throws BackendUnavailable. `native` needs the addon built by
 * libs/crypto/native/build.sh; `wasm` always works where WebAssembly does.
 */
export async function loadPairingBackendByName(name: PairingBackendName): Promise<PairingBackend> {
  if (name === 'native') return NativePairingBackend.load();
  if (name === 'wasm') return WasmPairingBackend.create();
  throw new CryptoError(CryptoErrorCode.BackendUnavailable, `unknown pairing backend ${String(name)}`);
}

/**
 * The process-wide backend: native when the addon loads, otherwise WASM. The environment
 * variable CARECHAIN_PAIRING_BACKEND=wasm|native forces one (and fails if it cannot load).
 */
export function loadPairingBackend(): Promise<PairingBackend> {
  preferred ??= (async () => {
    const forced = process.env['CARECHAIN_PAIRING_BACKEND'];
    if (forced === 'native' || forced === 'wasm') return loadPairingBackendByName(forced);
    try {
      return NativePairingBackend.load();
    } catch {
      return WasmPairingBackend.create();
    }
  })();
  return preferred;
}
