export * from './data-key-wrapper';
