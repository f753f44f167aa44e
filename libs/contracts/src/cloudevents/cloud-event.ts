import { z } from 'zod';

/**
 * CloudEvents 1.0 carried over Kafka in **binary mode**: the event's data is the record value
 * (JSON), every context attribute is a `ce_<name>` header, `content-type` carries
 * `datacontenttype`, and the Kafka key is the partition key (the patient pseudonym wherever
 * order per patient matters). See the CloudEvents Kafka protocol binding, section 3.2.
 */
export const CLOUDEVENTS_SPEC_VERSION = '1.0';
export const EVENT_CONTENT_TYPE = 'application/json';

/** The context attributes we set on every event. */
export interface CloudEventContext {
  /** Unique per producer; consumers deduplicate on it. */
  readonly id: string;
  /** URI-reference of the producer, e.g. `carechain://registry`. */
  readonly source: string;
  /** Reverse-DNS event type including its version, e.g. `org.carechain.identity.registered.v1`. */
  readonly type: string;
  /** RFC 3339 time the fact happened. */
  readonly time: string;
  /** What the event is about (for example a patient pseudonym or a record id). */
  readonly subject?: string;
  /** W3C trace context, the CloudEvents distributed-tracing extension. */
  readonly traceparent?: string;
  readonly tracestate?: string;
}

/** A decoded event: context plus validated data. */
export interface CloudEvent<T> extends CloudEventContext {
  readonly specversion: typeof CLOUDEVENTS_SPEC_VERSION;
  readonly datacontenttype: typeof EVENT_CONTENT_TYPE;
  readonly data: T;
}

export const cloudEventContextSchema = z.object({
  specversion: z.literal(CLOUDEVENTS_SPEC_VERSION),
  id: z.string().min(1).max(200),
  source: z.string().min(1).max(500),
  type: z.string().min(1).max(200),
  time: z.iso.datetime({ offset: true }),
  subject: z.string().min(1).max(500).optional(),
  datacontenttype: z.literal(EVENT_CONTENT_TYPE),
  traceparent: z.string().max(55).optional(),
  tracestate: z.string().max(512).optional(),
});
