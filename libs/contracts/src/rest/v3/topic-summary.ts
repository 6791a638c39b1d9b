import { z } from 'zod';

/**
 * Weir's topic summaries: one page of topics with the figures a topics table shows,
 * searched, sorted and paged by the gateway, so a console stays fast at 10,000+ topics.
 * Sorting by consumer groups or lag is not offered: it would compute lag for every topic.
 */
export const TOPIC_SUMMARY_SORT_KEYS = ['name', 'partitions', 'replication_factor', 'under_replicated', 'size', 'records_in'] as const;
export const topicSummarySortSchema = z.enum(TOPIC_SUMMARY_SORT_KEYS);
export type TopicSummarySortKey = z.infer<typeof topicSummarySortSchema>;

/** Query strings arrive as text: numbers are coerced, the flag accepts only true or false. */
export const topicSummaryQuerySchema = z.object({
  /** Case-insensitive substring of the topic name. */
  name_contains: z.string().max(249).default(''),
  sort_by: topicSummarySortSchema.default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
  offset: z.coerce.number().int().min(0).max(2_147_483_647).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  include_internal: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});
export type TopicSummaryQuery = z.infer<typeof topicSummaryQuerySchema>;

export const topicSummarySchema = z.object({
  topic_name: z.string(),
  is_internal: z.boolean(),
  partitions_count: z.number().int(),
  replication_factor: z.number().int(),
  /** Partitions whose ISR is smaller than their replica set. */
  under_replicated_partitions: z.number().int(),
  /** Partitions without a live leader. */
  offline_partitions: z.number().int(),
  /** Sum of the partitions' log sizes on their leaders. */
  size_bytes: z.number(),
  records_in_per_sec: z.number(),
  bytes_in_per_sec: z.number(),
  /** Groups with committed offsets on the topic (coordinated by this gateway's brokers). */
  consumer_groups_count: z.number().int(),
  /** The first few of those groups' ids, sorted. */
  consumer_groups: z.array(z.string()),
  /** Sum over those groups of their lag on the topic's partitions. */
  total_lag: z.number(),
});
export type TopicSummary = z.infer<typeof topicSummarySchema>;

export const topicSummaryListSchema = z.object({
  kind: z.literal('KafkaTopicSummaryList'),
  metadata: z.object({
    /** Topics matching the search, over all pages. */
    total: z.number().int(),
    offset: z.number().int(),
    limit: z.number().int(),
  }),
  data: z.array(topicSummarySchema),
});
export type TopicSummaryList = z.infer<typeof topicSummaryListSchema>;
