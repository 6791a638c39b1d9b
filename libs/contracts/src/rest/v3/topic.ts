import { z } from 'zod';
import { topicNameSchema } from '../../topic-name.js';
import { collectionSchema, relationshipSchema, resourceSchema } from './resource.js';

export const topicDataSchema = resourceSchema('KafkaTopic', {
  cluster_id: z.string(),
  topic_name: z.string(),
  is_internal: z.boolean(),
  replication_factor: z.number().int(),
  partitions_count: z.number().int(),
  partitions: relationshipSchema,
  configs: relationshipSchema,
  partition_reassignments: relationshipSchema,
});
export type TopicData = z.infer<typeof topicDataSchema>;

export const topicDataListSchema = collectionSchema('KafkaTopicList', topicDataSchema);
export type TopicDataList = z.infer<typeof topicDataListSchema>;

/** Kafka caps both at what its int32 fields hold; Weir's broker enforces tighter limits itself. */
const partitionsCount = z.number().int().min(1).max(2_147_483_647);
const replicationFactor = z.number().int().min(1).max(32_767);

/** `{name, value}`; a null value means "use the default", as in Kafka's CreateTopics. */
export const configNameValueSchema = z.object({
  name: z.string().min(1),
  value: z.string().nullable().optional(),
});

export const createTopicRequestSchema = z
  .object({
    topic_name: topicNameSchema,
    partitions_count: partitionsCount.optional(),
    replication_factor: replicationFactor.optional(),
    configs: z.array(configNameValueSchema).optional(),
    validate_only: z.boolean().optional(),
  })
  .superRefine((body, ctx) => {
    const seen = new Set<string>();
    for (const [index, config] of (body.configs ?? []).entries()) {
      if (seen.has(config.name)) {
        ctx.addIssue({ code: 'custom', path: ['configs', index, 'name'], message: `Config ${config.name} is given twice` });
      }
      seen.add(config.name);
    }
  });
export type CreateTopicRequest = z.infer<typeof createTopicRequestSchema>;

export const updatePartitionCountRequestSchema = z.object({ partitions_count: partitionsCount });
export type UpdatePartitionCountRequest = z.infer<typeof updatePartitionCountRequestSchema>;
export * from './topic-summary.js';
