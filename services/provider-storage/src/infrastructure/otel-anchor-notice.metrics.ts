import { platformMeter } from '@carechain/platform';
import type { AnchorNoticeMetrics } from '../application/ports';

/** provider-storage's instrument for the relay's notices (exported for Prometheus at /metrics). */
export class OtelAnchorNoticeMetrics implements AnchorNoticeMetrics {
  private readonly notices = platformMeter().createCounter('provider_storage_anchor_notices_total', {
    description: 'ppr.anchored / ppr.reorged notices and relay refusals (dead-lettered ppr.requested) by what they did to a stored record version (not-ours: another provider\'s)',
  });

  notice(event: 'anchored' | 'reorged' | 'refused', outcome: string): void {
    this.notices.add(1, { event, outcome });
  }
}
