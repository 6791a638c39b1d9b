import { z } from 'zod';

/** Standard base64 with padding, as Confluent's Jackson decoder requires (no line feeds). */
export const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The formats Weir serializes. Confluent's schema formats need a schema registry, which Weir has not. */
export const embeddedFormatSchema = z.enum(['BINARY', 'JSON', 'STRING']);
export type EmbeddedFormat = z.infer<typeof embeddedFormatSchema>;
const SCHEMA_FORMATS = ['AVRO', 'JSONSCHEMA', 'PROTOBUF'] as const;

/**
 * A key or value: BINARY data is a base64 string, STRING a string, JSON any JSON value.
 * Without a type, data is BINARY (as Confluent serializes it); absent or null data is a
 * null key or value (a tombstone).
 */
export const produceRequestDataSchema = z
  .object({
    type: z.enum([...embeddedFormatSchema.options, ...SCHEMA_FORMATS]).optional(),
    data: z.unknown().optional(),
  })
  .superRefine((value, ctx) => {
    const type = value.type ?? 'BINARY';
    const data = value.data;
    if ((SCHEMA_FORMATS as readonly string[]).includes(type)) {
      ctx.addIssue({ code: 'custom', path: ['type'], message: `${type} needs a schema registry, which this server does not have` });
    } else if (data === undefined || data === null || type === 'JSON') {
      return;
    } else if (typeof data !== 'string') {
      ctx.addIssue({ code: 'custom', path: ['data'], message: `${type} data must be a string` });
    } else if (type === 'BINARY' && !BASE64_PATTERN.test(data)) {
      ctx.addIssue({ code: 'custom', path: ['data'], message: `data=${abbreviate(data)} is not a base64 string` });
    }
  });
export type ProduceRequestData = z.infer<typeof produceRequestDataSchema>;

export const produceRequestHeaderSchema = z.object({
  name: z.string(),
  value: z.string().regex(BASE64_PATTERN, 'header value is not a base64 string').nullable().optional(),
});

/** An ISO 8601 date-time as Confluent takes it, or (a Weir extension) epoch milliseconds. */
export const produceTimestampSchema = z.union([z.iso.datetime({ offset: true }), z.number().int().min(0)]);

export const produceRequestSchema = z.object({
  partition_id: z.number().int().min(0).nullable().optional(),
  headers: z.array(produceRequestHeaderSchema).optional(),
  key: produceRequestDataSchema.nullable().optional(),
  value: produceRequestDataSchema.nullable().optional(),
  timestamp: produceTimestampSchema.nullable().optional(),
});
export type ProduceRequest = z.infer<typeof produceRequestSchema>;

export const produceResponseDataSchema = z.object({
  type: embeddedFormatSchema.nullable(),
  size: z.number().int(),
});

/** One delivery report: error_code 200 with where the record went, or an error code and message. */
export const produceResponseSchema = z.object({
  error_code: z.number().int(),
  message: z.string().optional(),
  cluster_id: z.string().optional(),
  topic_name: z.string().optional(),
  partition_id: z.number().int().optional(),
  offset: z.number().int().optional(),
  timestamp: z.string().nullable().optional(),
  key: produceResponseDataSchema.nullable().optional(),
  value: produceResponseDataSchema.nullable().optional(),
});
export type ProduceResponse = z.infer<typeof produceResponseSchema>;

export const batchEntryIdSchema = z.string().min(1).max(80);

export const produceBatchRequestEntrySchema = produceRequestSchema.extend({ id: batchEntryIdSchema });
export type ProduceBatchRequestEntry = z.infer<typeof produceBatchRequestEntrySchema>;

/**
 * records:batch. The envelope is checked as a whole; each entry is checked on its own,
 * so one bad entry becomes one failure in the 207 answer rather than failing the batch.
 */
export const produceBatchRequestSchema = z.object({
  entries: z.array(z.looseObject({ id: batchEntryIdSchema })),
});
export type ProduceBatchRequest = z.infer<typeof produceBatchRequestSchema>;

export const produceBatchSuccessEntrySchema = produceResponseSchema
  .omit({ error_code: true, message: true })
  .extend({ id: z.string() });
export const produceBatchFailureEntrySchema = z.object({
  id: z.string(),
  error_code: z.number().int(),
  message: z.string(),
});
export const produceBatchResponseSchema = z.object({
  successes: z.array(produceBatchSuccessEntrySchema),
  failures: z.array(produceBatchFailureEntrySchema),
});
export type ProduceBatchResponse = z.infer<typeof produceBatchResponseSchema>;

function abbreviate(text: string): string {
  return text.length <= 40 ? text : `${text.slice(0, 37)}...`;
}
