export * from './service-specs';
export * from './service-processes';
