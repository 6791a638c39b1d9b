import { z } from 'zod';
import type { ReadRecord } from '../rest/records.js';
import { livePurgatorySchema, timingWheelStatsSchema } from '../rest/v3/delayed-operations.js';
import { topicNameSchema } from '../topic-name.js';

/**
 * The `/live` WebSocket: a console page subscribes to channels and the gateway pushes
 * JSON frames. Offsets are JSON numbers, as in the REST API.
 *
 * Channels:
 * - `cluster`: a cluster summary on subscribe, after each topic change, and with the
 *   next sample after brokers or partition leaders/ISRs changed; cluster-wide throughput;
 * - `topics`: every topic-level change and per-topic throughput of the topics with traffic
 *   in the interval (a topic left out is at zero);
 * - `topic:<name>`: changes of that topic, its partitions' offsets (HW, LSO, log start),
 *   leaders and ISRs (coalesced per sample), and its throughput;
 * - `transactions`: the transactional ids and their states on subscribe, then again with
 *   the next sample whenever any id, state, epoch or partition count changed;
 * - `delayed-operations`: purgatory sizes and timing-wheel levels, every sample;
 * - `records:<topic>:<partition>`: a partition's records appended since the subscription
 *   (a live tail), every sample.
 * - `groups`: every consumer group's state, members and total lag on subscribe, then the
 *   groups that changed (and those gone) with the next sample; lags are re-read for a
 *   bounded number of groups per sample, in turn (see the gateway's GroupsWatch).
 * A `cluster` subscriber also gets the last minutes of cluster samples (`cluster-history`)
 * on subscribe, so a trend chart starts filled.
 * Samples are sent every `interval_ms` (at most 2 s) while anything is subscribed.
 */
export type LiveChannel = 'cluster' | 'topics' | 'transactions' | 'delayed-operations' | 'groups' | `topic:${string}` | `records:${string}:${number}`;

const FIXED_CHANNELS: ReadonlySet<string> = new Set(['cluster', 'topics', 'transactions', 'delayed-operations', 'groups']);

/** The topic and partition of a `records:<topic>:<partition>` channel, undefined for any other. */
export function recordsChannelParts(channel: string): { topic: string; partition: number } | undefined {
  const match = /^records:(.+):(\d{1,10})$/.exec(channel);
  if (match === null || !topicNameSchema.safeParse(match[1]).success) return undefined;
  const partition = Number(match[2]);
  return partition <= 2_147_483_647 ? { topic: match[1]!, partition } : undefined;
}

function isLiveChannel(channel: string): channel is LiveChannel {
  if (FIXED_CHANNELS.has(channel)) return true;
  if (channel.startsWith('records:')) return recordsChannelParts(channel) !== undefined;
  return channel.startsWith('topic:') && topicNameSchema.safeParse(channel.slice('topic:'.length)).success;
}

export const liveChannelSchema = z
  .string()
  .refine(isLiveChannel, 'channel must be "cluster", "topics", "transactions", "delayed-operations", "groups", "topic:<topic name>" or "records:<topic name>:<partition>"')
  .transform((c) => c as LiveChannel);
export const liveClientMessageSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('subscribe'), channel: liveChannelSchema }),
  z.strictObject({ op: z.literal('unsubscribe'), channel: liveChannelSchema }),
  z.strictObject({ op: z.literal('ping') }),
]);
export type LiveClientMessage = z.infer<typeof liveClientMessageSchema>;

export const clusterSummarySchema = z.object({
  cluster_id: z.string(),
  controller_id: z.number(),
  /** Registered brokers. */
  brokers_count: z.number(),
  topics_count: z.number(),
  partitions_count: z.number(),
  /** The cluster's health counts; null while they cannot be read (no broker of the gateway running). */
  health: z
    .object({
      brokers_online: z.number(),
      brokers_offline: z.number(),
      under_replicated_partitions: z.number(),
      under_min_isr_partitions: z.number(),
      offline_partitions: z.number(),
    })
    .nullable(),
});
export type ClusterSummary = z.infer<typeof clusterSummarySchema>;

export const throughputSchema = z.object({
  records_in_per_sec: z.number(),
  bytes_in_per_sec: z.number(),
  records_out_per_sec: z.number(),
  bytes_out_per_sec: z.number(),
});
export type Throughput = z.infer<typeof throughputSchema>;

export const topicThroughputSchema = throughputSchema.extend({ topic: z.string() });
export type TopicThroughput = z.infer<typeof topicThroughputSchema>;

export const topicChangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('topic-created'), topic: z.string() }),
  z.object({ kind: z.literal('topic-deleted'), topic: z.string() }),
  z.object({ kind: z.literal('partitions-created'), topic: z.string(), partitions_count: z.number() }),
  z.object({ kind: z.literal('configs-changed'), topic: z.string() }),
]);
export type TopicChange = z.infer<typeof topicChangeSchema>;

