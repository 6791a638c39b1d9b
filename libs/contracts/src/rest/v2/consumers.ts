import { z } from 'zod';
import { topicNameSchema } from '../../topic-name.js';

/**
 * Confluent REST Proxy v2 consumer-instance bodies. Requests carry
 * `Content-Type: application/vnd.kafka.v2+json` (plain application/json is accepted too);
 * the records response is `application/vnd.kafka.{binary|json}.v2+json`, the embedded
 * format the instance was created with.
 */
export const V2_CONTENT_TYPE = 'application/vnd.kafka.v2+json';

export const V2_EMBEDDED_FORMATS = ['binary', 'json'] as const;
export type V2EmbeddedFormat = (typeof V2_EMBEDDED_FORMATS)[number];

export function v2RecordsMediaType(format: V2EmbeddedFormat): string {
  return `application/vnd.kafka.${format}.v2+json`;
}

/** Confluent's clients send these settings as strings ("false", "1000"); numbers and booleans are accepted as well. */
const booleanSetting = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
const integerSetting = (min: number, max: number) =>
  z
    .union([z.number().int(), z.string().regex(/^-?\d+$/, 'must be an integer').transform(Number)])
    .pipe(z.number().int().min(min).max(max));

/** Instance names appear in URLs (base_uri), so they keep to URL-safe characters. */
export const consumerInstanceNameSchema = z
  .string()
  .min(1)
  .max(249)
  .regex(/^[a-zA-Z0-9._-]+$/, 'may contain only ASCII letters, digits, ".", "_" and "-"');

export const consumerGroupNameSchema = z.string().min(1).max(249);

export const createConsumerRequestSchema = z.strictObject({
  name: consumerInstanceNameSchema.optional(),
  /** Confluent's deprecated spelling of `name`. */
  id: consumerInstanceNameSchema.optional(),
  format: z.enum(V2_EMBEDDED_FORMATS).default('binary'),
  'auto.offset.reset': z.enum(['earliest', 'latest']).default('latest'),
  'auto.commit.enable': booleanSetting.default(false),
  /** Bytes a records request waits for before answering early; -1 or 0: any record. */
  'fetch.min.bytes': integerSetting(-1, 64 * 1024 * 1024).default(-1),
  /** Longest a records request waits when no `timeout` is given. */
  'consumer.request.timeout.ms': integerSetting(0, 300_000).default(1000),
});
export type CreateConsumerRequest = z.input<typeof createConsumerRequestSchema>;
export type CreateConsumerSettings = z.output<typeof createConsumerRequestSchema>;

export type CreateConsumerResponse = { instance_id: string; base_uri: string };

export const topicPartitionSchema = z.strictObject({
  topic: topicNameSchema,
  partition: z.number().int().min(0).max(2 ** 31 - 1),
});
export type TopicPartition = z.infer<typeof topicPartitionSchema>;

/** POST .../assignments; an empty list unassigns everything, as Kafka's assign([]). */
export const assignmentsRequestSchema = z.strictObject({ partitions: z.array(topicPartitionSchema).max(10_000) });
export type AssignmentsRequest = z.infer<typeof assignmentsRequestSchema>;
export type AssignmentsResponse = { partitions: TopicPartition[] };

/** POST .../positions/beginning and .../positions/end. */
export const seekToRequestSchema = z.strictObject({ partitions: z.array(topicPartitionSchema).min(1).max(10_000) });
export type SeekToRequest = z.infer<typeof seekToRequestSchema>;

/** POST .../positions. */
export const seekRequestSchema = z.strictObject({
  offsets: z
    .array(
      z.strictObject({
        topic: topicNameSchema,
        partition: z.number().int().min(0).max(2 ** 31 - 1),
        offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
      }),
    )
    .min(1)
    .max(10_000),
});
export type SeekRequest = z.infer<typeof seekRequestSchema>;

/** GET .../records query. */
export const recordsQuerySchema = z.object({
  timeout: z.coerce.number().int().min(0).max(300_000).optional(),
  max_bytes: z.coerce.number().int().min(1).max(64 * 1024 * 1024).optional(),
});

export type V2RecordHeader = { key: string; value: string | null };

/**
 * One consumed record. Confluent's v2 omits timestamp and headers; Weir adds them
 * (header values are base64 in both formats, since headers carry arbitrary bytes).
 * `key` and `value` are base64 for the binary format, parsed JSON for the json format.
 */
export type V2ConsumerRecord = {
  topic: string;
  key: unknown;
  value: unknown;
  partition: number;
  offset: number;
  timestamp: number;
  headers: V2RecordHeader[];
};
