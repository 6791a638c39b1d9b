import { z } from 'zod';
import { topicNameSchema } from '../../topic-name.js';
import { collectionSchema, relationshipSchema, resourceSchema } from './resource.js';

/** Kafka's group states as Confluent names them. */
export const consumerGroupStateSchema = z.enum(['UNKNOWN', 'PREPARING_REBALANCE', 'COMPLETING_REBALANCE', 'STABLE', 'DEAD', 'EMPTY']);
export type ConsumerGroupState = z.infer<typeof consumerGroupStateSchema>;

/** What a lag is measured against: the HW (read_uncommitted) or the LSO (read_committed). */
export const isolationLevelSchema = z.enum(['read_uncommitted', 'read_committed']);
export type IsolationLevelName = z.infer<typeof isolationLevelSchema>;

/** Weir: query of the lag endpoints; absent, the group's own (read_committed for groups that commit in transactions). */
export const consumerLagQuerySchema = z.object({ isolation_level: isolationLevelSchema.optional() });
export type ConsumerLagQuery = z.infer<typeof consumerLagQuerySchema>;

/** Confluent's ConsumerGroupData, plus Weir's protocol type, member count and lag figures. */
export const consumerGroupDataSchema = resourceSchema('KafkaConsumerGroup', {
  cluster_id: z.string(),
  consumer_group_id: z.string(),
  /** No group membership: only offsets committed from outside (protocol type ""). */
  is_simple: z.boolean(),
  partition_assignor: z.string(),
  state: consumerGroupStateSchema,
  coordinator: relationshipSchema,
  consumers: relationshipSchema,
  lag_summary: relationshipSchema,
  /** Weir: the group's protocol type ("consumer" for Kafka consumers). */
  protocol_type: z.string(),
  /** Weir: members now. */
  members_count: z.number().int(),
  /** Weir: the sum of the partitions' lags (negative ones count 0). */
  total_lag: z.number().int(),
  /** Weir: the largest partition lag, null when no partition has a commit. */
  max_lag: z.number().int().nullable(),
  /** Weir: the isolation the lag figures were measured for; null when they could not be read. */
  lag_isolation_level: isolationLevelSchema.nullable(),
});
export type ConsumerGroupData = z.infer<typeof consumerGroupDataSchema>;

export const consumerGroupSortSchema = z.enum(['name', 'lag_desc', 'lag_asc', 'members_desc']);
export type ConsumerGroupSort = z.infer<typeof consumerGroupSortSchema>;

/** Weir: query of the paginated group list. */
export const consumerGroupListQuerySchema = z.object({
  page_size: z.coerce.number().int().min(1).max(1000).default(100),
  /** The `next` link's token; opaque. */
  page_token: z.string().max(200).optional(),
  /** Case-insensitive substring of the group id. */
  search: z.string().max(249).optional(),
  sort: consumerGroupSortSchema.default('name'),
});
export type ConsumerGroupListQuery = z.infer<typeof consumerGroupListQuerySchema>;

export const consumerGroupDataListSchema = z.object({
  kind: z.literal('KafkaConsumerGroupList'),
  metadata: z.object({
    self: z.string(),
    next: z.string().nullable(),
    /** Weir: groups matching the search, over all pages. */
    total_size: z.number().int(),
  }),
  data: z.array(consumerGroupDataSchema),
});
export type ConsumerGroupDataList = z.infer<typeof consumerGroupDataListSchema>;

export const consumerDataSchema = resourceSchema('KafkaConsumer', {
  cluster_id: z.string(),
  consumer_group_id: z.string(),
  consumer_id: z.string(),
  instance_id: z.string().nullable(),
  client_id: z.string(),
  /** Weir: the host the member connected from, as the coordinator saw it. */
  host: z.string(),
  assignments: relationshipSchema,
});
export type ConsumerData = z.infer<typeof consumerDataSchema>;
export const consumerDataListSchema = collectionSchema('KafkaConsumerList', consumerDataSchema);
export type ConsumerDataList = z.infer<typeof consumerDataListSchema>;

export const consumerAssignmentDataSchema = resourceSchema('KafkaConsumerAssignment', {
  cluster_id: z.string(),
  consumer_group_id: z.string(),
  consumer_id: z.string(),
  topic_name: z.string(),
  partition_id: z.number().int(),
  partition: relationshipSchema,
  lag: relationshipSchema,
});
export type ConsumerAssignmentData = z.infer<typeof consumerAssignmentDataSchema>;
export const consumerAssignmentDataListSchema = collectionSchema('KafkaConsumerAssignmentList', consumerAssignmentDataSchema);
export type ConsumerAssignmentDataList = z.infer<typeof consumerAssignmentDataListSchema>;

