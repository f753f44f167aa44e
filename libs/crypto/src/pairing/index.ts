export * from './pairing-backend';
export * from './scalar-field';
export * from './seeded-random-source';
export { NativePairingBackend, nativePairingAddonPath } from './native-pairing-backend';
export { WasmPairingBackend } from './wasm-pairing-backend';
export { loadPairingBackend, loadPairingBackendByName } from './load-pairing-backend';
