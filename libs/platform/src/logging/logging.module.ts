import { Module, type DynamicModule } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import { LoggerModule } from 'nestjs-pino';
import type { LevelWithSilent } from 'pino';

/**
 * The pino fields that tie a log line to its trace: every line written inside an active span
 * carries `trace_id` and `span_id`, so a log search and a trace view meet on the same id.
 */
export function traceFields(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/** JSON logs through pino, with trace ids, request logging and secrets redacted. */
@Module({})
export class LoggingModule {
  static forRoot(options: { service: string; level: LevelWithSilent }): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: options.level,
            base: { service: options.service },
            mixin: traceFields,
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
            customProps: () => traceFields(),
          },
        }),
      ],
      exports: [LoggerModule],
    };
  }
}
