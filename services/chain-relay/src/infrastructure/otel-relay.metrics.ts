import { platformMeter } from '@carechain/platform';
import type { RelayMetrics } from '../application/ports';

/** The relay's OpenTelemetry instruments (exported for Prometheus at /metrics). */
export class OtelRelayMetrics implements RelayMetrics {
  private readonly meter = platformMeter();
  private readonly batchSize = this.meter.createHistogram('relay_batch_size', { description: 'PPR operations per sent batch' });
  private readonly gasPerPpr = this.meter.createHistogram('relay_gas_per_ppr', { description: 'gas used per PPR operation of a mined batch' });
  private readonly latency = this.meter.createHistogram('relay_confirmation_latency_ms', {
    description: 'from persisting an operation to announcing it at k confirmations',
    unit: 'ms',
  });
  private readonly reorgs = this.meter.createCounter('relay_reorgs_total', { description: 'batches whose block left the canonical chain' });
  private readonly replacements = this.meter.createCounter('relay_replacements_total', { description: 'stuck transactions replaced' });

  batchSent(size: number): void {
    this.batchSize.record(size);
  }
  batchMined(operations: number, gasUsed: bigint): void {
    this.gasPerPpr.record(Number(gasUsed) / operations);
  }
  confirmed(latencyMs: number): void {
    this.latency.record(latencyMs);
  }
  reorg(): void {
    this.reorgs.add(1);
  }
  replacement(): void {
    this.replacements.add(1);
  }
}
