import { platformMeter } from '@carechain/platform';
import type { EnrolmentMetrics } from '../application/ports';

/** The registry's instruments for on-chain enrolment (exported for Prometheus at /metrics). */
export class OtelEnrolmentMetrics implements EnrolmentMetrics {
  private readonly enrolledCounter = platformMeter().createCounter('registry_pseudonyms_enrolled_total', {
    description: 'Patient and user addresses found registered k blocks deep in the on-chain Registrar',
  });
  private readonly sentCounter = platformMeter().createCounter('registry_pseudonym_registrations_sent_total', {
    description: 'Addresses sent in registerPseudonyms calls (a resend after a lost call counts again)',
  });

  enrolled(count: number): void {
    if (count > 0) this.enrolledCounter.add(count);
  }

  sent(count: number): void {
    if (count > 0) this.sentCounter.add(count);
  }
}
