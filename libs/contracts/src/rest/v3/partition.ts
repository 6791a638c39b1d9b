import { z } from 'zod';
import { collectionSchema, relationshipSchema, resourceSchema } from './resource.js';

/**
 * Confluent's PartitionData plus Weir's offsets, size and replica state, so a console or
 * script gets a partition's state in one call. Offsets are JSON numbers (exact up to 2^53).
 */
export const partitionDataSchema = resourceSchema('KafkaPartition', {
  cluster_id: z.string(),
  topic_name: z.string(),
  partition_id: z.number().int(),
  /** Absent while the partition has no leader. */
  leader: relationshipSchema.optional(),
  replicas: relationshipSchema,
  reassignment: relationshipSchema,
  log_start_offset: z.number().int(),
  high_watermark: z.number().int(),
  /**
   * Weir: the Last Stable Offset, what read_committed consumers may read up to: the HW, or
   * the first offset of the oldest open transaction when that is lower.
   */
  last_stable_offset: z.number().int(),
  log_end_offset: z.number().int(),
  size_bytes: z.number().int(),
  /** Weir: the leader's broker id, null without a leader. */
  leader_id: z.number().int().nullable(),
  leader_epoch: z.number().int(),
  /** Weir: the assigned replicas in Kafka's order (the preferred leader first). */
  replica_ids: z.array(z.number().int()),
  /** Weir: the in-sync replicas. */
  isr: z.array(z.number().int()),
  /** Weir: replicas whose broker is not registered. */
  offline_replicas: z.array(z.number().int()),
  /** Weir: no live leader; produce and fetch fail until one is elected. */
  is_offline: z.boolean(),
  /** Weir: an ongoing reassignment's replicas being added and removed (empty when none). */
  adding_replicas: z.array(z.number().int()),
  removing_replicas: z.array(z.number().int()),
});
export type PartitionData = z.infer<typeof partitionDataSchema>;

export const partitionDataListSchema = collectionSchema('KafkaPartitionList', partitionDataSchema);
export type PartitionDataList = z.infer<typeof partitionDataListSchema>;

export const replicaDataSchema = resourceSchema('KafkaReplica', {
  cluster_id: z.string(),
  topic_name: z.string(),
  partition_id: z.number().int(),
  broker_id: z.number().int(),
  is_leader: z.boolean(),
  is_in_sync: z.boolean(),
  /** Weir: the replica's broker is not registered. */
  is_offline: z.boolean(),
  broker: relationshipSchema,
});
export type ReplicaData = z.infer<typeof replicaDataSchema>;

export const replicaDataListSchema = collectionSchema('KafkaReplicaList', replicaDataSchema);
export type ReplicaDataList = z.infer<typeof replicaDataListSchema>;