/** Confluent's ConsumerLagData: a partition without a commit has current_offset and lag null. */
export const consumerLagDataSchema = resourceSchema('KafkaConsumerLag', {
  cluster_id: z.string(),
  consumer_group_id: z.string(),
  topic_name: z.string(),
  partition_id: z.number().int(),
  current_offset: z.number().int().nullable(),
  log_end_offset: z.number().int(),
  lag: z.number().int().nullable(),
  consumer_id: z.string().nullable(),
  instance_id: z.string().nullable(),
  client_id: z.string().nullable(),
  /** Weir: the partition's log start offset. */
  log_start_offset: z.number().int(),
  /** Weir: log_end_offset is the HW (read_uncommitted) or the LSO (read_committed); markers are never counted. */
  isolation_level: isolationLevelSchema,
});
export type ConsumerLagData = z.infer<typeof consumerLagDataSchema>;
export const consumerLagDataListSchema = collectionSchema('KafkaConsumerLagList', consumerLagDataSchema);
export type ConsumerLagDataList = z.infer<typeof consumerLagDataListSchema>;

export const consumerGroupLagSummaryDataSchema = resourceSchema('KafkaConsumerGroupLagSummary', {
  cluster_id: z.string(),
  consumer_group_id: z.string(),
  max_lag_consumer_id: z.string().nullable(),
  max_lag_instance_id: z.string().nullable(),
  max_lag_client_id: z.string().nullable(),
  max_lag_topic_name: z.string().nullable(),
  max_lag_partition_id: z.number().int().nullable(),
  max_lag: z.number().int(),
  total_lag: z.number().int(),
  max_lag_consumer: relationshipSchema.nullable(),
  max_lag_partition: relationshipSchema.nullable(),
  /** Weir: the isolation the lags were measured for. */
  isolation_level: isolationLevelSchema,
});
export type ConsumerGroupLagSummaryData = z.infer<typeof consumerGroupLagSummaryDataSchema>;

/** Weir: the group's lag sampled every few seconds, oldest first (in memory; a restart starts afresh). */
export const consumerGroupLagHistoryDataSchema = resourceSchema('KafkaConsumerGroupLagHistory', {
  cluster_id: z.string(),
  consumer_group_id: z.string(),
  samples: z.array(z.object({ timestamp_ms: z.number().int(), total_lag: z.number().int(), max_lag: z.number().int() })),
});
export type ConsumerGroupLagHistoryData = z.infer<typeof consumerGroupLagHistoryDataSchema>;

export const offsetResetModeSchema = z.enum(['earliest', 'latest', 'current', 'offset', 'shift-by', 'datetime', 'duration', 'from-group']);
export type OffsetResetModeName = z.infer<typeof offsetResetModeSchema>;

const MODE_FIELD: Partial<Record<OffsetResetModeName, 'offset' | 'shift_by' | 'datetime' | 'duration' | 'from_group'>> = {
  offset: 'offset', 'shift-by': 'shift_by', datetime: 'datetime', duration: 'duration', 'from-group': 'from_group',
};

/**
 * Weir: an offset reset of a group, as kafka-consumer-groups --reset-offsets. Scope: the
 * listed `partitions`, else every partition of `topic_name`, else every partition the group
 * has committed. `dry_run` (default true) only plans.
 */
export const offsetResetRequestSchema = z
  .object({
    mode: offsetResetModeSchema,
    /** mode offset: the target offset. */
    offset: z.number().int().min(0).optional(),
    /** mode shift-by: added to the committed offset (negative moves back). */
    shift_by: z.number().int().optional(),
    /** mode datetime: ISO-8601 with an offset, e.g. 2026-12-01T09:00:00Z. */
    datetime: z.iso.datetime({ offset: true }).optional(),
    /** mode duration: ISO-8601 duration back from now, e.g. PT1H30M. */
    duration: z.string().regex(/^P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d{1,3})?S)?)?$/i, 'must be an ISO-8601 duration such as PT1H30M').optional(),
    /** mode from-group: the group whose committed offsets to copy. */
    from_group: z.string().min(1).optional(),
    topic_name: topicNameSchema.optional(),
    partitions: z.array(z.object({ topic_name: topicNameSchema, partition_id: z.number().int().min(0) })).min(1).optional(),
    dry_run: z.boolean().default(true),
  })
  .superRefine((body, ctx) => {
    const field = MODE_FIELD[body.mode];
    if (field !== undefined && body[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `mode ${body.mode} needs ${field}` });
  });
export type OffsetResetRequestBody = z.input<typeof offsetResetRequestSchema>;
export type OffsetResetRequestData = z.output<typeof offsetResetRequestSchema>;

export const offsetResetDataSchema = resourceSchema('KafkaConsumerGroupOffsetsReset', {
  cluster_id: z.string(),
  consumer_group_id: z.string(),
  dry_run: z.boolean(),
  data: z.array(z.object({
    topic_name: z.string(),
    partition_id: z.number().int(),
    /** The committed offset before, null when none. */
    current_offset: z.number().int().nullable(),
    new_offset: z.number().int(),
    log_start_offset: z.number().int(),
    log_end_offset: z.number().int(),
    /** The target before it was clamped into the log range, null when it was inside. */
    clamped_from: z.number().int().nullable(),
  })),
});
export type OffsetResetData = z.infer<typeof offsetResetDataSchema>;
