import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { EventDefinition } from '../events/event-definition';
import {
  CLOUDEVENTS_SPEC_VERSION,
  EVENT_CONTENT_TYPE,
  cloudEventContextSchema,
  type CloudEvent,
} from './cloud-event';

/** A Kafka record as the codec sees it, independent of the client library. */
export interface KafkaRecord {
  key: string | null;
  value: Buffer;
  headers: Record<string, string>;
}

/** A received Kafka message, header values as the client gives them. */
export interface ReceivedKafkaMessage {
  key: Buffer | string | null;
  value: Buffer | null;
  headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
}

/** Why a message could not be decoded; carried as the dead-letter reason. */
export type EventDecodingFailure =
  | 'MISSING_VALUE'
  | 'NOT_JSON'
  | 'MISSING_CONTEXT'
  | 'INVALID_CONTEXT'
  | 'WRONG_TYPE'
  | 'INVALID_DATA'
  | 'WRONG_KEY';

export class EventDecodingError extends Error {
  override readonly name = 'EventDecodingError';
  constructor(
    readonly failure: EventDecodingFailure,
    message: string,
  ) {
    super(message);
  }
}

/** Thrown on send when the producer's own data does not match the schema: a bug, never sent. */
export class EventValidationError extends Error {
  override readonly name = 'EventValidationError';
}

export interface EncodeOptions {
  /** Producer URI, e.g. `carechain://registry`. */
  source: string;
  /** Kafka key; required unless the definition's key is `none`. */
  key?: string;
  subject?: string;
  id?: string;
  time?: Date;
  traceparent?: string;
  tracestate?: string;
}

const CE_PREFIX = 'ce_';

/**
 * Validates `data` against the definition and encodes it as a binary-mode CloudEvent.
 * Producers call this for every send, so an invalid event never reaches the broker.
 */
export function encodeEvent<D extends EventDefinition>(
  definition: D,
  data: z.input<D['schema']>,
  options: EncodeOptions,
): KafkaRecord {
  const parsed = definition.schema.safeParse(data);
  if (!parsed.success) {
    throw new EventValidationError(`${definition.topic}: ${formatIssues(parsed.error)}`);
  }
  if (definition.key !== 'none' && !options.key) {
    throw new EventValidationError(`${definition.topic}: a Kafka key (${definition.key}) is required`);
  }
  const headers: Record<string, string> = {
    [`${CE_PREFIX}specversion`]: CLOUDEVENTS_SPEC_VERSION,
    [`${CE_PREFIX}id`]: options.id ?? randomUUID(),
    [`${CE_PREFIX}source`]: options.source,
    [`${CE_PREFIX}type`]: definition.type,
    [`${CE_PREFIX}time`]: (options.time ?? new Date()).toISOString(),
    'content-type': EVENT_CONTENT_TYPE,
  };
  if (options.subject) headers[`${CE_PREFIX}subject`] = options.subject;
  if (options.traceparent) headers[`${CE_PREFIX}traceparent`] = options.traceparent;
  if (options.tracestate) headers[`${CE_PREFIX}tracestate`] = options.tracestate;
  // The context is checked with the same schema consumers apply, so an event they would
  // refuse (an id over 200 characters, say) fails here, at the producer, instead.
  const context = cloudEventContextSchema.safeParse(contextFromHeaders(headers));
  if (!context.success) {
    throw new EventValidationError(`${definition.topic}: invalid CloudEvents context: ${formatIssues(context.error)}`);
  }
  return {
    key: options.key ?? null,
    value: Buffer.from(JSON.stringify(parsed.data)),
    headers,
  };
}

/** The CloudEvents context attributes as binary mode carries them in headers (unvalidated). */
function contextFromHeaders(headers: Record<string, string | undefined>) {
  return {
    specversion: headers[`${CE_PREFIX}specversion`],
    id: headers[`${CE_PREFIX}id`],
    source: headers[`${CE_PREFIX}source`],
    type: headers[`${CE_PREFIX}type`],
    time: headers[`${CE_PREFIX}time`],
    subject: headers[`${CE_PREFIX}subject`],
    datacontenttype: headers['content-type'],
    traceparent: headers[`${CE_PREFIX}traceparent`],
    tracestate: headers[`${CE_PREFIX}tracestate`],
  };
}

/**
 * Decodes and validates a received binary-mode CloudEvent for `definition`. Any defect is an
 * EventDecodingError naming what is wrong, which consumers turn into a dead-letter record.
 */
export function decodeEvent<D extends EventDefinition>(
  definition: D,
  message: ReceivedKafkaMessage,
): CloudEvent<z.output<D['schema']>> {
  const headers = headerStrings(message.headers);
  const context = contextFromHeaders(headers);
  if (!context.specversion || !context.id || !context.type) {
    throw new EventDecodingError('MISSING_CONTEXT', 'missing ce_specversion, ce_id or ce_type header');
  }
  const parsedContext = cloudEventContextSchema.safeParse(context);
  if (!parsedContext.success) {
    throw new EventDecodingError('INVALID_CONTEXT', formatIssues(parsedContext.error));
  }
  if (parsedContext.data.type !== definition.type) {
    throw new EventDecodingError('WRONG_TYPE', `expected ${definition.type}, got ${parsedContext.data.type}`);
  }
  if (definition.key !== 'none' && (message.key === null || message.key.length === 0)) {
    throw new EventDecodingError('WRONG_KEY', `${definition.topic} requires a ${definition.key} key`);
  }
  if (!message.value || message.value.length === 0) {
    throw new EventDecodingError('MISSING_VALUE', 'the record has no value');
  }
  let json: unknown;
  try {
    json = JSON.parse(message.value.toString('utf8'));
  } catch (error) {
    throw new EventDecodingError('NOT_JSON', `value is not JSON: ${(error as Error).message}`);
  }
  const data = definition.schema.safeParse(json);
  if (!data.success) {
    throw new EventDecodingError('INVALID_DATA', formatIssues(data.error));
  }
  return { ...parsedContext.data, data: data.data } as CloudEvent<z.output<D['schema']>>;
}

/** Reads the CloudEvent id from raw headers without validating anything (for dead-lettering). */
export function peekEventId(headers: ReceivedKafkaMessage['headers']): string | undefined {
  return headerStrings(headers)[`${CE_PREFIX}id`];
}

function headerStrings(headers: ReceivedKafkaMessage['headers']): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    out[name.toLowerCase()] = value === undefined ? undefined : value.toString();
  }
  return out;
}

function formatIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}
