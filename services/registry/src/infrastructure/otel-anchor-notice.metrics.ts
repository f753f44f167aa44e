import { platformMeter } from '@carechain/platform';
import type { AnchorNoticeMetrics } from '../application/summary-ports';

/** The registry's instruments for the relay's notices (exported for Prometheus at /metrics). */
export class OtelAnchorNoticeMetrics implements AnchorNoticeMetrics {
  private readonly foreign = platformMeter().createCounter('registry_foreign_anchor_notices_total', {
    description: 'ppr.anchored / ppr.reorged notices about another chain or ledger deployment, skipped',
  });

  foreignNotice(event: 'anchored' | 'reorged'): void {
    this.foreign.add(1, { event });
  }
}
