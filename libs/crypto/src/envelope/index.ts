export * from './data-key-wrapper';
export * from './patient-address-registry';
export { ENVELOPE_FORMAT_VERSION, decodeEnvelope, encodeEnvelope, type Envelope, type EnvelopeMetadata } from './envelope-codec';
export * from './envelope-eip712';
export * from './signcryption-envelope';
