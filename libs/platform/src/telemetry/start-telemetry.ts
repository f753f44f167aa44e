import { metrics } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { MongooseInstrumentation } from '@opentelemetry/instrumentation-mongoose';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';

let sdk: NodeSDK | undefined;

/** A span processor that records nothing and exports nothing. */
const discardSpans = {
  onStart: () => undefined,
  onEnd: () => undefined,
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};
let prometheus: PrometheusExporter | undefined;

/**
 * Starts OpenTelemetry for a service. It must run before NestJS, express, ioredis or mongoose
 * are loaded, because instrumentation patches modules as they are required: each service's
 * main.ts imports its `telemetry.ts` first, and that file calls this.
 *
 * - Traces go to OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT (or ..._TRACES_ENDPOINT) is set,
 *   and are only propagated otherwise (trace ids still appear in logs and Kafka headers).
 * - Metrics are served for Prometheus at GET /metrics on the service's own port.
 * - Kafka context is propagated by @carechain/platform's Kafka module itself (CloudEvents
 *   ce_traceparent), so the kafkajs auto-instrumentation is deliberately not loaded.
 */
export function startTelemetry(serviceName: string, serviceVersion = '0.1.0'): void {
  if (sdk || process.env['OTEL_SDK_DISABLED'] === 'true') return;
  prometheus = new PrometheusExporter({ preventServerStart: true });
  const exportTraces = Boolean(
    process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] ?? process.env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'],
  );
  sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName, [ATTR_SERVICE_VERSION]: serviceVersion }),
    // Without an endpoint the SDK would fall back to an OTLP exporter on localhost:4318; a
    // processor that drops every span keeps real trace and span ids (for logs and Kafka
    // headers) while sending nothing anywhere.
    ...(exportTraces ? { traceExporter: new OTLPTraceExporter() } : { spanProcessors: [discardSpans] }),
    metricReaders: [prometheus],
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => /^\/(health|metrics)/.test(req.url ?? '') }),
      new ExpressInstrumentation(),
      new NestInstrumentation(),
      new IORedisInstrumentation(),
      new MongooseInstrumentation(),
    ],
  });
  sdk.start();
}

/** The Prometheus exporter's request handler, mounted at /metrics by bootstrapService. */
export function prometheusExporter(): PrometheusExporter | undefined {
  return prometheus;
}

/** Flushes and stops telemetry; called last during graceful shutdown. */
export async function stopTelemetry(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  if (running) await running.shutdown().catch(() => undefined);
}

/** The meter every platform component records its RED metrics with. */
export function platformMeter() {
  return metrics.getMeter('@carechain/platform');
}
