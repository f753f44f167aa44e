import { NativePairingBackend, nativePairingAddonPath } from './native-pairing-backend';
import type { PairingBackend } from './pairing-backend';
import { WasmPairingBackend } from './wasm-pairing-backend';

/**
 * Both backends for the unit suites. The native addon must have been built
 * (libs/crypto/native/build.sh); a missing addon fails the suite rather than skipping it.
 */
export async function loadBothPairingBackends(): Promise<{ native: PairingBackend; wasm: PairingBackend }> {
  let native: PairingBackend;
  try {
    native = NativePairingBackend.load();
  } catch (cause) {
    throw new Error(`native pairing addon missing at ${nativePairingAddonPath()}: run libs/crypto/native/build.sh`, { cause });
  }
  return { native, wasm: await WasmPairingBackend.create() };
}
