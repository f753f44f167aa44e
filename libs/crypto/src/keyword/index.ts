export * from './keyword-normalisation';
export * from './keyword-blind-index';
export * from './keyword-key-envelope';
