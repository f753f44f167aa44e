export * from './cloudevents/cloud-event';
export * from './cloudevents/kafka-binary-codec';
export * from './events/event-definition';
export * from './events/primitives';
export * from './events/catalogue';
export * from './errors/error-codes';
