import { z } from 'zod';
import { collectionSchema, relationshipSchema, resourceSchema } from './resource.js';

/**
 * Confluent's PartitionData plus Weir's offsets and size, so a console or script gets a
 * partition's state in one call. Offsets are JSON numbers (exact up to 2^53).
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
  log_end_offset: z.number().int(),
  size_bytes: z.number().int(),
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
  broker: relationshipSchema,
});
export type ReplicaData = z.infer<typeof replicaDataSchema>;

export const replicaDataListSchema = collectionSchema('KafkaReplicaList', replicaDataSchema);
export type ReplicaDataList = z.infer<typeof replicaDataListSchema>;
