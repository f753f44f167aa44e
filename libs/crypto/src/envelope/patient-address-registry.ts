/**
 * The port through which verify-then-open asks whether an Ethereum address belongs to a
 * patient. A patient signs from any of several pseudonymous addresses; the Registrar (on
 * chain, mirrored by the registry service) is the authority on which ones.
 */
export interface PatientAddressRegistry {
  /**
   * True only if `address` (EIP-55 checksummed) is currently registered to
   * `patientPseudonym`. An infrastructure failure should throw, not return false, so that it
   * is not reported as a bad signature.
   */
  isRegisteredTo(address: string, patientPseudonym: string): Promise<boolean>;
}
