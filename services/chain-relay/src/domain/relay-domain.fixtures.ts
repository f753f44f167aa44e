import type { RelayOperation, RequestedKind } from './relay-operation';

let counter = 0;
const hex = (bytes: number, seed: number) => `0x${seed.toString(16).padStart(bytes * 2, '0')}`;

/** A well-formed operation for unit tests; ids are unique per call. */
export function relayOperation(patientIndex: number, kind: RequestedKind = 'add'): RelayOperation {
  counter++;
  return {
    pprId: hex(32, counter * 7919 + 1),
    kind,
    patient: hex(20, patientIndex),
    patientIndex,
    provider: hex(20, 1),
    providerIndex: 1,
    pprHash: hex(32, counter),
    replacedPprId: kind === 'modify' ? hex(32, counter + 1_000_000) : undefined,
    eventId: `event-${counter}`,
    receivedAt: 0,
  };
}
