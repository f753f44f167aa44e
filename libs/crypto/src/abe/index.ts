export * from './abe-policy';
export * from './lsss-matrix';
export * from './abe-scheme';
export * from './abe-encoding';
export * from './abe-data-key-wrapper';
export * from './abe-wasm-worker-pool';
export * from './abe-wasm-parallel';
