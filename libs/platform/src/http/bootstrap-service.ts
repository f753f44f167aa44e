import { Logger as NestLogger, type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger } from 'nestjs-pino';
import { ZodValidationPipe, cleanupOpenApiDoc } from 'nestjs-zod';
import { ProblemDetailsFilter } from '../errors/problem-details.filter';
import { prometheusExporter, stopTelemetry } from '../telemetry/start-telemetry';

export interface BootstrapOptions {
  /** Service name, as in logs, traces and the OpenAPI title. */
  service: string;
  description: string;
  module: Type<unknown> | DynamicModule;
  host: string;
  port: number;
  /** Largest accepted request body (records are uploaded as ciphertext). */
  bodyLimit?: string;
  /** Longest a graceful shutdown may take before the process exits with code 1. */
  shutdownTimeoutMs?: number;
}

/**
 * Creates, configures and starts a Carechain service: pino logs, RFC 9457 errors, zod request
 * validation, OpenAPI at /docs (JSON at /docs-json), Prometheus metrics at /metrics, and a
 * graceful shutdown on SIGTERM/SIGINT that drains Kafka consumers, flushes producers, closes
 * connections and flushes telemetry before the process exits with code 0.
 */
export async function bootstrapService(options: BootstrapOptions): Promise<INestApplication> {
  silenceKafkajsTimerWarning();
  const app = await NestFactory.create<NestExpressApplication>(options.module as Type<unknown>, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(new ZodValidationPipe());
  app.useBodyParser('json', { limit: options.bodyLimit ?? '2mb' });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle(`Carechain ${options.service}`).setDescription(options.description).setVersion('1').build(),
  );
  SwaggerModule.setup('docs', app, cleanupOpenApiDoc(document), { jsonDocumentUrl: 'docs-json' });

  const exporter = prometheusExporter();
  if (exporter) {
    const handler = (req: IncomingMessage, res: ServerResponse) => exporter.getMetricsRequestHandler(req, res);
    app.getHttpAdapter().get('/metrics', handler as never);
  }

  await app.listen(options.port, options.host);
  const logger = new NestLogger('bootstrap');
  logger.log(`${options.service} listening on http://${options.host}:${options.port} (docs at /docs)`);
  exitGracefullyOnSignals(app, logger, options.shutdownTimeoutMs ?? 25_000);
  return app;
}

/**
 * On SIGTERM or SIGINT: run Nest's shutdown hooks (Kafka consumers drain, producers disconnect,
 * Mongo/Redis/chain close, the HTTP server stops), flush telemetry, and exit 0. If draining
 * takes longer than `timeoutMs` (below Kubernetes' default 30 s grace), exit 1 instead of
 * waiting for a SIGKILL. Nest's own enableShutdownHooks re-raises the signal, so a clean drain
 * and a kill would look alike to a supervisor; an exit code tells them apart.
 */
function exitGracefullyOnSignals(app: INestApplication, logger: NestLogger, timeoutMs: number): void {
  let closing = false;
  const close = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.log(`${signal}: draining and shutting down`);
    const timer = setTimeout(() => {
      logger.error(`shutdown did not finish within ${timeoutMs} ms; exiting`);
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    app
      .close()
      .then(() => stopTelemetry())
      .then(() => process.exit(0))
      .catch((error: Error) => {
        logger.error(`shutdown failed: ${error.message}`);
        process.exit(1);
      });
  };
  process.once('SIGTERM', close);
  process.once('SIGINT', close);
}

/**
 * kafkajs 2.2.4 sometimes schedules a timer with a negative delay on Node 24, which prints a
 * harmless TimeoutNegativeWarning (a known kafkajs quirk). Only that warning is dropped.
 */
function silenceKafkajsTimerWarning(): void {
  const listeners = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (warning.name === 'TimeoutNegativeWarning') return;
    for (const listener of listeners) listener(warning);
  });
}