/** What moved in a partition since the last sample: offsets, and leader and ISR (-1: no leader). */
export const partitionOffsetsSchema = z.object({
  partition: z.number(),
  high_watermark: z.number().optional(),
  /** The Last Stable Offset, sent with every high_watermark (it moves when the HW does, or when a transaction ends). */
  last_stable_offset: z.number().optional(),
  log_start_offset: z.number().optional(),
  leader: z.number().optional(),
  isr: z.array(z.number()).optional(),
});

/** One transactional id as the `transactions` channel carries it (the REST resource has the rest). */
export const liveTransactionSchema = z.object({
  transactional_id: z.string(),
  state: z.string(),
  producer_id: z.number(),
  producer_epoch: z.number(),
  partitions_count: z.number(),
  /** -1 when no transaction is open. */
  transaction_start_time_ms: z.number(),
});
export type LiveTransaction = z.infer<typeof liveTransactionSchema>;

/** One point of the cluster's recent history (the `cluster-history` frame): health counts and throughput. */
export const clusterHistorySampleSchema = throughputSchema.extend({
  /** Wall-clock ms of the sample. */
  at: z.number(),
  brokers_online: z.number(),
  under_replicated_partitions: z.number(),
  under_min_isr_partitions: z.number(),
  offline_partitions: z.number(),
});
export type ClusterHistorySample = z.infer<typeof clusterHistorySampleSchema>;

/** One consumer group as the `groups` channel carries it; total_lag is null until first measured. */
export const liveGroupSchema = z.object({
  group_id: z.string(),
  state: z.string(),
  members_count: z.number(),
  total_lag: z.number().nullable(),
});
export type LiveGroup = z.infer<typeof liveGroupSchema>;

export const liveServerFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('subscribed'), channel: z.string() }),
  z.object({ type: z.literal('unsubscribed'), channel: z.string() }),
  z.object({ type: z.literal('pong') }),
  z.object({ type: z.literal('error'), message: z.string() }),
  z.object({ type: z.literal('cluster'), channel: z.literal('cluster'), cluster: clusterSummarySchema }),
  z.object({ type: z.literal('topic-change'), channel: z.string(), change: topicChangeSchema }),
  z.object({ type: z.literal('partitions'), channel: z.string(), topic: z.string(), partitions: z.array(partitionOffsetsSchema) }),
  z.object({ type: z.literal('transactions'), channel: z.literal('transactions'), transactions: z.array(liveTransactionSchema) }),
  z.object({
    type: z.literal('delayed-operations'),
    channel: z.literal('delayed-operations'),
    /** Wall-clock ms of the sample; the rates are over `interval_ms` since the previous one (0 in a first view). */
    at: z.number(),
    interval_ms: z.number(),
    purgatories: z.array(livePurgatorySchema),
    timing_wheel: timingWheelStatsSchema,
    /** Timer tasks run per second (every timeout, not only the purgatories'). */
    timer_expirations_per_sec: z.number(),
  }),
  /**
   * A live tail's records appended since the last frame (oldest first; fields as the REST
   * read renders them, base64 and cut at a preview length). The first frame, on subscribe,
   * has no records and says where the tail starts (`next_offset`).
   */
  z.object({
    type: z.literal('records'),
    channel: z.string(),
    topic: z.string(),
    partition: z.number(),
    records: z.array(z.custom<ReadRecord>((r) => typeof r === 'object' && r !== null)),
    next_offset: z.number(),
    high_watermark: z.number(),
  }),
  z.object({
    type: z.literal('delayed-operations'),
    channel: z.literal('delayed-operations'),
    /** Wall-clock ms of the sample; the rates are over `interval_ms` since the previous one (0 in a first view). */
    at: z.number(),
    interval_ms: z.number(),
    purgatories: z.array(livePurgatorySchema),
    timing_wheel: timingWheelStatsSchema,
    /** Timer tasks run per second (every timeout, not only the purgatories'). */
    timer_expirations_per_sec: z.number(),
  }),
  /** Oldest first. */
  z.object({ type: z.literal('cluster-history'), channel: z.literal('cluster'), samples: z.array(clusterHistorySampleSchema) }),
  /** On subscribe every group (removed empty); then only the groups that changed and the ids of those gone. */
  z.object({ type: z.literal('groups'), channel: z.literal('groups'), groups: z.array(liveGroupSchema), removed: z.array(z.string()) }),
  z.object({
    type: z.literal('throughput'),
    channel: z.string(),
    /** Wall-clock ms of the sample. */
    at: z.number(),
    interval_ms: z.number(),
    total: throughputSchema,
    topics: z.array(topicThroughputSchema),
  }),
]);
export type LiveServerFrame = z.infer<typeof liveServerFrameSchema>;
