import { z } from 'zod';
import { collectionSchema, relationshipSchema, resourceSchema } from './resource.js';

/** Confluent's ReassignmentData: an ongoing reassignment of one partition. */
export const reassignmentDataSchema = resourceSchema('KafkaReassignment', {
  cluster_id: z.string(),
  topic_name: z.string(),
  partition_id: z.number().int(),
  adding_replicas: z.array(z.number().int()),
  removing_replicas: z.array(z.number().int()),
  replicas: relationshipSchema,
});
export type ReassignmentData = z.infer<typeof reassignmentDataSchema>;

export const reassignmentDataListSchema = collectionSchema('KafkaReassignmentList', reassignmentDataSchema);
export type ReassignmentDataList = z.infer<typeof reassignmentDataListSchema>;

const brokerId = z.number().int().min(0).max(2_147_483_647);
const partitionId = z.number().int().min(0).max(2_147_483_647);

/** A target replica list: at least one broker, none twice, the preferred leader first. */
export const targetReplicasSchema = z
  .array(brokerId)
  .min(1, 'a partition needs at least one replica')
  .max(32_767)
  .refine((ids) => new Set(ids).size === ids.length, 'a broker may appear only once');

/** Weir: PUT .../partitions/{p}/reassignment: move the partition to these replicas. */
export const alterReassignmentRequestSchema = z.object({ replicas: targetReplicasSchema });
export type AlterReassignmentRequest = z.infer<typeof alterReassignmentRequestSchema>;

/**
 * Weir: POST .../topics/{t}/partitions/-/reassignment: a target per partition, or null
 * to cancel that partition's ongoing reassignment. All are handed to the controller in
 * one AlterPartitionReassignments.
 */
export const alterTopicReassignmentsRequestSchema = z
  .object({
    partitions: z
      .array(z.object({ partition_id: partitionId, replicas: targetReplicasSchema.nullable() }))
      .min(1),
  })
  .superRefine((body, ctx) => {
    const seen = new Set<number>();
    for (const [index, entry] of body.partitions.entries()) {
      if (seen.has(entry.partition_id)) {
        ctx.addIssue({ code: 'custom', path: ['partitions', index, 'partition_id'], message: `Partition ${entry.partition_id} is given twice` });
      }
      seen.add(entry.partition_id);
    }
  });
export type AlterTopicReassignmentsRequest = z.infer<typeof alterTopicReassignmentsRequestSchema>;

/** Weir: a leader election request; PREFERRED unless said otherwise. */
export const electionTypeSchema = z.enum(['PREFERRED', 'UNCLEAN']);
export const leaderElectionRequestSchema = z.object({ election_type: electionTypeSchema.optional() });
export type LeaderElectionRequest = z.infer<typeof leaderElectionRequestSchema>;

/**
 * Weir: what the controller did for one partition of an election or reassignment:
 * error_code null on success, else the Confluent-style code of the Kafka error
 * (`kafka_error`), as an answer for that partition alone would carry.
 */
export const partitionOutcomeDataSchema = z.object({
  topic_name: z.string(),
  partition_id: z.number().int(),
  error_code: z.number().int().nullable(),
  kafka_error: z.string().nullable(),
  message: z.string().nullable(),
});
export type PartitionOutcomeData = z.infer<typeof partitionOutcomeDataSchema>;

export const partitionOutcomeDataListSchema = collectionSchema('KafkaPartitionOutcomeList', partitionOutcomeDataSchema);
export type PartitionOutcomeDataList = z.infer<typeof partitionOutcomeDataListSchema>;
